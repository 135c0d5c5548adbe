"""Public cases of the softmax exercise: softmax itself and the softmax loss."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import Agree, All, GradCheck, MatchReference
from grader.engine.suite import Build, Call, Case, Exercise
from grader.suites.losscases import LossCases

FUNCTIONS = ("softmax", "softmax_loss_naive", "softmax_loss_vectorized")
LABELS = {"softmax_loss_naive": "naive", "softmax_loss_vectorized": "vec"}
LOSSES = ("softmax_loss_naive", "softmax_loss_vectorized")

TOL = 1e-7
AGREE = Agree((("naive.loss", "vec.loss"), ("naive.dW", "vec.dW")))
NOTES_SCORES = (3.0, 1.0, -1.0)  # the notes' softmax layer example


def softmax_call(x: np.ndarray) -> list[Call]:
    """One ``softmax`` call on ``x``."""
    return [Call("softmax", (x,), single=True, returns=("p",))]


def softmax_notes(rng: np.random.Generator) -> list[Call]:
    """The notes' scores [3, 1, -1] as one 1-D row."""
    # A 1-D input is one row: softmax([3, 1, -1]) ≈ [0.8668, 0.1173, 0.0159], shape (3,).
    return softmax_call(np.array(NOTES_SCORES))


def softmax_rows(n: int, c: int, scale: float = 2.0) -> Build:
    """``softmax`` on ``n`` random rows of ``c`` scores."""
    def build(rng: np.random.Generator) -> list[Call]:
        return softmax_call(rng.standard_normal((n, c)) * scale)
    return build


def softmax_huge(rng: np.random.Generator) -> list[Call]:
    """Scores far from 0, where softmax overflows unless each row's maximum is subtracted."""
    # The notes' scores x 1000, then rows far from 0 in both directions: np.exp overflows past
    # e^709 (inf / inf = NaN) or underflows to 0 (0 / 0 = NaN) unless each row's max is subtracted.
    offsets = np.array([[1000.0], [-1000.0], [500.0]])
    rest = offsets + rng.standard_normal((3, 3)) * 2.0
    return softmax_call(np.vstack([np.array(NOTES_SCORES) * 1000.0, rest]))


def data(rng: np.random.Generator, n: int, d: int, c: int, *, w_scale: float = 0.5,
         correct_is_max: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights ``W (d, c)``, samples ``X (n, d)`` and labels ``y (n,)``."""
    W = rng.standard_normal((d, c)) * w_scale
    X = rng.standard_normal((n, d))
    y = np.argmax(X @ W, axis=1) if correct_is_max else rng.integers(0, c, n)
    return W, X, y


_CASES = LossCases(data, LABELS)
loss_calls = _CASES.loss_calls
gradcheck_calls = _CASES.gradcheck_calls


PUBLIC = [
    Case("softmax_notes", 1, softmax_notes, MatchReference(TOL),
         description="the notes' scores [3, 1, -1] as a 1-D array: ≈ [0.8668, 0.1173, 0.0159], shape (3,)"),
    Case("softmax_rows", 1, softmax_rows(6, 5), MatchReference(TOL), seed=1,
         description="a (6, 5) batch: each row is normalised on its own"),
    Case("softmax_huge_scores", 1, softmax_huge, MatchReference(TOL), seed=2,
         description="scores around ±1000: finite only if each row's max is subtracted first"),
    Case("loss_naive", 2, loss_calls(("softmax_loss_naive",), 6, 4, 3, 0.0), MatchReference(TOL), seed=3,
         description="loops, 6 samples, 3 classes, reg = 0: the data loss and its gradient alone"),
    Case("loss_vectorized", 2, loss_calls(("softmax_loss_vectorized",), 30, 8, 5, 0.1),
         MatchReference(TOL), seed=4,
         description="no loops, 30 samples of dimension 8, 5 classes, reg = 0.1"),
    Case("one_sample", 1, loss_calls(LOSSES, 1, 5, 4, 0.05), MatchReference(TOL), seed=5,
         description="N = 1: both versions on a single sample"),
    Case("two_classes", 1, loss_calls(("softmax_loss_vectorized",), 8, 3, 2, 0.1), MatchReference(TOL),
         seed=6, description="C = 2: softmax of two scores is a sigmoid of their difference"),
    Case("naive_vec_agree", 1, loss_calls(LOSSES, 20, 7, 6, 0.2), All((AGREE, MatchReference(TOL))),
         seed=7, description="the naive and vectorized versions give the same loss and dW"),
    Case("gradcheck", 2, gradcheck_calls(LOSSES, 10, 5, 4, 0.1), GradCheck(), seed=8,
         description="dW matches centred differences (h = 1e-5) of your own loss, both versions"),
]

EXERCISE = Exercise(
    id="softmax",
    title="Softmax and the softmax (cross-entropy) loss",
    teaches="A row-wise, numerically stable softmax; the loss -log p_y averaged over N plus "
            "reg * sum(W^2), and its gradient, with loops and vectorized",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
