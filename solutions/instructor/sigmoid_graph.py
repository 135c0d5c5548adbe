"""Instructor-only data of the sigmoid-neuron exercise: hidden cases and known mistakes."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Call, Case, Instructor, Mistake
from grader.suites.sigmoid_graph import TOL, circuit, gradcheck_calls, random_circuit


def _saturated(rng: np.random.Generator) -> list[Call]:
    # z = +-800: exp(800) overflows a float64 (max ~ e^709). A stable sigmoid gives f = 1 and 0
    # and zero gradients; the gate-by-gate circuit's exp(-z) * (-1 / (1 + exp(-z))^2) is inf * 0 = NaN.
    x = rng.standard_normal(3)
    calls: list[Call] = []
    for label, z in (("pos", 800.0), ("neg", -800.0)):
        w = rng.standard_normal(4)
        w[3] = z - float(np.dot(w[:3], x))
        calls += circuit(w, x, 1.0, label, at=len(calls))
    big = np.array([-1000.0, -710.0, -40.0, 0.0, 40.0, 710.0, 1000.0])
    return [*calls, Call("sigmoid", (big,), single=True, returns=("s",), label="array")]


def _one_input(rng: np.random.Generator) -> list[Call]:
    w, x = rng.standard_normal(2), rng.standard_normal(1)
    return circuit(w, x, float(rng.uniform(-2.0, -0.5)))


HIDDEN = [
    Case("hidden_saturated", 2, _saturated, MatchReference(TOL), seed=101, visibility="hidden",
         description="|z| = 800 and sigmoid of +-1000: no overflow, no NaN"),
    Case("hidden_wide_upstream", 2, random_circuit(8, scale=0.5), MatchReference(TOL), seed=102,
         visibility="hidden", description="D = 8 with a random upstream gradient"),
    Case("hidden_one_input", 1, _one_input, MatchReference(TOL), seed=103, visibility="hidden",
         description="D = 1 and a negative upstream gradient"),
    Case("hidden_gradcheck", 1, gradcheck_calls(6, 3), All((GradCheck(), MatchReference(TOL))),
         seed=104, visibility="hidden", description="numerical gradient check with D = 6"),
]


def _sigmoid(z):  # type: ignore[no-untyped-def]
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _backward_sign(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    dz = -df * (1.0 - f) * f  # d(1/x)/dx taken as +1/x^2
    return np.append(dz * x, dz), dz * w[:-1]


def _backward_no_bias(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    dz = df * (1.0 - f) * f
    return np.append(dz * x, 0.0), dz * w[:-1]


def _backward_no_upstream(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    dz = (1.0 - f) * f
    return np.append(dz * x, dz), dz * w[:-1]


def _backward_sigmoid_as_own_grad(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    dz = df * f  # sigma instead of sigma * (1 - sigma)
    return np.append(dz * x, dz), dz * w[:-1]


NOTES = "the notes (反向传播 6.3)"
MISTAKES = [
    Mistake("reciprocal_sign", "A minus sign is lost in the 1/x gate or the *(-1) gate",
            f"Two gates of {NOTES} carry a minus sign: d(1/x)/dx = -1/x^2 (the 1/x gate turns the "
            "upstream 1.00 into -0.53) and the *(-1) gate multiplies its gradient by -1 (0.20 "
            "becomes -0.20). Lose either and every gradient comes out negated; (1 - f) * f is positive.",
            {"sigmoid_graph_backward": _backward_sign}),
    Mistake("bias_gradient_missing", "The bias w[D] gets no gradient",
            "The bias enters through a + gate, whose local gradient is 1: dw[D] = dz * 1, "
            "not 0. Gradient = upstream gradient x local gradient, as in the notes.",
            {"sigmoid_graph_backward": _backward_no_bias}),
    Mistake("upstream_ignored", "The upstream gradient df is not multiplied in",
            "Gradient = upstream gradient x local gradient (the notes): start from "
            "dz = df * (1 - f) * f, not (1 - f) * f.",
            {"sigmoid_graph_backward": _backward_no_upstream}),
    Mistake("sigmoid_local_gradient", "The sigmoid's local gradient is taken as f instead of (1 - f) * f",
            f"As {NOTES} show, d sigma/dz = (1 - sigma) * sigma: 0.2 = (1 - 0.73) * 0.73.",
            {"sigmoid_graph_backward": _backward_sigmoid_as_own_grad}),
]


# Mistakes students make (issue 13).

def _backward_mul_not_swapped(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    dz = df * (1.0 - f) * f
    return np.append(dz * w[:-1], dz), dz * x  # each input gets its own value, not the other's


def _backward_sigmoid_of_f(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    s = 1.0 / (1.0 + np.exp(-f))
    dz = df * s * (1.0 - s)  # sigma applied again to f = sigma(z)
    return np.append(dz * x, dz), dz * w[:-1]


def _sigmoid_overflows(x):  # type: ignore[no-untyped-def]
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x) / (1.0 + np.exp(x))  # inf / inf = NaN past x = 709


def _forward_overflows(w, x):  # type: ignore[no-untyped-def]
    f = _sigmoid_overflows(np.dot(w[:-1], x) + w[-1])
    return f, (w, x, f)


def _backward_nan_safe(df, cache):  # type: ignore[no-untyped-def]
    w, x, f = cache
    with np.errstate(invalid="ignore"):
        dz = df * (1.0 - f) * f
        return np.append(dz * x, dz), dz * w[:-1]


MISTAKES += [
    Mistake("mul_gate_not_swapped", "The multiply gate's gradients are not swapped: dw uses w, dx uses x",
            f"For w * x the local gradient on w is x and on x is w ({NOTES}: the * gate switches "
            "its inputs): dw[i] = dz * x[i], dx[i] = dz * w[i].",
            {"sigmoid_graph_backward": _backward_mul_not_swapped}),
    Mistake("sigmoid_of_output", "The local gradient is sigma(f) (1 - sigma(f)) instead of (1 - f) f",
            "f is already sigma(z): the sigmoid's local gradient is (1 - f) * f, with no second "
            "sigmoid (0.2 = (1 - 0.73) * 0.73 in the notes).",
            {"sigmoid_graph_backward": _backward_sigmoid_of_f}),
    Mistake("sigmoid_overflows", "exp(x) / (1 + exp(x)) overflows: NaN for large x",
            "np.exp(710) is inf in float64 and inf / inf is NaN. Use exp(-|x|), which never "
            "overflows: 1 / (1 + e) where x >= 0 and e / (1 + e) where x < 0.",
            {"sigmoid": _sigmoid_overflows, "sigmoid_graph_forward": _forward_overflows,
             "sigmoid_graph_backward": _backward_nan_safe}),
]


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
