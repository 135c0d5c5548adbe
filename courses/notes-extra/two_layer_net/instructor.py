"""Instructor-only data of the two-layer network exercise: hidden cases and known mistakes.

Each mistake's gradients are the exact gradients of its own (wrong) loss,
except ``relu_grad_missing`` and ``reg_grad_missing_2``, whose loss is right.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from grader.api import Case, Instructor, Loss, MatchReference, Mistake

from .suite import loss, scores

# Every score near 1000 (b2 offset by 1000): exp overflows beyond 709 unless the row max is
# subtracted first; the probabilities, loss and gradients are those of b2 without the offset.
LARGE = Loss("two_layer_loss",
             inputs={**loss(0.01).inputs,  # the same arguments in the same order, b2 replaced
                     "b2": lambda rng, dims: 1000 + rng.standard_normal(dims["C"])},
             grads=("dW1", "db1", "dW2", "db2"))

HIDDEN = (
    Case("hidden_scores_wide", 1, scores(2, 7, 3, 5), MatchReference(1e-7), seed=101,
         visibility="hidden", description="two_layer_scores on other sizes"),
    *loss(0.5).cases("loss_strong_reg", {"N": 6, "D": 5, "H": 4, "C": 3}, seed=102,
                     visibility="hidden", what="reg = 0.5"),
    *loss(0.05).cases("loss_single", {"N": 1, "D": 3, "H": 3, "C": 2}, seed=104,
                      visibility="hidden", what="N = 1")[:1],
    *LARGE.cases("loss_large_scores", {"N": 4, "D": 3, "H": 5, "C": 3}, seed=106,
                 visibility="hidden", what="scores near 1000: shift before exp")[:1],
)


def _scores(X, W1, b1, W2, b2, *, relu_out=False):  # type: ignore[no-untyped-def]
    s = np.maximum(0, X @ W1 + b1) @ W2 + b2
    return np.maximum(0, s) if relu_out else s


def _loss(X, y, W1, b1, W2, b2, reg, *, mean=True, reg_bias=False, relu_grad=True,  # type: ignore[no-untyped-def]
          two=True):
    n = X.shape[0]
    a = X @ W1 + b1
    h = np.maximum(0, a)
    s = h @ W2 + b2
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    penalty = np.sum(W1 * W1) + np.sum(W2 * W2) + (np.sum(b1 * b1) + np.sum(b2 * b2) if reg_bias else 0)
    scale = 1.0 / n if mean else 1.0
    data = -np.sum(np.log(p[rows, y])) * scale
    ds = p.copy()
    ds[rows, y] -= 1
    ds *= scale
    k = 2 if two else 1
    dW2 = h.T @ ds + k * reg * W2
    db2 = ds.sum(axis=0) + (2 * reg * b2 if reg_bias else 0)
    da = ds @ W2.T
    if relu_grad:
        da = da * (a > 0)
    dW1 = X.T @ da + k * reg * W1
    db1 = da.sum(axis=0) + (2 * reg * b1 if reg_bias else 0)
    return data + reg * penalty, dW1, db1, dW2, db2


def _variant(**flags):  # type: ignore[no-untyped-def]
    return {"two_layer_scores": _scores, "two_layer_loss": partial(_loss, **flags)}


MISTAKES = (
    Mistake("relu_grad_missing", "The gradient passes through the ReLU where the unit was off",
            "ReLU's local gradient is 1 where its input was positive and 0 elsewhere: "
            "da = dh * (a > 0) with a = X @ W1 + b1 (the notes: Relu 梯度为1 only where active).",
            _variant(relu_grad=False)),
    Mistake("no_average", "The data loss is summed over the examples, not averaged",
            "Divide the summed -log p[i, y_i] by N, and the score gradient too: dscores /= N.",
            _variant(mean=False)),
    Mistake("reg_grad_missing_2", "The gradient of reg * sum(W**2) misses the factor 2",
            "d/dW (reg * sum(W * W)) = 2 * reg * W, for W1 and W2.",
            _variant(two=False)),
    Mistake("biases_regularised", "The biases are regularised too",
            "The L2 penalty covers the weight matrices only: reg * (sum(W1**2) + sum(W2**2)); "
            "b1 and b2 are not penalised.",
            _variant(reg_bias=True)),
    Mistake("relu_on_scores", "A ReLU is applied to the output scores",
            "Only the hidden layer has a ReLU: scores = h @ W2 + b2 can be negative.",
            {"two_layer_scores": partial(_scores, relu_out=True)}),
)

# The mistakes in Chinese (the course notes' language): (title, hint), by id.
ZH = {
    "relu_grad_missing": ("梯度穿过了未激活的 ReLU 单元",
        "ReLU 的局部梯度在输入为正处为 1，其余为 0：da = dh * (a > 0)，"
        "其中 a = X @ W1 + b1（笔记：Relu 梯度为1，仅在激活处）。"),
    "no_average": ("数据损失对样本求和而不是取平均",
        "把 -log p[i, y_i] 的和除以 N，得分的梯度也一样：dscores /= N。"),
    "reg_grad_missing_2": ("reg * sum(W**2) 的梯度漏了系数 2",
        "d/dW (reg * sum(W * W)) = 2 * reg * W，W1 和 W2 都是。"),
    "biases_regularised": ("偏置也被正则化了",
        "L2 惩罚只包括权重矩阵：reg * (sum(W1**2) + sum(W2**2))；b1 和 b2 不加惩罚。"),
    "relu_on_scores": ("输出得分上也用了 ReLU",
        "只有隐藏层有 ReLU：scores = h @ W2 + b2 可以是负数。"),
}

INSTRUCTOR = Instructor(hidden=HIDDEN, mistakes=tuple(replace(m, zh=ZH[m.id]) for m in MISTAKES))
