"""Public cases of the max-pooling exercise."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.gradcheck import probes
from grader.engine.suite import Build, Call, Case, Exercise, Ref

FUNCTIONS = ("max_pool_forward_naive", "max_pool_backward_naive")

Draw = Callable[[np.random.Generator, tuple[int, int, int, int]], np.ndarray]
TOL = 1e-7

# The 3x3 feature map of the notes' example, computed from the conv suite's 4x4 image with the
# notes' filter 1; the notes pool such a map with a 2x2 window, stride 1: (3 - 2)/1 + 1 = 2.
NOTES_MAP = np.array([[1.0, -1.0, 2.0],
                      [0.0, 0.0, 2.0],
                      [-1.0, 0.0, 2.0]])


def param(ph: int, pw: int, stride: int) -> dict[str, int]:
    """The pooling parameters."""
    return {"pool_height": ph, "pool_width": pw, "stride": stride}


def normal(rng: np.random.Generator, shape: tuple[int, int, int, int]) -> np.ndarray:
    """Standard normal values of ``shape``."""
    return rng.standard_normal(shape)


def few_values(rng: np.random.Generator, shape: tuple[int, int, int, int]) -> np.ndarray:
    """Values from {0, 1, 2}: most windows hold their maximum more than once."""
    return rng.integers(0, 3, shape).astype(np.float64)


def out_shape(shape: tuple[int, int, int, int], p: dict[str, int]) -> tuple[int, int, int, int]:
    """The shape of the pooled output."""
    N, C, H, W = shape
    return (N, C, 1 + (H - p["pool_height"]) // p["stride"], 1 + (W - p["pool_width"]) // p["stride"])


def pool_calls(shape: tuple[int, int, int, int], p: dict[str, int], *, backward: bool = True,
               draw: Draw = normal) -> Build:
    """Forward, and unless ``backward`` is False, backward on the student's own cache."""
    def build(rng: np.random.Generator) -> list[Call]:
        x = draw(rng, shape)
        calls = [Call("max_pool_forward_naive", (x, p), returns=("out", None))]
        if backward:
            dout = rng.standard_normal(out_shape(shape, p))
            calls.append(Call("max_pool_backward_naive", (dout, Ref(0, 1)), single=True, returns=("dx",)))
        return calls
    return build


def peaks(rng: np.random.Generator, shape: tuple[int, int, int, int]) -> np.ndarray:
    """3x3 windows, stride 2 on 7x7, where gradients of overlapping windows must add up.

    The peak at (2, 2) is the maximum of four windows, the one at (4, 6) of two.
    """
    x = rng.standard_normal(shape)
    x[:, :, 2, 2] = 10.0
    x[:, :, 4, 6] = 8.0
    return x


def gradcheck_calls(shape: tuple[int, int, int, int], p: dict[str, int], count: int = 6) -> Build:
    """Forward, then backward of random upstream gradients, and probes of the forward for dx."""
    def build(rng: np.random.Generator) -> list[Call]:
        x = rng.standard_normal(shape)
        dout = rng.standard_normal(out_shape(shape, p))
        return [Call("max_pool_forward_naive", (x, p), returns=("out", None)),
                Call("max_pool_backward_naive", (dout, Ref(0, 1)), single=True, returns=("dx",)),
                *probes("max_pool_forward_naive", (x, p), 0, "dx", rng, count,
                        returns=("f", None), weight=dout)]
    return build


def notes_example(rng: np.random.Generator) -> list[Call]:
    """The notes' worked example: a 3x3 map, 2x2 windows, stride 1."""
    return [Call("max_pool_forward_naive", (NOTES_MAP.reshape(1, 1, 3, 3), param(2, 2, 1)),
                 returns=("out", None))]


PUBLIC = [
    Case("notes_3x3", 1, notes_example, MatchReference(TOL),
         description="the notes' pooling: a 3x3 map, 2x2 windows, stride 1, gives 2x2"),
    Case("forward_2x2_s2", 2, pool_calls((2, 3, 4, 4), param(2, 2, 2), backward=False),
         MatchReference(TOL), seed=1, description="2x2 windows, stride 2, N=2, C=3"),
    Case("backward_2x2_s2", 2, pool_calls((2, 2, 4, 6), param(2, 2, 2)), MatchReference(TOL), seed=2,
         description="dx routes each dout to its window's maximum"),
    Case("overlap_3x3_s2", 2, pool_calls((1, 2, 7, 7), param(3, 3, 2), draw=peaks), MatchReference(TOL),
         seed=3, description="3x3 windows, stride 2, overlap: a maximum shared by 4 windows gets the "
                             "sum of their gradients"),
    Case("ties_first_max", 1, pool_calls((1, 2, 4, 4), param(2, 2, 2), draw=few_values),
         MatchReference(TOL), seed=4,
         description="tied maxima: the whole gradient goes to the first one (np.argmax order)"),
    Case("gradcheck", 2, gradcheck_calls((2, 2, 4, 4), param(2, 2, 2)), GradCheck(), seed=5,
         description="dx matches centred differences (h = 1e-5) of your own forward"),
]

EXERCISE = Exercise(
    id="max_pool",
    title="Max pooling",
    teaches="Max pooling forward and backward: the max gate routes the gradient to the first maximum, "
            "overlapping windows add up",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
