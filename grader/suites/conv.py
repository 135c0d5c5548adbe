"""Public cases of the convolutional-layer exercise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.gradcheck import probes
from grader.engine.suite import Build, Call, Case, Exercise, Ref

FUNCTIONS = ("conv_forward_naive", "conv_backward_naive")

TOL = 1e-7

# Our 4 x 4 binary image: its windows give the three entries the notes compute with
# filter 1, feature_map1(1,1) = 1, (1,2) = -1 and (3,3) = 2, and a vertical edge in column 3.
NOTES_IMAGE = np.array([[1, 0, 1, 0],
                        [1, 1, 1, 0],
                        [1, 1, 1, 0],
                        [0, 1, 1, 0]], dtype=np.float64)
NOTES_FILTERS = np.array([[[1, -1], [1, -1]],  # the notes' filter 1 (vertical features)
                          [[1, 1], [-1, -1]]], dtype=np.float64)  # its transpose (horizontal)


@dataclass(frozen=True)
class Shape:
    """N images of C x H x W, F filters of C x HH x WW, stride and pad."""

    N: int
    C: int
    H: int
    W: int
    F: int
    HH: int
    WW: int
    stride: int = 1
    pad: int = 0

    @property
    def out(self) -> tuple[int, int, int, int]:
        """The shape of the convolution's output."""
        return (self.N, self.F, 1 + (self.H + 2 * self.pad - self.HH) // self.stride,
                1 + (self.W + 2 * self.pad - self.WW) // self.stride)

    def draw(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
        """Random images, filters and biases of this shape, and the conv parameters."""
        x = rng.standard_normal((self.N, self.C, self.H, self.W))
        w = rng.standard_normal((self.F, self.C, self.HH, self.WW))
        b = rng.standard_normal(self.F)
        return x, w, b, {"stride": self.stride, "pad": self.pad}


def forward_calls(shape: Shape) -> Build:
    """One forward call on random inputs of ``shape``."""
    def build(rng: np.random.Generator) -> list[Call]:
        return [Call("conv_forward_naive", shape.draw(rng), returns=("out", None))]
    return build


def backward_calls(shape: Shape) -> Build:
    """Forward, then backward on the student's own cache with a random upstream dout."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = shape.draw(rng)
        dout = rng.standard_normal(shape.out)
        return [Call("conv_forward_naive", args, returns=("out", None)),
                Call("conv_backward_naive", (dout, Ref(0, 1)), returns=("dx", "dw", "db"))]
    return build


def gradcheck_calls(shape: Shape, count: int = 4) -> Build:
    """dx, dw, db against centred differences of sum(out * dout) from the student's forward."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = shape.draw(rng)
        dout = rng.standard_normal(shape.out)
        calls = [Call("conv_forward_naive", args, returns=("out", None)),
                 Call("conv_backward_naive", (dout, Ref(0, 1)), returns=("dx", "dw", "db"))]
        for wrt, grad in ((0, "dx"), (1, "dw"), (2, "db")):
            calls += probes("conv_forward_naive", args, wrt, grad, rng, count,
                            returns=("f", None), weight=dout)
        return calls
    return build


def notes_example(rng: np.random.Generator) -> list[Call]:
    """The notes' worked example: a 4x4 image and two 2x2 filters, stride 1, no padding."""
    x = NOTES_IMAGE.reshape(1, 1, 4, 4)
    w = NOTES_FILTERS.reshape(2, 1, 2, 2)
    return [Call("conv_forward_naive", (x, w, np.zeros(2), {"stride": 1, "pad": 0}),
                 returns=("out", None))]


PUBLIC = [
    Case("notes_4x4", 2, notes_example, MatchReference(TOL),
         description="the notes' example: a 4x4 image, two 2x2 filters, stride 1: "
                     "(4 - 2)/1 + 1 = 3, a 3x3 map per filter, feature_map1(1,1) = 1"),
    Case("forward_pad1", 2, forward_calls(Shape(2, 3, 5, 5, 2, 3, 3, stride=1, pad=1)),
         MatchReference(TOL), seed=1,
         description="N=2, C=3, F=2, 3x3 filters, pad 1: the 5x5 size is kept"),
    Case("forward_stride2_nonsquare", 2, forward_calls(Shape(1, 2, 5, 7, 3, 3, 2, stride=2, pad=1)),
         MatchReference(TOL), seed=2,
         description="a 5x7 input, 3x2 filters, stride 2, pad 1: out is 3x4"),
    Case("backward", 3, backward_calls(Shape(2, 2, 4, 4, 2, 3, 3, stride=1, pad=1)),
         MatchReference(TOL), seed=3,
         description="dx, dw and db against the reference, N=2, pad 1"),
    Case("gradcheck", 3, gradcheck_calls(Shape(2, 2, 5, 5, 2, 3, 3, stride=2, pad=1)), GradCheck(),
         seed=4, description="dx, dw, db match centred differences (h = 1e-5) of your own forward"),
]

EXERCISE = Exercise(
    id="conv",
    title="Convolutional layer",
    teaches="Cross-correlation with zero padding and stride, the feature-map size (W + 2P - F)/S + 1, "
            "and its backward pass for dx, dw and db",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
