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


# Mistakes students make (issue 13): what is written back to config, and the update itself.

def _adam_slip(w, dw, config=None, *, store_moments=True, store_corrected=False,  # type: ignore[no-untyped-def]
               root=True, store_t=True):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8),
                       ("m", np.zeros_like(w)), ("v", np.zeros_like(w)), ("t", 0)):
        config.setdefault(key, value)
    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw**2
    mt, vt = m / (1 - beta1**t), v / (1 - beta2**t)
    next_w = w - config["learning_rate"] * mt / ((np.sqrt(vt) if root else vt) + config["epsilon"])
    if store_moments:
        config["m"], config["v"] = (mt, vt) if store_corrected else (m, v)
    if store_t:
        config["t"] = t
    return next_w, config


MISTAKES += [
    Mistake("moments_not_stored", "m and v are not written back to config",
            "The moments carry over from step to step: store them, config['m'] = m and "
            "config['v'] = v, or the next step starts again from the old ones.",
            {"adam": partial(_adam_slip, store_moments=False)}),
    Mistake("corrected_moments_stored", "The bias-corrected moments are stored in config instead of m and v",
            "Keep the raw moving averages in config (config['m'] = m, config['v'] = v); the corrected "
            "mt = m / (1 - beta1**t) and vt = v / (1 - beta2**t) are only for this step's update.",
            {"adam": partial(_adam_slip, store_corrected=True)}),
    Mistake("sqrt_missing", "The update divides by v-hat, not by its square root",
            "next_w = w - learning_rate * mt / (np.sqrt(vt) + epsilon): v is a mean of squared "
            "gradients, its square root has the units of the gradient (the notes, RMSprop).",
            {"adam": partial(_adam_slip, root=False)}),
    Mistake("t_not_stored", "t is never written back to config, so it never grows",
            "Store the new count, config['t'] = t: the bias correction of the next step needs "
            "it, and with t stuck every step is corrected as if it were the first.",
            {"adam": partial(_adam_slip, store_t=False)}),
]


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
