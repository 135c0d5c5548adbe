"""Quicker stand-ins for naive reference functions, equal to them bit for bit.

The expected outputs come from these (``Instructor.fast``); the naive functions in
``solutions/`` stay what stubs, mistakes and mutants are made of. Each one makes the same
floating-point operations on every element in the same order as the loops it replaces, only
fewer Python steps: an outer product for a loop over classes, one sigmoid over three gates,
a maximum over all windows at once (a maximum is exact), and ``np.add.at``, which adds in
index order, for the gradient routed to each window's first maximum.
tests/test_fast_reference.py checks every case's outputs byte for byte.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def softmax_loss_naive(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[Any, np.ndarray]:
    """``solutions.softmax.softmax_loss_naive`` with the loop over classes as one outer product."""
    loss = 0.0
    dW = np.zeros(W.shape)
    for i in range(X.shape[0]):
        scores = X[i].dot(W)
        scores = scores - np.max(scores)
        exp = np.exp(scores)
        total = np.sum(exp)
        loss += -scores[y[i]] + np.log(total)
        coef = exp / total  # p_j
        coef[y[i]] -= 1  # p_j - [j == y_i]
        dW += X[i][:, None] * coef  # column j: += (p_j - [j == y_i]) * X[i], element by element
    loss /= X.shape[0]
    dW /= X.shape[0]
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


def _sigmoid(x: np.ndarray) -> np.ndarray:
    pos = x >= 0
    z = np.exp(-np.abs(x))
    d = 1.0 + z
    return np.where(pos, 1.0 / d, z / d)


def lstm_step_forward(x: np.ndarray, prev_h: np.ndarray, prev_c: np.ndarray, Wx: np.ndarray,
                      Wh: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[Any, ...]]:
    """``solutions.lstm_cell.lstm_step_forward`` with one sigmoid over the gates i, f and o."""
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    gates = _sigmoid(a[:, 0:3 * H])
    i, f, o = gates[:, 0:H], gates[:, H:2 * H], gates[:, 2 * H:3 * H]
    g = np.tanh(a[:, 3 * H:4 * H])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def _windows(x: np.ndarray, pool_param: dict[str, int]) -> np.ndarray:
    """Every pooling window: (N, C, H', W', PH, PW)."""
    PH, PW, S = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out, W_out = 1 + (x.shape[2] - PH) // S, 1 + (x.shape[3] - PW) // S
    return sliding_window_view(x, (PH, PW), axis=(2, 3))[:, :, ::S, ::S][:, :, :H_out, :W_out]


def max_pool_forward_naive(x: np.ndarray, pool_param: dict[str, int]) -> tuple[np.ndarray, tuple[Any, ...]]:
    """``solutions.max_pool.max_pool_forward_naive`` over all windows at once."""
    windows = _windows(x, pool_param)
    out = np.zeros(windows.shape[:4])
    out[...] = np.max(windows, axis=(4, 5))
    return out, (x, pool_param)


def max_pool_backward_naive(dout: np.ndarray, cache: tuple[Any, ...]) -> np.ndarray:
    """``solutions.max_pool.max_pool_backward_naive`` with every window's first maximum at once."""
    x, pool_param = cache
    S, PW = pool_param["stride"], pool_param["pool_width"]
    _, _, H_out, W_out = dout.shape
    windows = _windows(x, pool_param)[:, :, :H_out, :W_out]
    first = np.argmax(windows.reshape(*windows.shape[:4], -1), axis=-1)  # row-major, as np.argmax
    n, c, i, j = np.indices(first.shape)
    dx = np.zeros(x.shape)
    np.add.at(dx, (n, c, i * S + first // PW, j * S + first % PW), dout)
    return dx
