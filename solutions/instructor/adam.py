"""Instructor-only data of the Adam exercise: hidden cases and known mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np

from grader.engine.compare import MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.adam import KEYS, steps

HIDDEN = [
    Case("hidden_tiny_gradients", 2, steps(2, (4, 3), scale=1e-5), MatchReference(1e-7, KEYS),
         seed=201, visibility="hidden",
         description="gradients of size 1e-5: where epsilon's place matters"),
    Case("hidden_long_run", 2, steps(10, (6,), {"learning_rate": 1e-2}, state=True),
         MatchReference(1e-7, KEYS), seed=202, visibility="hidden",
         description="ten steps carrying config, from a config that already has m, v, t"),
    Case("hidden_3d_weights", 1, steps(3, (2, 3, 2), {"beta1": 0.5, "beta2": 0.9}),
         MatchReference(1e-7, KEYS), seed=203, visibility="hidden",
         description="weights of any shape, other betas"),
]


def _adam(w, dw, config=None, *, t_first=True, correct=True, eps_inside=False, swap=False):  # type: ignore[no-untyped-def]
    """The reference with one mistake switched on by a keyword."""
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8),
                       ("m", np.zeros_like(w)), ("v", np.zeros_like(w)), ("t", 0)):
        config.setdefault(key, value)
    beta1, beta2 = config["beta1"], config["beta2"]
    if swap:
        beta1, beta2 = beta2, beta1
    t = config["t"] + 1
    used = t if t_first else t - 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    with np.errstate(divide="ignore", invalid="ignore"):  # t = 0 divides by zero
        mt = m / (1 - beta1**used) if correct else m
        vt = v / (1 - beta2**used) if correct else v
        eps = config["epsilon"]
        denom = np.sqrt(vt + eps) if eps_inside else np.sqrt(vt) + eps
        next_w = w - config["learning_rate"] * mt / denom
    config["t"], config["m"], config["v"] = t, m, v
    return next_w, config


MISTAKES = [
    Mistake("t_after_use", "t is incremented after the bias correction uses it",
            "Do t = config['t'] + 1 first, then divide by 1 - beta1**t and 1 - beta2**t: the first "
            "update uses t = 1 (with t = 0 the correction divides by zero).",
            {"adam": partial(_adam, t_first=False)}),
    Mistake("no_bias_correction", "The moments are used without bias correction",
            "Use mt = m / (1 - beta1**t) and vt = v / (1 - beta2**t) in the update: m and v start at 0 "
            "and are too small in the first steps (the notes, 三、Adam 优化器: 偏差修正).",
            {"adam": partial(_adam, correct=False)}),
    Mistake("eps_inside_sqrt", "epsilon is added inside the square root",
            "Write mt / (np.sqrt(vt) + epsilon): epsilon is added after the square root, "
            "not np.sqrt(vt + epsilon).",
            {"adam": partial(_adam, eps_inside=True)}),
    Mistake("betas_swapped", "beta1 and beta2 are swapped",
            "beta1 (0.9) decays the first moment m (the Momentum part), beta2 (0.999) the second "
            "moment v (the RMSprop part), as in the notes (三、Adam 优化器).",
            {"adam": partial(_adam, swap=True)}),
]

INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
