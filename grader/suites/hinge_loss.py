"""Public cases of the multiclass SVM (hinge) loss exercise."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import Agree, All, GradCheck, MatchReference
from grader.engine.suite import Case, Exercise
from grader.suites.losscases import LossCases

FUNCTIONS = ("svm_loss_naive", "svm_loss_vectorized")
LABELS = {"svm_loss_naive": "naive", "svm_loss_vectorized": "vec"}

KINK = 1e-2  # every margin s_j - s_y + 1 stays this far from 0, where the hinge has a kink
TOL = 1e-7
AGREE = Agree((("naive.loss", "vec.loss"), ("naive.dW", "vec.dW")))


def margins(W: np.ndarray, X: np.ndarray, y: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """(N, C) margins s_j - s_{y_i} + delta, +inf at the correct class (not a term)."""
    scores = X @ W
    rows = np.arange(X.shape[0])
    m: np.ndarray = scores - scores[rows, y][:, None] + delta
    m[rows, y] = np.inf
    return m


def data(rng: np.random.Generator, n: int, d: int, c: int, *, w_scale: float = 0.5,
         correct_is_max: bool = False, all_met: bool = False
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights ``W (d, c)``, samples ``X (n, d)``, labels ``y (n,)`` with no margin at a kink.

    Rows of X whose margins come within ``KINK`` of 0 are redrawn, so the loss
    is differentiable there and tiny rounding differences cannot flip a margin.
    ``correct_is_max`` labels each sample with its highest-scoring class;
    ``all_met`` also requires every margin to be met (data loss 0).
    """
    W = rng.standard_normal((d, c)) * w_scale
    X = rng.standard_normal((n, d))
    y = rng.integers(0, c, n)
    for _ in range(10_000):
        if correct_is_max or all_met:
            y = np.argmax(X @ W, axis=1)
        m = margins(W, X, y)
        bad = np.any(np.abs(m) < KINK, axis=1)
        if all_met:
            bad |= np.max(np.where(np.isfinite(m), m, -np.inf), axis=1) > -KINK
        if not bad.any():
            return W, X, y
        X[bad] = rng.standard_normal((int(bad.sum()), d))
    raise RuntimeError("could not draw hinge-loss data away from the kinks")  # pragma: no cover


_CASES = LossCases(data, LABELS)
loss_calls = _CASES.loss_calls
gradcheck_calls = _CASES.gradcheck_calls


PUBLIC = [
    Case("naive_no_reg", 2, loss_calls(("svm_loss_naive",), 5, 4, 3, 0.0), MatchReference(TOL), seed=1,
         description="loops, 5 samples, 3 classes, reg = 0: the data loss and its gradient alone"),
    Case("naive_reg", 2, loss_calls(("svm_loss_naive",), 8, 6, 4, 0.5), MatchReference(TOL), seed=2,
         description="loops with reg = 0.5: + reg * sum(W * W) in the loss, + 2 * reg * W in dW"),
    Case("vectorized", 2, loss_calls(("svm_loss_vectorized",), 40, 10, 5, 0.1), MatchReference(TOL),
         seed=3, description="no loops, 40 samples of dimension 10, 5 classes, reg = 0.1"),
    Case("one_sample", 1, loss_calls(FUNCTIONS, 1, 4, 3, 0.05), MatchReference(TOL), seed=8,
         description="N = 1: both versions on a single sample"),
    Case("two_classes", 1, loss_calls(("svm_loss_vectorized",), 6, 3, 2, 0.1), MatchReference(TOL),
         seed=5, description="C = 2: one margin per sample"),
    Case("naive_vec_agree", 2, loss_calls(FUNCTIONS, 20, 7, 6, 0.2), All((AGREE, MatchReference(TOL))),
         seed=6, description="the naive and vectorized versions give the same loss and dW"),
    Case("gradcheck", 2, gradcheck_calls(FUNCTIONS, 10, 5, 4, 0.3), GradCheck(), seed=7,
         description="dW matches centred differences (h = 1e-5) of your own loss, both versions"),
]

EXERCISE = Exercise(
    id="hinge_loss",
    title="Multiclass SVM (hinge) loss",
    teaches="The hinge loss with margin 1 averaged over N plus reg * sum(W^2), and its gradient, "
            "with loops and vectorized",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
