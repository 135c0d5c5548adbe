"""Instructor-only data of the dropout exercise: hidden cases and known mistakes.

Each mistake is a consistent forward/backward pair (the backward is the
exact gradient of its own forward), except ``backward_forgets_scale`` whose
forward is right.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from grader.api import Instructor, Mistake

from .suite import layer

HIDDEN = (
    *layer(0.25).cases("train", {"N": 10, "D": 20}, ("N", "D"), seed=101, visibility="hidden",
                       what="p=0.25, (10, 20)"),
    *layer(1.0).cases("keep_all", {"N": 3, "D": 3}, ("N", "D"), seed=104, visibility="hidden",
                      what="p=1: nothing dropped")[:2],
    *layer(0.7, "test", ("N", "C", "D")).cases("test_3d", {"N": 2, "C": 2, "D": 5},
                                                ("N", "C", "D"), seed=106, visibility="hidden",
                                                what="p=0.7, test mode, 3-D x")[:2],
)


def _mask(x, p, seed, *, inverted=True, p_drops=False):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    r = rng.random(x.shape)
    keep = 1.0 - p if p_drops else p
    kept = (r >= p) if p_drops else (r < p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return kept / keep if inverted else kept * 1.0


def _forward(x, dropout_param, *, inverted=True, p_drops=False, test="identity"):  # type: ignore[no-untyped-def]
    p, mode = dropout_param["p"], dropout_param["mode"]
    mask = _mask(x, p, dropout_param["seed"], inverted=inverted, p_drops=p_drops)
    if mode == "train":
        return x * mask, (dropout_param, mask)
    if test == "scale":
        return x * p, (dropout_param, np.full(x.shape, float(p)))
    if test == "mask":
        return x * mask, (dropout_param, mask)
    return x.copy(), (dropout_param, None)


def _backward(dout, cache, *, scale=True):  # type: ignore[no-untyped-def]
    _param, mask = cache
    if mask is None:
        return dout.copy()
    return dout * mask if scale else dout * (mask > 0)


def _pair(backward_scale: bool = True, **flags):  # type: ignore[no-untyped-def]
    return {"dropout_forward": partial(_forward, **flags),
            "dropout_backward": partial(_backward, scale=backward_scale)}


MISTAKES = (
    Mistake("not_inverted", "The kept units are not divided by p in training",
            "Inverted dropout scales at training time: mask = (rng.random(x.shape) < p) / p, so "
            "the expected output equals x and the test-time pass needs no rescaling.",
            _pair(inverted=False)),
    Mistake("p_is_drop_probability", "p is used as the probability of dropping a unit",
            "p is the probability of KEEPING a unit (CS231n's convention): keep where "
            "rng.random(x.shape) < p, and divide by p.",
            _pair(p_drops=True)),
    Mistake("test_time_scaled", "Test mode multiplies by p",
            "With inverted dropout the scaling already happened in training; at test time the "
            "forward pass is the identity: out = x.",
            _pair(test="scale")),
    Mistake("test_time_dropped", "Test mode still drops units",
            "Only training drops units; in test mode use every unit: out = x, dx = dout.",
            _pair(test="mask")),
    Mistake("backward_forgets_scale", "The backward pass lets dout through the mask without the 1/p",
            "out = x * mask with mask already divided by p, so dx = dout * mask: the same mask, "
            "scale included.",
            _pair(backward_scale=False)),
)

# The mistakes in Chinese (the course notes' language): (title, hint), by id.
ZH = {
    "not_inverted": ("训练时保留的单元没有除以 p",
        "反向 dropout 在训练时缩放：mask = (rng.random(x.shape) < p) / p，"
        "这样输出的期望等于 x，测试时不需要再缩放。"),
    "p_is_drop_probability": ("把 p 当成了丢弃单元的概率",
        "p 是保留单元的概率（CS231n 的约定）：rng.random(x.shape) < p 的位置保留，再除以 p。"),
    "test_time_scaled": ("测试模式乘了 p",
        "反向 dropout 在训练时已经缩放过，测试时前向就是恒等映射：out = x。"),
    "test_time_dropped": ("测试模式仍然在丢弃单元",
        "只有训练时丢弃单元；测试模式使用全部单元：out = x，dx = dout。"),
    "backward_forgets_scale": ("反向传播让 dout 通过 mask，却漏了 1/p",
        "out = x * mask，而 mask 已经除以 p，所以 dx = dout * mask：同一个 mask，包括缩放。"),
}

INSTRUCTOR = Instructor(hidden=HIDDEN, mistakes=tuple(replace(m, zh=ZH[m.id]) for m in MISTAKES))
