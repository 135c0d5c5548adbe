"""The reference solutions against values that do not come from them.

Every expected value here is computed by hand, taken from the course notes or
from Stanford CS231n, or computed in the test itself by a different method
(brute force, centred differences). Graded cases take their expected values
from these references, so a wrong reference would silently grade everyone
wrong: these tests are what stands between the two.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from solutions import hinge_loss, knn, softmax

# ---------------------------------------------------------------- softmax


def test_softmax_of_the_notes_scores() -> None:
    # Course notes (004, "softmax layer"): scores 3, 1, -1 exponentiated and normalised.
    # By hand: e^3 = 20.0855, e^1 = 2.7183, e^-1 = 0.3679, sum = 23.1717;
    # 20.0855 / 23.1717 = 0.8668, 2.7183 / 23.1717 = 0.1173, 0.3679 / 23.1717 = 0.0159.
    p = softmax.softmax(np.array([3.0, 1.0, -1.0]))
    assert p.shape == (3,)  # a 1-D input is one row and keeps its shape
    np.testing.assert_allclose(p, [0.8668, 0.1173, 0.0159], atol=5e-5)
    total = math.exp(3) + math.exp(1) + math.exp(-1)
    np.testing.assert_allclose(p, [math.exp(3) / total, math.exp(1) / total, math.exp(-1) / total],
                               rtol=1e-12)


def test_softmax_is_row_wise_and_stable() -> None:
    # By hand: softmax([1, 2]) = [1, e] / (1 + e) = [0.268941, 0.731059]; shifting a row by
    # 1000 changes nothing (softmax is shift-invariant), and [1000, 1000] is exactly [1/2, 1/2].
    p = softmax.softmax(np.array([[1.0, 2.0], [1001.0, 1002.0], [1000.0, 1000.0], [-1000.0, -1000.0]]))
    e = math.e
    np.testing.assert_allclose(p[0], [1 / (1 + e), e / (1 + e)], rtol=1e-12)
    np.testing.assert_allclose(p[1], p[0], rtol=1e-12)
    np.testing.assert_allclose(p[2:], 0.5, rtol=1e-12)
    # The notes' scores x 1000 overflow a naive softmax (e^3000 = inf); the answer is ≈ one-hot.
    np.testing.assert_allclose(softmax.softmax(np.array([[3000.0, 1000.0, -1000.0]])), [[1, 0, 0]],
                               atol=1e-300)


@pytest.mark.parametrize("loss_fn", [softmax.softmax_loss_naive, softmax.softmax_loss_vectorized])
def test_softmax_loss_of_the_notes_scores(loss_fn) -> None:  # type: ignore[no-untyped-def]
    # One sample, D = 1, x = [1], W = [[3, 1, -1]]: the scores are the notes' 3, 1, -1, label 0.
    # By hand: loss = -log(e^3 / (e^3 + e + e^-1)) = log(1 + e^-2 + e^-4) = log(1.153652) = 0.142932;
    # dW = x^T (p - onehot) = [[0.8668 - 1, 0.1173, 0.0159]].
    loss, dW = loss_fn(np.array([[3.0, 1.0, -1.0]]), np.array([[1.0]]), np.array([0]), 0.0)
    assert loss == pytest.approx(math.log(1 + math.exp(-2) + math.exp(-4)), rel=1e-12)
    assert loss == pytest.approx(0.142932, abs=1e-6)
    np.testing.assert_allclose(dW, [[0.8668 - 1, 0.1173, 0.0159]], atol=5e-5)


def test_softmax_loss_with_small_weights_is_log_c() -> None:
    # CS231n assignment 1, softmax.ipynb: with W = 0.0001 * randn the scores are ≈ 0, every class
    # gets p ≈ 1/C, and "our loss should be something close to -log(0.1)" for C = 10.
    rng = np.random.default_rng(0)
    W = rng.standard_normal((20, 10)) * 0.0001
    X, y = rng.standard_normal((300, 20)), rng.integers(0, 10, 300)
    for loss_fn in (softmax.softmax_loss_naive, softmax.softmax_loss_vectorized):
        loss, _ = loss_fn(W, X, y, 0.0)
        assert loss == pytest.approx(-math.log(0.1), abs=1e-2)


# ---------------------------------------------------------------- hinge loss

# A tiny example worked by hand: N = 2 samples, D = 2, C = 3 classes, reg = 0.1.
HAND_W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 1.0]])
HAND_X = np.array([[1.0, 2.0], [0.5, -1.0]])
HAND_Y = np.array([0, 1])
# Sample 0, x = [1, 2], y = 0: scores [1, 2, 1]; margins j=1: 2 - 1 + 1 = 2, j=2: 1 - 1 + 1 = 1; L0 = 3.
# Sample 1, x = [0.5, -1], y = 1: scores [0.5, -1, -1.5]; margins j=0: 0.5 + 1 + 1 = 2.5,
#   j=2: -1.5 + 1 + 1 = 0.5; L1 = 3.
# Data loss (3 + 3) / 2 = 3; sum(W^2) = 4, reg * 4 = 0.4; loss = 3.4.
HAND_LOSS = 3.4
# dW, sample 0 (both margins positive): col 1 += x0, col 2 += x0, col 0 -= 2 x0.
#     sample 1 (both margins positive): col 0 += x1, col 2 += x1, col 1 -= 2 x1.
# Sum: col 0 = [-1.5, -5], col 1 = [0, 4], col 2 = [1.5, 1]; halve (average over N = 2):
# col 0 = [-0.75, -2.5], col 1 = [0, 2], col 2 = [0.75, 0.5]; plus 2 * reg * W = 0.2 W.
HAND_DW = np.array([[-0.75 + 0.2, 0.0, 0.75 - 0.2], [-2.5, 2.0 + 0.2, 0.5 + 0.2]])


@pytest.mark.parametrize("loss_fn", [hinge_loss.svm_loss_naive, hinge_loss.svm_loss_vectorized])
def test_hinge_loss_hand_example(loss_fn) -> None:  # type: ignore[no-untyped-def]
    loss, dW = loss_fn(HAND_W, HAND_X, HAND_Y, 0.1)
    assert loss == pytest.approx(HAND_LOSS, rel=1e-12)
    np.testing.assert_allclose(dW, HAND_DW, rtol=1e-12, atol=1e-15)


def test_hinge_loss_with_small_weights_is_c_minus_1() -> None:
    # CS231n lecture 3 ("Loss functions and optimization"): "At initialization W is small so all
    # s ≈ 0. What is the loss?" -- C - 1: every one of the C - 1 margins is max(0, 0 - 0 + 1) = 1.
    rng = np.random.default_rng(1)
    W = rng.standard_normal((20, 10)) * 0.0001
    X, y = rng.standard_normal((100, 20)), rng.integers(0, 10, 100)
    for loss_fn in (hinge_loss.svm_loss_naive, hinge_loss.svm_loss_vectorized):
        loss, _ = loss_fn(W, X, y, 0.0)
        assert loss == pytest.approx(9.0, abs=1e-2)


# ---------------------------------------------------------------- both losses


def _data(seed: int, n: int = 7, d: int = 4, c: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    W, X, y = rng.standard_normal((d, c)) * 0.5, rng.standard_normal((n, d)), rng.integers(0, c, n)
    scores = X @ W
    m = scores - scores[np.arange(n), y][:, None] + 1
    m[np.arange(n), y] = np.inf
    assert np.min(np.abs(m)) > 1e-3  # no hinge margin at its kink: the loss is differentiable here
    return W, X, y


def _numerical_gradient(f, W: np.ndarray, h: float = 1e-5) -> np.ndarray:  # type: ignore[no-untyped-def]
    # Centred differences over every element: (f(W + h e_i) - f(W - h e_i)) / 2h.
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        plus, minus = W.copy(), W.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


LOSSES = [hinge_loss.svm_loss_naive, hinge_loss.svm_loss_vectorized,
          softmax.softmax_loss_naive, softmax.softmax_loss_vectorized]


@pytest.mark.parametrize("loss_fn", LOSSES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_gradient_matches_centred_differences(loss_fn, reg: float) -> None:  # type: ignore[no-untyped-def]
    W, X, y = _data(seed=3)
    _, dW = loss_fn(W, X, y, reg)
    numeric = _numerical_gradient(lambda w: loss_fn(w, X, y, reg)[0], W)
    np.testing.assert_allclose(dW, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("naive", "vectorized"), [
    (hinge_loss.svm_loss_naive, hinge_loss.svm_loss_vectorized),
    (softmax.softmax_loss_naive, softmax.softmax_loss_vectorized)], ids=["hinge", "softmax"])
@pytest.mark.parametrize(("seed", "n", "d", "c"), [(4, 1, 3, 2), (5, 20, 6, 5), (6, 9, 2, 7)])
def test_naive_equals_vectorized(naive, vectorized, seed: int, n: int, d: int,  # type: ignore[no-untyped-def]
                                 c: int) -> None:
    W, X, y = _data(seed, n, d, c)
    loss_a, dW_a = naive(W, X, y, 0.2)
    loss_b, dW_b = vectorized(W, X, y, 0.2)
    assert loss_a == pytest.approx(loss_b, rel=1e-12)
    np.testing.assert_allclose(dW_a, dW_b, rtol=1e-10, atol=1e-14)


# ---------------------------------------------------------------- knn


def test_knn_distances_match_brute_force() -> None:
    # Brute force, one pair at a time, with np.linalg.norm (no expansion, no broadcasting).
    rng = np.random.default_rng(7)
    X_train, X = rng.standard_normal((9, 4)), rng.standard_normal((5, 4))
    X[0] = X_train[2]  # a zero distance
    expected = np.array([[np.linalg.norm(x - t) for t in X_train] for x in X])
    for dist_fn in (knn.compute_distances_two_loops, knn.compute_distances_one_loop,
                    knn.compute_distances_no_loops):
        np.testing.assert_allclose(dist_fn(X_train, X), expected, rtol=1e-10, atol=1e-7)


def test_knn_vote_of_the_notes_example() -> None:
    # Course notes (K近邻算法): within k = 3 of the unknown point lie 2 triangles and 1 square, so it
    # is a triangle; within k = 5 lie 3 squares and 2 triangles, so it is a square.
    # Triangle = 0, square = 1; the distances are ours, the neighbourhoods are the notes'.
    triangle, square = 0, 1
    dists = np.array([[0.5, 0.7, 0.6, 1.1, 1.2, 3.0]])
    y_train = np.array([triangle, triangle, square, square, square, triangle])
    assert knn.predict_labels(dists, y_train, k=3).tolist() == [triangle]
    assert knn.predict_labels(dists, y_train, k=5).tolist() == [square]
    # DESIGN.md §2: a tied vote goes to the smallest label (one 2 and one 1 among k = 2: 1 wins).
    assert knn.predict_labels(np.array([[0.1, 0.2, 5.0]]), np.array([2, 1, 0]), k=2).tolist() == [1]
