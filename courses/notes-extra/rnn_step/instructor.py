"""Instructor-only data of the RNN-step exercise: hidden cases and known mistakes.

Mistakes are consistent pairs (the backward is the exact gradient of its own
forward) except the backward-only ones, whose forward is right.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from grader.api import Instructor, Mistake

from .suite import STEP

HIDDEN = (
    *STEP.cases("square", {"N": 4, "D": 3, "H": 3}, ("N", "H"), seed=101, visibility="hidden",
                what="D = H = 3"),
    *STEP.cases("wide", {"N": 2, "D": 6, "H": 2}, ("N", "H"), seed=104, visibility="hidden")[1:],
)


def _forward(x, prev_h, Wx, Wh, b, *, bias=True):  # type: ignore[no-untyped-def]
    a = x @ Wx + prev_h @ Wh + (b if bias else 0.0)
    next_h = np.tanh(a)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def _backward(dnext_h, cache, *, local="1-h2", bias=True, db_mean=False):  # type: ignore[no-untyped-def]
    x, prev_h, Wx, Wh, next_h = cache
    grad = {"1-h2": 1 - next_h**2, "1-h": 1 - next_h, "none": 1.0}[local]
    da = dnext_h * grad
    db = da.mean(axis=0) if db_mean else da.sum(axis=0)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, db if bias else np.zeros_like(db)


def _variant(forward=None, **backward):  # type: ignore[no-untyped-def]
    return {"rnn_step_forward": partial(_forward, **(forward or {})),
            "rnn_step_backward": partial(_backward, **backward)}


MISTAKES = (
    Mistake("tanh_grad_1_minus_h", "The tanh derivative is taken as 1 - h instead of 1 - h²",
            "d tanh(a)/da = 1 - tanh(a)**2 = 1 - next_h**2 (the notes, 3.3.2 双曲正切函数 tanh).",
            _variant(local="1-h")),
    Mistake("no_tanh_grad", "The gradient skips the tanh: da = dnext_h",
            "Backprop goes through every node: da = dnext_h * (1 - next_h**2) before the matrix products.",
            _variant(local="none")),
    Mistake("db_mean", "db averages over the batch instead of summing",
            "The bias is added to every row, so its gradient sums the rows: db = da.sum(axis=0).",
            _variant(db_mean=True)),
    Mistake("forgot_bias", "The bias b is left out of the step",
            "next_h = tanh(x @ Wx + prev_h @ Wh + b): b is added before the tanh.",
            _variant(forward={"bias": False}, bias=False)),
)

# The mistakes in Chinese (the course notes' language): (title, hint), by id.
ZH = {
    "tanh_grad_1_minus_h": ("tanh 的导数写成了 1 - h，而不是 1 - h²",
        "d tanh(a)/da = 1 - tanh(a)**2 = 1 - next_h**2（笔记 3.3.2 双曲正切函数 tanh）。"),
    "no_tanh_grad": ("梯度跳过了 tanh：da = dnext_h",
        "反向传播要经过每个节点：先 da = dnext_h * (1 - next_h**2)，再做矩阵乘法。"),
    "db_mean": ("db 对批次取了平均而不是求和",
        "偏置加到了每一行上，所以它的梯度是各行之和：db = da.sum(axis=0)。"),
    "forgot_bias": ("这一步漏掉了偏置 b",
        "next_h = tanh(x @ Wx + prev_h @ Wh + b)：b 在 tanh 之前加上。"),
}

INSTRUCTOR = Instructor(hidden=HIDDEN, mistakes=tuple(replace(m, zh=ZH[m.id]) for m in MISTAKES))
