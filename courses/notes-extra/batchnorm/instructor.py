"""Instructor-only data of the batch-normalisation exercise: hidden cases and known mistakes."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from grader.api import Instructor, Mistake

from .suite import bn_param, layer, scaled

HIDDEN = (
    *layer(bn_param(running=True), scaled(0.5, -1.0)).cases(
        "train_other", {"N": 8, "D": 5}, ("N", "D"), seed=101, visibility="hidden",
        what="N = 8, D = 5, given running averages"),
    layer(bn_param("test", running=True, momentum=0.5)).cases(
        "test_other", {"N": 2, "D": 6}, ("N", "D"), seed=104, visibility="hidden", what="test mode")[0],
)


def _forward(x, gamma, beta, bn_param, *, ddof=0, eps_outside=False, swap_momentum=False,  # type: ignore[no-untyped-def]
             test_uses_batch=False):
    eps = bn_param.setdefault("eps", 1e-5)
    m = bn_param.setdefault("momentum", 0.9)
    d = x.shape[1]
    rm = bn_param.get("running_mean", np.zeros(d))
    rv = bn_param.get("running_var", np.zeros(d))
    if bn_param["mode"] == "train" or test_uses_batch:
        mu, var = x.mean(axis=0), x.var(axis=0, ddof=ddof)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        xhat = (x - mu) / std
        out = gamma * xhat + beta
        if bn_param["mode"] == "train":
            keep = (1 - m) if swap_momentum else m
            rm, rv = keep * rm + (1 - keep) * mu, keep * rv + (1 - keep) * var
        cache = (xhat, gamma, std, ddof)
    else:
        out = gamma * (x - rm) / np.sqrt(rv + eps) + beta
        cache = None
    bn_param["running_mean"], bn_param["running_var"] = rm, rv
    return out, rm, rv, cache


def _backward(dout, cache, *, through_stats=True):  # type: ignore[no-untyped-def]
    xhat, gamma, std, ddof = cache
    n = dout.shape[0]
    dxhat = dout * gamma
    if not through_stats:
        dx = dxhat / std
    else:  # exact for the variance with ddof (xhat uses that variance)
        c = n / (n - ddof)
        dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0) / c) / std
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def _variant(backward=None, **forward):  # type: ignore[no-untyped-def]
    return {"batchnorm_forward": partial(_forward, **forward),
            "batchnorm_backward": partial(_backward, **(backward or {}))}


MISTAKES = (
    Mistake("unbiased_variance", "The variance divides by N - 1",
            "Batch normalisation uses the biased batch variance, x.var(axis=0) (divides by N).",
            _variant(ddof=1)),
    Mistake("eps_outside_sqrt", "eps is added after the square root",
            "Normalise by np.sqrt(var + eps): eps goes inside the square root.",
            _variant(eps_outside=True)),
    Mistake("momentum_swapped", "The running averages weight the new batch by momentum",
            "running_mean = momentum * running_mean + (1 - momentum) * mu: momentum (0.9) keeps the "
            "OLD average; the batch gets 1 - momentum.",
            _variant(swap_momentum=True)),
    Mistake("test_uses_batch_stats", "Test mode normalises with the batch's own mean and variance",
            "At test time use the running averages: gamma * (x - running_mean) / "
            "np.sqrt(running_var + eps) + beta.",
            _variant(test_uses_batch=True)),
    Mistake("backward_ignores_stats", "The backward pass treats the mean and variance as constants",
            "mu and var depend on every x: dx = (dxhat - dxhat.mean(0) "
            "- xhat * (dxhat * xhat).mean(0)) / std, not just dxhat / std.",
            _variant(backward={"through_stats": False})),
)

# The mistakes in Chinese (the course notes' language): (title, hint), by id.
ZH = {
    "unbiased_variance": ("方差除以了 N - 1",
        "批标准化使用有偏的批方差 x.var(axis=0)（除以 N）。"),
    "eps_outside_sqrt": ("eps 加在了平方根之后",
        "用 np.sqrt(var + eps) 归一化：eps 在平方根里面。"),
    "momentum_swapped": ("滑动平均中新批次的权重成了 momentum",
        "running_mean = momentum * running_mean + (1 - momentum) * mu："
        "momentum（0.9）保留旧的平均，本批次占 1 - momentum。"),
    "test_uses_batch_stats": ("测试模式用本批次自己的均值和方差归一化",
        "测试时使用滑动平均：gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta。"),
    "backward_ignores_stats": ("反向传播把均值和方差当成了常数",
        "mu 和 var 依赖每一个 x：dx = (dxhat - dxhat.mean(0) - xhat * (dxhat * xhat).mean(0)) / std，"
        "而不只是 dxhat / std。"),
}

INSTRUCTOR = Instructor(hidden=HIDDEN, mistakes=tuple(replace(m, zh=ZH[m.id]) for m in MISTAKES))
