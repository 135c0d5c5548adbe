"""Public cases of the sigmoid-neuron backpropagation exercise."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.gradcheck import probes
from grader.engine.suite import Build, Call, Case, Exercise, Ref

FUNCTIONS = ("sigmoid", "sigmoid_graph_forward", "sigmoid_graph_backward")

TOL = 1e-7
NOTES_W = np.array([2.0, -3.0, -3.0])  # the notes' circuit: f = 0.73
NOTES_X = np.array([-1.0, -2.0])


def circuit(w: np.ndarray, x: np.ndarray, df: float, label: str = "", at: int = 0) -> list[Call]:
    """Forward then backward through the student's own cache.

    ``at`` is the index the forward call will have in the case's list of calls (``Ref``
    counts from there).
    """
    start = Call("sigmoid_graph_forward", (w, x), returns=("f", None), label=label)
    return [start, Call("sigmoid_graph_backward", (np.float64(df), Ref(at, 1)),
                        returns=("dw", "dx"), label=label)]


def random_circuit(dim: int, *, scale: float = 1.0, upstream: bool = True) -> Build:
    """Random w (dim+1,), x (dim,) and, unless ``upstream`` is False, a random df."""
    def build(rng: np.random.Generator) -> list[Call]:
        w = rng.standard_normal(dim + 1) * scale
        x = rng.standard_normal(dim)
        df = float(rng.uniform(0.5, 2.0) * rng.choice([-1, 1])) if upstream else 1.0
        return circuit(w, x, df)
    return build


def notes_circuit(rng: np.random.Generator) -> list[Call]:
    """The notes' circuit with its weights and inputs."""
    return circuit(NOTES_W, NOTES_X, 1.0)


def sigmoid_values(rng: np.random.Generator) -> list[Call]:
    """``sigmoid`` on 0, 1, -1 and random values."""
    x = np.concatenate([[0.0, 1.0, -1.0], rng.standard_normal(9) * 4]).reshape(3, 4)
    return [Call("sigmoid", (x,), single=True, returns=("s",))]


def gradcheck_calls(dim: int, count: int = 4) -> Build:
    """Gradients dw and dx against centred differences of the student's own forward, times df."""
    def build(rng: np.random.Generator) -> list[Call]:
        w, x = rng.standard_normal(dim + 1), rng.standard_normal(dim)
        df = np.float64(rng.uniform(0.5, 2.0))
        calls = circuit(w, x, float(df))
        for wrt, grad in ((0, "dw"), (1, "dx")):
            calls += probes("sigmoid_graph_forward", (w, x), wrt, grad, rng, count,
                            returns=("f", None), weight=np.asarray(df))
        return calls
    return build


PUBLIC = [
    Case("sigmoid", 1, sigmoid_values, MatchReference(TOL), seed=1,
         description="sigmoid element-wise on a (3, 4) array, sigmoid(0) = 0.5"),
    Case("notes_circuit", 2, notes_circuit, MatchReference(TOL),
         description="the notes' circuit: w = [2, -3, -3], x = [-1, -2] gives f = 0.73, "
                     "dw = [-0.20, -0.39, 0.20], dx = [0.39, -0.59]"),
    Case("random_upstream", 2, random_circuit(2), MatchReference(TOL), seed=2,
         description="D = 2 with a random upstream gradient df (multiply it in)"),
    Case("wide", 1, random_circuit(5, upstream=False), MatchReference(TOL), seed=3,
         description="D = 5 inputs, df = 1"),
    Case("gradcheck", 2, gradcheck_calls(3), All((GradCheck(), MatchReference(TOL))), seed=4,
         description="dw and dx match centred differences (h = 1e-5) of your own forward"),
]

EXERCISE = Exercise(
    id="sigmoid_graph",
    title="Backpropagation: the sigmoid neuron",
    teaches="A computational graph gate by gate: upstream x local gradient, the sigmoid's "
            "(1 - f) f, the bias's gradient of 1, a sigmoid that cannot overflow",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
