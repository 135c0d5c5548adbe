"""Instructor-only data of the hinge-loss exercise: hidden cases and known mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.hinge_loss import AGREE, FUNCTIONS, TOL, gradcheck_calls, loss_calls

NAIVE, VEC = ("svm_loss_naive",), ("svm_loss_vectorized",)

HIDDEN = [
    Case("hidden_wide", 2, loss_calls(VEC, 30, 50, 10, 1e-3, w_scale=0.2), MatchReference(TOL),
         seed=101, visibility="hidden", description="D = 50, C = 10, small reg"),
    Case("hidden_large_reg", 1, loss_calls(FUNCTIONS, 12, 5, 4, 10.0), All((AGREE, MatchReference(TOL))),
         seed=102, visibility="hidden", description="a large reg: the regulariser dominates"),
    Case("hidden_correct_is_max", 2, loss_calls(FUNCTIONS, 15, 6, 5, 0.1, correct_is_max=True),
         MatchReference(TOL), seed=103, visibility="hidden",
         description="every correct class has the top score, some by less than the margin"),
    Case("hidden_all_margins_met", 1, loss_calls(VEC, 10, 4, 3, 0.2, w_scale=3.0, all_met=True),
         MatchReference(TOL), seed=104, visibility="hidden",
         description="every margin is met: the data loss is 0, only the regulariser is left"),
    Case("hidden_one_sample_naive", 1, loss_calls(NAIVE, 1, 6, 5, 0.1), MatchReference(TOL),
         seed=105, visibility="hidden", description="N = 1 with loops"),
    Case("hidden_two_classes_naive", 1, loss_calls(NAIVE, 7, 3, 2, 0.3), MatchReference(TOL),
         seed=106, visibility="hidden", description="C = 2 with loops"),
    Case("hidden_gradcheck_wide", 1, gradcheck_calls(VEC, 15, 20, 7, 0.05), GradCheck(),
         seed=107, visibility="hidden", description="gradient check of the vectorized version, D = 20"),
]


# Each variant is a self-contained function (numpy only), so that it can also be pasted into
# a submission as-is (tests/helpers.py does): the reference's vectorized loss with one change.

def _includes_correct(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)  # keeps j == y_i: +1 each
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] -= np.sum(coeff, axis=1)
    return np.sum(margins) / n + reg * np.sum(W * W), X.T @ coeff / n + 2 * reg * W


def _no_average(W, X, y, reg):  # type: ignore[no-untyped-def]
    rows = np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins) + reg * np.sum(W * W), X.T @ coeff + 2 * reg * W  # no / N


def _reg_grad_missing_2(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins) / n + reg * np.sum(W * W), X.T @ coeff / n + reg * W  # not 2 * reg * W


def _no_regulariser(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins) / n, X.T @ coeff / n  # reg never used


def _reg_half(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins) / n + 0.5 * reg * np.sum(W * W), X.T @ coeff / n + reg * W


def _margin_zero(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None])  # delta = 0
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins) / n + reg * np.sum(W * W), X.T @ coeff / n + 2 * reg * W


def _missing_correct_class_grad(W, X, y, reg):  # type: ignore[no-untyped-def]
    n, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)  # no -count at (i, y_i)
    return np.sum(margins) / n + reg * np.sum(W * W), X.T @ coeff / n + 2 * reg * W


def _both(func: Callable[..., Any]) -> dict[str, Callable[..., Any]]:
    return dict.fromkeys(FUNCTIONS, func)


MISTAKES = [
    Mistake("includes_correct_class", "The sum includes the j == y_i term, so the loss is 1 too high",
            "Skip the correct class: in the loop 'if j == y[i]: continue'; vectorized, set "
            "margins[np.arange(N), y] = 0. Its margin is always s_y - s_y + 1 = 1 (the notes' "
            "formula sums over j != y_i only).",
            _both(_includes_correct)),
    Mistake("no_average", "The loss and dW are not averaged over the N samples",
            "Divide the summed data loss and its gradient by N = X.shape[0] before adding the "
            "regulariser (the notes: L = 1/N sum_i L_i + penalty).",
            _both(_no_average)),
    Mistake("reg_grad_missing_2", "The regulariser's gradient is reg * W instead of 2 * reg * W",
            "d/dW of reg * np.sum(W * W) is 2 * reg * W.",
            _both(_reg_grad_missing_2)),
    Mistake("no_regulariser", "The regulariser is missing from the loss and from dW",
            "Add reg * np.sum(W * W) to the loss and 2 * reg * W to dW (the notes' 正则化惩罚项); "
            "cases with reg = 0 pass without it, the others do not.",
            _both(_no_regulariser)),
    Mistake("reg_half", "The regulariser is 0.5 * reg * sum(W * W), the older CS231n convention",
            "This exercise uses reg * np.sum(W * W) with no 1/2 in front, so dW gets 2 * reg * W.",
            _both(_reg_half)),
    Mistake("margin_zero", "The margin is 0 instead of 1: max(0, s_j - s_y)",
            "Use max(0, s_j - s_{y_i} + 1): the notes explain the '+1': a correct class that wins "
            "by less than 1 (3.20 vs 3.15) must still cost something.",
            _both(_margin_zero)),
    Mistake("missing_correct_class_grad", "dW misses the correct class: no dW[:, y_i] -= x_i",
            "Each positive margin s_j - s_{y_i} + 1 also depends on W[:, y_i], with derivative -x_i; "
            "vectorized, put minus the number of positive margins of row i at column y_i.",
            _both(_missing_correct_class_grad)),
]


# Mistakes students make (issue 13): the reference's vectorized loss with one change each.

def _parts(W, X, y):  # type: ignore[no-untyped-def]
    """(summed data loss, coefficient matrix) of the reference, before averaging."""
    rows = np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -np.sum(coeff, axis=1)
    return np.sum(margins), coeff


def _dw_not_averaged(W, X, y, reg):  # type: ignore[no-untyped-def]
    data, coeff = _parts(W, X, y)
    return data / X.shape[0] + reg * np.sum(W * W), X.T @ coeff + 2 * reg * W  # dW not / N


def _reg_before_average(W, X, y, reg):  # type: ignore[no-untyped-def]
    n = X.shape[0]
    data, coeff = _parts(W, X, y)
    return (data + reg * np.sum(W * W)) / n, (X.T @ coeff + 2 * reg * W) / n


def _counts_itself(W, X, y, reg):  # type: ignore[no-untyped-def]
    rows = np.arange(X.shape[0])
    data, coeff = _parts(W, X, y)
    coeff[rows, y] -= 1.0  # the correct class's own margin (always 1 > 0) counted: -(count + 1)
    return data / X.shape[0] + reg * np.sum(W * W), X.T @ coeff / X.shape[0] + 2 * reg * W


def _grad_sign_flipped(W, X, y, reg):  # type: ignore[no-untyped-def]
    data, coeff = _parts(W, X, y)
    return data / X.shape[0] + reg * np.sum(W * W), -X.T @ coeff / X.shape[0] + 2 * reg * W


MISTAKES += [
    Mistake("dw_not_averaged", "The loss is averaged over N, dW is not",
            "Divide the summed gradient by N = X.shape[0] as well, before adding 2 * reg * W: the "
            "gradient of an average is the average of the gradients.",
            _both(_dw_not_averaged)),
    Mistake("reg_before_average", "The regulariser is added before dividing by N, so it is divided too",
            "Average the data part first (loss /= N, dW /= N), then add reg * np.sum(W * W) and "
            "2 * reg * W: the penalty is not an average over samples (the notes: L = 1/N sum_i L_i + "
            "penalty).", _both(_reg_before_average)),
    Mistake("correct_class_counts_itself",
            "The correct class's coefficient is -(count + 1): it counts itself",
            "Build the mask of positive margins after setting margins[np.arange(N), y] = 0: the "
            "correct class's own margin is always 1 > 0 and must not count.",
            _both(_counts_itself)),
    Mistake("grad_sign_flipped", "The data gradient has the wrong sign",
            "A positive margin s_j - s_y + 1 grows with W[:, j] (+x_i) and shrinks with W[:, y_i] "
            "(-x_i): dW[:, j] += X[i] and dW[:, y[i]] -= X[i].",
            _both(_grad_sign_flipped)),
]


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
