"""Instructor-only data of the max-pooling exercise: hidden cases and known mistakes."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.max_pool import TOL, few_values, gradcheck_calls, param, pool_calls

HIDDEN = [
    Case("hidden_nonsquare_pool", 2, pool_calls((2, 2, 6, 7), param(2, 3, 2)), MatchReference(TOL),
         seed=101, visibility="hidden", description="2x3 windows, stride 2"),
    Case("hidden_ties_overlap", 2, pool_calls((2, 2, 7, 7), param(3, 3, 2), draw=few_values),
         MatchReference(TOL), seed=102, visibility="hidden",
         description="ties and overlapping 3x3 windows together"),
    Case("hidden_stride1", 1, gradcheck_calls((1, 3, 5, 5), param(2, 2, 1), 4),
         All((GradCheck(), MatchReference(TOL))), seed=103, visibility="hidden",
         description="2x2 windows, stride 1: every inner pixel is in four windows"),
    Case("hidden_global", 1, pool_calls((3, 2, 3, 4), param(3, 4, 1)), MatchReference(TOL), seed=104,
         visibility="hidden", description="one window covering the whole 3x4 map"),
]


def _windows(dout, cache):  # type: ignore[no-untyped-def]
    """(n, c, rows, cols, window) for every window, in order."""
    x, p = cache
    PH, PW, S = p["pool_height"], p["pool_width"], p["stride"]
    for n in range(dout.shape[0]):
        for c in range(dout.shape[1]):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * S, i * S + PH), slice(j * S, j * S + PW)
                    yield n, c, i, j, rows, cols, x[n, c, rows, cols]


def _every_max(dout, cache):  # type: ignore[no-untyped-def]
    dx = np.zeros(cache[0].shape)
    for n, c, i, j, rows, cols, window in _windows(dout, cache):
        dx[n, c, rows, cols] += (window == np.max(window)) * dout[n, c, i, j]
    return dx


def _averaged(dout, cache):  # type: ignore[no-untyped-def]
    dx = np.zeros(cache[0].shape)
    for n, c, i, j, rows, cols, window in _windows(dout, cache):
        dx[n, c, rows, cols] += dout[n, c, i, j] / window.size
    return dx


def _overwrite(dout, cache):  # type: ignore[no-untyped-def]
    dx = np.zeros(cache[0].shape)
    for n, c, i, j, rows, cols, window in _windows(dout, cache):
        mask = np.zeros(window.shape)
        mask[np.unravel_index(np.argmax(window), window.shape)] = 1.0
        dx[n, c, rows, cols] = mask * dout[n, c, i, j]
    return dx


NOTES = "the notes' max gate (前向和反向传播的特殊运算结构)"
MISTAKES = [
    Mistake("ties_every_maximum", "On ties the gradient goes to every maximum, not only the first",
            "Give the whole dout to one position: the first maximum in row-major order, "
            "np.unravel_index(np.argmax(window), window.shape). A mask window == max copies it "
            "to every tied position.",
            {"max_pool_backward_naive": _every_max}),
    Mistake("averaged_gradient", "The gradient is spread over the window like average pooling",
            f"Max pooling routes the gradient: {NOTES} sends the whole upstream gradient to the "
            "input that was the max and 0 to the others, not dout / (PH * PW) to each.",
            {"max_pool_backward_naive": _averaged}),
    Mistake("overlap_overwritten", "Overlapping windows overwrite dx instead of adding up",
            "With stride < pool size a pixel can be the max of several windows and must receive "
            "the sum of their gradients: dx[...] += ..., and never assign a whole window slice.",
            {"max_pool_backward_naive": _overwrite}),
]

INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
