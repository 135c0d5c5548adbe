"""Instructor-only data of the LSTM-cell exercise: hidden cases and known mistakes.

Each mistake variant is a consistent pair: its backward is the exact
gradient of its own (wrong) forward, as a student's would be once the
gradient check passes, except for ``forget_grad_missing`` whose forward is right.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.lstm_cell import backward, gradient_check
from solutions.instructor import exact

HIDDEN = [
    Case("hidden_backward_single", 1, backward(1, 3, 4), MatchReference(1e-7), seed=401,
         visibility="hidden", description="backward, one example (N=1)"),
    Case("hidden_backward_zero_state", 1, backward(3, 2, 3, zero_state=True), MatchReference(1e-7),
         seed=402, visibility="hidden", description="backward from a zero initial state"),
    Case("hidden_cell_gradient_only", 1, backward(2, 3, 3, dh=False), MatchReference(1e-7), seed=403,
         visibility="hidden", description="backward with dnext_h = 0: only the cell path"),
    Case("hidden_gradient_check", 1, gradient_check(2, 3, 4, count=2), GradCheck(), seed=404,
         visibility="hidden", description="numerical gradient check, other shapes"),
]


def _sigmoid(x):  # type: ignore[no-untyped-def]
    return 1.0 / (1.0 + np.exp(-x))


def _forward(x, prev_h, prev_c, Wx, Wh, b, *, order="ifog", o_tanh=False,  # type: ignore[no-untyped-def]
             h_from_prev_c=False):
    """The reference forward with the gates in ``order`` and optionally a mistake."""
    h = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    blocks = {gate: a[:, k * h:(k + 1) * h] for k, gate in enumerate(order)}
    i, f, g = _sigmoid(blocks["i"]), _sigmoid(blocks["f"]), np.tanh(blocks["g"])
    o = np.tanh(blocks["o"]) if o_tanh else _sigmoid(blocks["o"])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(prev_c if h_from_prev_c else next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def _backward(dnext_h, dnext_c, cache, *, order="ifog", o_tanh=False,  # type: ignore[no-untyped-def]
              h_from_prev_c=False, forget_grad=True):
    """The exact gradient of ``_forward`` with the same flags (unless ``forget_grad=False``)."""
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    t = np.tanh(prev_c if h_from_prev_c else next_c)
    through_h = dnext_h * o * (1 - t**2)
    dc = dnext_c if h_from_prev_c else dnext_c + through_h
    dprev_c = dc * f + (through_h if h_from_prev_c else 0.0)
    df = dc * prev_c if forget_grad else np.zeros_like(f)
    blocks = {"i": dc * g * i * (1 - i), "f": df * f * (1 - f), "g": dc * i * (1 - g**2),
              "o": dnext_h * t * ((1 - o**2) if o_tanh else o * (1 - o))}
    da = np.hstack([blocks[gate] for gate in order])
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def _pair(**flags):  # type: ignore[no-untyped-def]
    """A consistent forward/backward pair; ``forget_grad`` concerns the backward only."""
    forward_flags = {k: v for k, v in flags.items() if k != "forget_grad"}
    return {"lstm_step_forward": partial(_forward, **forward_flags),
            "lstm_step_backward": partial(_backward, **flags)}


MISTAKES = [
    Mistake("gate_order_ifgo", "The gates are sliced in the order i, f, g, o instead of i, f, o, g",
            "The 4H columns of a = x Wx + h Wh + b are, in order: input i = a[:, :H], forget "
            "f = a[:, H:2H], output o = a[:, 2H:3H], candidate g = a[:, 3H:] (CS231n's order).",
            _pair(order="ifgo")),
    Mistake("output_gate_tanh", "The output gate uses tanh instead of sigmoid",
            "i, f and o are gates: a sigmoid layer gives each a value between 0 and 1 (the notes, "
            "LSTM 核心: a gate is a sigmoid layer and a pointwise multiplication); only the "
            "candidate g = tanh(a[:, 3H:]) uses tanh.",
            _pair(o_tanh=True)),
    Mistake("next_h_uses_prev_c", "next_h is computed from prev_c instead of next_c",
            "Compute next_c = f * prev_c + i * g first, then next_h = o * tanh(next_c): the output "
            "gate reads the updated cell state (the notes, 输出层门).",
            _pair(h_from_prev_c=True)),
    Mistake("forget_grad_missing", "The forget gate gets no gradient",
            "next_c = f * prev_c + ..., so df = dc * prev_c and its block of da (columns H:2H) is "
            "df * f * (1 - f); da needs all four blocks.",
            _pair(forget_grad=False)),
]


# Mistakes students make (issue 13): the reference backward with one change each.

def _backward_slip(dnext_h, dnext_c, cache, *, h_path=True, tanh_of_c=True,  # type: ignore[no-untyped-def]
                   twice=False, f_in_dprev_c=True):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    t = np.tanh(next_c)
    dtanh = (1 - t**2) if tanh_of_c else (1 - next_c**2)  # tanh' written on its input
    dc = dnext_c + (dnext_h * o * dtanh if h_path else 0.0)
    dprev_c = dc * f if f_in_dprev_c else dc
    di, df, do, dg = dc * g, dc * prev_c, dnext_h * t, dc * i
    if twice:  # the gate gradients already hold s (1 - s), then it is applied again
        di, df, do = di * i * (1 - i), df * f * (1 - f), do * o * (1 - o)
    da = np.hstack([di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g**2)])
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def _slip(**flags):  # type: ignore[no-untyped-def]
    return {"lstm_step_backward": partial(_backward_slip, **flags)}


MISTAKES += [
    Mistake("cell_grad_missing_h_path", "dc misses the path through next_h: dc = dnext_c only",
            "next_c reaches the loss twice, directly and through next_h = o * tanh(next_c): "
            "dc = dnext_c + dnext_h * o * (1 - np.tanh(next_c)**2).",
            _slip(h_path=False)),
    Mistake("tanh_derivative_of_input",
            "tanh'(next_c) is written 1 - next_c**2 instead of 1 - tanh(next_c)**2",
            "The derivative of tanh(c) is 1 - tanh(c)**2: square the tanh of next_c, not next_c itself "
            "(for g it is 1 - g**2 because g is already a tanh).",
            _slip(tanh_of_c=False)),
    Mistake("sigmoid_derivative_twice", "The sigmoid's derivative s (1 - s) is applied twice to a gate",
            "Multiply by i (1 - i), f (1 - f) and o (1 - o) once, when going from a gate to its "
            "pre-activation block of da; di, df and do themselves do not include it.",
            _slip(twice=True)),
    Mistake("dprev_c_missing_f", "dprev_c misses the factor f: dprev_c = dc",
            "next_c = f * prev_c + i * g, so d next_c / d prev_c = f: dprev_c = dc * f (the forget "
            "gate scales what flows back in time).",
            _slip(f_in_dprev_c=False)),
    Mistake("gate_order_fiog", "The gates are sliced in the order f, i, o, g instead of i, f, o, g",
            "The 4H columns of a = x Wx + h Wh + b are, in order: input i = a[:, :H], forget "
            "f = a[:, H:2H], output o = a[:, 2H:3H], candidate g = a[:, 3H:] (CS231n's order).",
            _pair(order="fiog")),
]


# The expected outputs come from quicker equivalents, equal bit for bit (solutions/instructor/exact.py).
INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES),
                        fast=(exact.lstm_step_forward,))
