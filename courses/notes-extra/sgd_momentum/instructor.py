"""Instructor-only data of the SGD-with-momentum exercise: hidden cases and known mistakes."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np

from grader.api import Case, Instructor, MatchReference, Mistake

from .suite import KEYS, steps

HIDDEN = (
    Case("hidden_plain_sgd", 1, steps(2, (4,), {"momentum": 0.0}), MatchReference(1e-7, KEYS),
         seed=101, visibility="hidden", description="momentum 0: plain SGD (the notes: λ = 0)"),
    Case("hidden_long_run", 2, steps(8, (3, 2), {"learning_rate": 0.05}, velocity=True),
         MatchReference(1e-7, KEYS), seed=102, visibility="hidden",
         description="eight steps carrying the velocity"),
    Case("hidden_3d_weights", 1, steps(3, (2, 2, 3), {"momentum": 0.99}), MatchReference(1e-7, KEYS),
         seed=103, visibility="hidden", description="weights of any shape, momentum 0.99"),
)


def _sgd(w, dw, config=None, *, form="cs231n"):  # type: ignore[no-untyped-def]
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    lr, mu = config["learning_rate"], config["momentum"]
    if form == "ema":  # v = mu v + (1 - mu) dw; w - lr v
        v = mu * v + (1 - mu) * dw
        next_w = w - lr * v
    elif form == "old_velocity":
        next_w = w + v
        v = mu * v - lr * dw
    elif form == "plus":
        v = mu * v + lr * dw
        next_w = w + v
    elif form == "lr_outside":
        v = mu * v - dw
        next_w = w + lr * v
    else:
        v = mu * v - lr * dw
        next_w = w + v
    config["velocity"] = v
    return next_w, config


MISTAKES = (
    Mistake("ema_form", "The velocity is an exponential average (1 - mu) dw, scaled by lr at the step",
            "This grader follows CS231n: v = momentum * v - learning_rate * dw, then next_w = w + v. "
            "The (1 - β) average form is another convention with a differently scaled learning rate.",
            {"sgd_momentum": partial(_sgd, form="ema")}),
    Mistake("old_velocity", "The step uses the velocity from before this update",
            "Update the velocity first, v = momentum * v - learning_rate * dw, then step along the "
            "new one: next_w = w + v.",
            {"sgd_momentum": partial(_sgd, form="old_velocity")}),
    Mistake("velocity_sign", "The gradient is added to the velocity instead of subtracted",
            "Gradient descent goes downhill: v = momentum * v - learning_rate * dw (minus).",
            {"sgd_momentum": partial(_sgd, form="plus")}),
    Mistake("lr_outside_velocity", "The learning rate multiplies the velocity at the step instead "
            "of the gradient inside it",
            "Keep the learning rate inside the velocity: v = momentum * v - learning_rate * dw; "
            "next_w = w + v.",
            {"sgd_momentum": partial(_sgd, form="lr_outside")}),
)

# The mistakes in Chinese (the course notes' language): (title, hint), by id.
ZH = {
    "ema_form": ("速度用了指数平均 (1 - mu) dw，更新时再乘学习率",
        "本评分器遵循 CS231n：v = momentum * v - learning_rate * dw，"
        "然后 next_w = w + v。(1 - β) 平均的写法是另一种约定，学习率的尺度不同。"),
    "old_velocity": ("更新权重用的是本次更新之前的速度",
        "先更新速度 v = momentum * v - learning_rate * dw，再沿新的速度走一步：next_w = w + v。"),
    "velocity_sign": ("梯度被加到速度上，而不是减去",
        "梯度下降是往下走：v = momentum * v - learning_rate * dw（减号）。"),
    "lr_outside_velocity": ("学习率乘在了更新步上，而不是乘在速度里的梯度上",
        "学习率放在速度里：v = momentum * v - learning_rate * dw；next_w = w + v。"),
}

INSTRUCTOR = Instructor(hidden=HIDDEN, mistakes=tuple(replace(m, zh=ZH[m.id]) for m in MISTAKES))
