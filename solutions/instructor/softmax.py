"""Instructor-only data of the softmax exercise: hidden cases and known mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Call, Case, Instructor, Mistake
from grader.suites.softmax import AGREE, LABELS, LOSSES, TOL, gradcheck_calls, loss_calls, softmax_call
from solutions.instructor import exact

VEC = ("softmax_loss_vectorized",)
UNDERFLOW = 740.0  # e^-740 ≈ 4e-322 is a subnormal float64: finite, but with only a few bits left


def _very_negative(rng: np.random.Generator) -> list[Call]:
    # Every score near -740: without the shift np.exp gives subnormals and wrong (finite) ratios.
    return softmax_call(-UNDERFLOW - rng.uniform(0.0, 3.0, (4, 5)))


def _mixed_scales(rng: np.random.Generator) -> list[Call]:
    # One row near +1000, two rows ~740 below its max: right with each row's own max, wrong
    # (subnormal exponentials) with the max of the whole array, NaN with no shift at all.
    top = 1000.0 + rng.uniform(0.0, 2.0, (1, 4))
    low = np.max(top) - UNDERFLOW - rng.uniform(0.0, 3.0, (2, 4))
    return softmax_call(np.vstack([top, low]))


def _one_row(rng: np.random.Generator) -> list[Call]:
    return softmax_call(rng.standard_normal((1, 7)) * 2.0)


def _large_bias(rng: np.random.Generator) -> list[Call]:
    # The bias trick: X ends in a column of ones, and a large bias row shifts every score by ~800,
    # so e^score overflows unless the row max is subtracted; the probabilities stay moderate.
    n, d, c = 9, 5, 4
    X = np.hstack([rng.standard_normal((n, d - 1)), np.ones((n, 1))])
    W = rng.standard_normal((d, c)) * 0.5
    W[-1] += 800.0
    y = rng.integers(0, c, n)
    return [Call(f, (W, X, y, 1e-6), returns=("loss", "dW"), label=LABELS[f]) for f in LOSSES]


HIDDEN = [
    Case("hidden_softmax_very_negative", 1, _very_negative, MatchReference(TOL), seed=101,
         visibility="hidden", description="every score near -740: np.exp underflows without the shift"),
    Case("hidden_softmax_mixed_scales", 1, _mixed_scales, MatchReference(TOL), seed=102,
         visibility="hidden", description="rows on very different scales: subtract each row's own max"),
    Case("hidden_softmax_one_row", 1, _one_row, MatchReference(TOL), seed=103, visibility="hidden",
         description="a (1, C) batch keeps its shape and sums to 1 along the row"),
    Case("hidden_loss_large_bias", 2, _large_bias, MatchReference(TOL), seed=104, visibility="hidden",
         description="scores around 800 (a large bias): both losses must stay finite"),
    Case("hidden_wide", 2, loss_calls(VEC, 50, 100, 10, 1e-3, w_scale=0.1), MatchReference(TOL),
         seed=105, visibility="hidden", description="D = 100, C = 10, small reg"),
    Case("hidden_large_reg", 1, loss_calls(LOSSES, 12, 5, 4, 10.0), All((AGREE, MatchReference(TOL))),
         seed=106, visibility="hidden", description="a large reg: the regulariser dominates"),
    Case("hidden_correct_is_max", 1, loss_calls(("softmax_loss_naive",), 12, 5, 4, 0.1,
                                                correct_is_max=True),
         MatchReference(TOL), seed=107, visibility="hidden",
         description="every correct class has the top score"),
    Case("hidden_tiny_weights", 1, loss_calls(VEC, 50, 30, 10, 0.0, w_scale=1e-4), MatchReference(TOL),
         seed=108, visibility="hidden", description="W ≈ 0: the loss is close to log(C)"),
    Case("hidden_gradcheck_wide", 1, gradcheck_calls(VEC, 15, 20, 7, 0.05), GradCheck(),
         seed=109, visibility="hidden", description="gradient check of the vectorized version, D = 20"),
]


# Each variant is a self-contained function (numpy only), so that it can also be pasted into
# a submission as-is (tests/helpers.py does): the reference with one change.

def _softmax_no_shift(x):  # type: ignore[no-untyped-def]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        e = np.exp(np.asarray(x, dtype=np.float64))  # no max subtracted
        return e / np.sum(e, axis=-1, keepdims=True)


def _loss_no_shift(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(X @ W)  # no max subtracted
        p = e / np.sum(e, axis=1, keepdims=True)
        loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _softmax_global_max(x):  # type: ignore[no-untyped-def]
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(under="ignore", invalid="ignore"):
        e = np.exp(x - np.max(x))  # the max of the whole array
        return e / np.sum(e, axis=-1, keepdims=True)


def _loss_global_max(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    with np.errstate(under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(scores - np.max(scores))  # the max of the whole array
        p = e / np.sum(e, axis=1, keepdims=True)
        loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _softmax_columns(x):  # type: ignore[no-untyped-def]
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x, axis=0))  # axis=0: down each column
    return e / np.sum(e, axis=0)


def _loss_columns(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=0))  # axis=0: down each column
    p = e / np.sum(e, axis=0)
    loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _loss_no_average(W, X, y, reg):  # type: ignore[no-untyped-def]
    rows = np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[rows, y])) + reg * np.sum(W * W)  # no / N
    p[rows, y] -= 1.0
    return loss, X.T @ p + 2 * reg * W


def _loss_reg_grad_missing_2(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + reg * W  # not 2 * reg * W


def _loss_no_regulariser(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[rows, y])) / n  # reg never used
    p[rows, y] -= 1.0
    return loss, X.T @ p / n


def _loss_reg_half(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[rows, y])) / n + 0.5 * reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + reg * W


def _loss_no_onehot(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    return loss, X.T @ p / n + 2 * reg * W  # p, not p - onehot(y)


def _loss_plus_log(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)  # + log p, not - log p
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _losses(func: Callable[..., Any]) -> dict[str, Callable[..., Any]]:
    return dict.fromkeys(LOSSES, func)


MISTAKES = [
    Mistake("no_max_shift", "The max is not subtracted before np.exp: large scores overflow",
            "Subtract each row's max first, x - np.max(x, axis=-1, keepdims=True): softmax is "
            "unchanged and np.exp never sees a positive number (e^710 is already inf in float64).",
            {"softmax": _softmax_no_shift, **_losses(_loss_no_shift)}),
    Mistake("global_max", "The max of the whole array is subtracted, not each row's own max",
            "Use np.max(x, axis=-1, keepdims=True): with rows on different scales the global max "
            "pushes the smaller rows so far down that np.exp underflows to 0.",
            {"softmax": _softmax_global_max, "softmax_loss_vectorized": _loss_global_max}),
    Mistake("wrong_axis", "Softmax is taken over the columns (axis=0) instead of each row",
            "Each row (one sample's class scores) must sum to 1: use axis=-1 (or 1) with "
            "keepdims=True in both np.max and np.sum.",
            {"softmax": _softmax_columns, "softmax_loss_vectorized": _loss_columns}),
    Mistake("no_average", "The loss and dW are not averaged over the N samples",
            "Divide the summed data loss and its gradient by N = X.shape[0] before adding the "
            "regulariser (the notes: L = 1/N sum_i L_i + penalty).",
            _losses(_loss_no_average)),
    Mistake("reg_grad_missing_2", "The regulariser's gradient is reg * W instead of 2 * reg * W",
            "d/dW of reg * np.sum(W * W) is 2 * reg * W.",
            _losses(_loss_reg_grad_missing_2)),
    Mistake("no_regulariser", "The regulariser is missing from the loss and from dW",
            "Add reg * np.sum(W * W) to the loss and 2 * reg * W to dW (the notes' 正则化惩罚项); "
            "cases with reg = 0 pass without it, the others do not.",
            _losses(_loss_no_regulariser)),
    Mistake("reg_half", "The regulariser is 0.5 * reg * sum(W * W), the older CS231n convention",
            "This exercise uses reg * np.sum(W * W) with no 1/2 in front, so dW gets 2 * reg * W.",
            _losses(_loss_reg_half)),
    Mistake("grad_missing_onehot", "dW uses p instead of p - 1 at the correct class",
            "d(-log p_{y_i}) / d s_j = p_j - 1[j == y_i]: subtract 1 at (i, y_i) "
            "(dscores[np.arange(N), y] -= 1) before dW = X.T @ dscores / N.",
            _losses(_loss_no_onehot)),
    Mistake("loss_sign", "The loss is +log p_y instead of -log p_y",
            "The loss is the negative log of the correct class's probability (the notes' step 4, "
            "log of the correct class's share): it is >= 0, and small when p_y is close to 1.",
            _losses(_loss_plus_log)),
]


# Mistakes students make (issue 13): the reference's vectorized loss with one change each.

def _probs(W, X):  # type: ignore[no-untyped-def]
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _loss_all_columns(W, X, y, reg):  # type: ignore[no-untyped-def]
    n = X.shape[0]
    p = _probs(W, X)
    loss = -np.sum(np.log(p[:, y])) / n + reg * np.sum(W * W)  # an (N, N) block, not N entries
    p[:, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _loss_dw_not_averaged(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    p = _probs(W, X)
    loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p + 2 * reg * W  # dW not / N


def _loss_total_normalised(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    p = e / np.sum(e)  # the sum of the whole matrix
    loss = -np.sum(np.log(p[rows, y])) / n + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / n + 2 * reg * W


def _softmax_total_normalised(x):  # type: ignore[no-untyped-def]
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e)


def _loss_reg_before_average(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    p = _probs(W, X)
    loss = (-np.sum(np.log(p[rows, y])) + reg * np.sum(W * W)) / n
    p[rows, y] -= 1.0
    return loss, (X.T @ p + 2 * reg * W) / n


MISTAKES += [
    Mistake("probs_all_columns", "probs[:, y] picks whole columns instead of one entry per row",
            "probs[:, y] is an (N, N) block: column y[k] for every row. Take one entry per sample "
            "with probs[np.arange(N), y], and subtract 1 the same way.",
            _losses(_loss_all_columns)),
    Mistake("dw_not_averaged", "The loss is averaged over N, dW is not",
            "Divide X.T @ dscores by N = X.shape[0] as well, before adding 2 * reg * W: the "
            "gradient of an average is the average of the gradients.",
            _losses(_loss_dw_not_averaged)),
    Mistake("normalised_by_total", "Probabilities are divided by the sum of the whole matrix, not each row's",
            "Each row is one sample's distribution: np.sum(exp_scores, axis=1, keepdims=True) makes "
            "every row sum to 1; np.sum(exp_scores) makes the whole matrix sum to 1.",
            {"softmax": _softmax_total_normalised, **_losses(_loss_total_normalised)}),
    Mistake("reg_before_average", "The regulariser is added before dividing by N, so it is divided too",
            "Average the data part first (loss /= N, dW /= N), then add reg * np.sum(W * W) and "
            "2 * reg * W (the notes: L = 1/N sum_i L_i + penalty).",
            _losses(_loss_reg_before_average)),
]


# The expected outputs come from quicker equivalents, equal bit for bit (solutions/instructor/exact.py).
INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES),
                        fast=(exact.softmax_loss_naive,))
