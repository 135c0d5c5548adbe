"""Instructor-only data of the max-pooling exercise: hidden cases and known mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.max_pool import TOL, gradcheck_calls, param, pool_calls
from solutions.instructor import exact


def _ties_and_peak(rng: np.random.Generator, shape: tuple[int, int, int, int]) -> np.ndarray:
    """Values from {0, 1} (ties in most windows) and one 2 at (6, 6): the last window with
    stride 2 holds it, the one a stride of 1 would read (rows and columns 2 to 4) cannot,
    so a window that ignores the stride is wrong there for every seed."""
    x = rng.integers(0, 2, shape).astype(np.float64)
    x[:, :, 6, 6] = 2.0
    return x


HIDDEN = [
    Case("hidden_nonsquare_pool", 2, pool_calls((2, 2, 6, 7), param(2, 3, 2)), MatchReference(TOL),
         seed=101, visibility="hidden", description="2x3 windows, stride 2"),
    Case("hidden_ties_overlap", 2, pool_calls((2, 2, 7, 7), param(3, 3, 2), draw=_ties_and_peak),
         MatchReference(TOL), seed=102, visibility="hidden",
         description="ties and overlapping 3x3 windows together"),
    Case("hidden_stride1", 1, gradcheck_calls((1, 3, 5, 5), param(2, 2, 1), 4),
         All((GradCheck(), MatchReference(TOL))), seed=103, visibility="hidden",
         description="2x2 windows, stride 1: every inner pixel is in four windows"),
    # (7 - 2)/3 = 1.67 and (10 - 2)/3 = 2.67, then (9 - 2)/2 = 3.5 and (5 - 2)/2 = 1.5 (odd floors,
    # so round() goes up): floor and round() differ on both axes, both ways of landing there.
    Case("hidden_sizes_floor", 1, pool_calls((2, 2, 7, 10), param(2, 2, 3)), MatchReference(TOL),
         seed=105, visibility="hidden", description="stride 3 leaving part of a window: the size floors"),
    Case("hidden_sizes_half", 1, pool_calls((1, 2, 9, 5), param(2, 2, 2)), MatchReference(TOL),
         seed=106, visibility="hidden", description="(H - PH) / S = 3.5 and 1.5: the size floors"),
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


# Mistakes students make (issue 13), written the way students write the naive loops.

def _forward_loops(x, pool_param, *, step=None, size="floor"):  # type: ignore[no-untyped-def]
    N, C, H, W = x.shape
    PH, PW, S = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    def rnd(a, s):  # type: ignore[no-untyped-def]
        return round(a / s) if size == "round" else a // s  # round(): banker's rounding

    H_out, W_out = 1 + rnd(H - PH, S), 1 + rnd(W - PW, S)
    move = S if step is None else step
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.max(x[:, :, i * move:i * move + PH, j * move:j * move + PW], axis=(2, 3))
    return out, (x, pool_param)



def _backward_pick(dout, cache, *, last=False, offset=True, swap=False):  # type: ignore[no-untyped-def]
    x, p = cache
    S = p["stride"]
    dx = np.zeros(x.shape)
    for n, c, i, j, _, _, window in _windows(dout, cache):
        flat = window.size - 1 - int(np.argmax(window.ravel()[::-1])) if last else int(np.argmax(window))
        r, s = np.unravel_index(flat, window.shape[::-1] if swap else window.shape)
        if offset:
            r, s = r + i * S, s + j * S
        dx[n, c, r, s] += dout[n, c, i, j]
    return dx


MISTAKES += [
    Mistake("ties_last_maximum", "On ties the gradient goes to the last maximum, not the first",
            "Give dout to the first maximum in row-major order, as np.argmax does; a scan with >= "
            "(or np.where(...)[-1]) keeps the last one.",
            {"max_pool_backward_naive": partial(_backward_pick, last=True)}),
    Mistake("window_offset_missing", "The argmax inside the window is used as a position in the image",
            "np.argmax gives a position inside the window: add the window's corner, "
            "dx[n, c, i*S + r, j*S + s] += dout[n, c, i, j].",
            {"max_pool_backward_naive": partial(_backward_pick, offset=False)}),
    Mistake("stride_ignored_in_window", "The pooling window moves by 1: the stride is left out of the slice",
            "The output size uses the stride, so must the window: "
            "x[n, c, i*S : i*S + PH, j*S : j*S + PW].",
            {"max_pool_forward_naive": partial(_forward_loops, step=1)}),
    Mistake("unravel_shape_swapped", "np.unravel_index gets (pool_width, pool_height)",
            "The window has shape (PH, PW): np.unravel_index(np.argmax(window), window.shape). "
            "Square windows hide the swap; a 2x3 window does not.",
            {"max_pool_backward_naive": partial(_backward_pick, swap=True)}),
    Mistake("output_size_rounded", "The pooled size is rounded instead of floored",
            "A window that does not fit is not counted: 1 + (H - PH) // S, integer division; "
            "round() adds a row or column of partial windows when (H - PH) / S ends in .5 or more.",
            {"max_pool_forward_naive": partial(_forward_loops, size="round")}),
]


# The expected outputs come from quicker equivalents, equal bit for bit (solutions/instructor/exact.py).
INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES),
                        fast=(exact.max_pool_forward_naive, exact.max_pool_backward_naive))
