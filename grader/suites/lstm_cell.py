"""Public cases of the LSTM-cell exercise.

The numerical gradient check of a step with two outputs: the backward pass
is linear in ``(dnext_h, dnext_c)``, so the check runs it twice, once with
``dnext_c = 0`` (probes dot ``next_h`` with ``dnext_h``; outputs labelled
``h.``) and once with ``dnext_h = 0`` (probes dot ``next_c`` with ``dnext_c``;
labelled ``c.``). Together they check all six gradients along both paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference, compare_array, missing
from grader.engine.gradcheck import probes
from grader.engine.suite import PASS, Build, Call, Case, Check, Exercise, Judgement, Outputs, Ref

FUNCTIONS = ("lstm_step_forward", "lstm_step_backward")

FORWARD, BACKWARD = FUNCTIONS
GRADS = ("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db")
GATES = (("i", "input"), ("f", "forget"), ("o", "output"), ("g", "candidate"))


def lstm_args(rng: np.random.Generator, n: int, d: int, h: int, zero_state: bool = False
              ) -> tuple[np.ndarray, ...]:
    """(x, prev_h, prev_c, Wx, Wh, b); weights scaled so that the gates are not saturated."""
    x = rng.standard_normal((n, d))
    prev_h = np.zeros((n, h)) if zero_state else rng.standard_normal((n, h))
    prev_c = np.zeros((n, h)) if zero_state else rng.standard_normal((n, h))
    wx = 0.5 * rng.standard_normal((d, 4 * h))
    wh = 0.5 * rng.standard_normal((h, 4 * h))
    b = 0.5 * rng.standard_normal(4 * h)
    return x, prev_h, prev_c, wx, wh, b


def forward(n: int, d: int, h: int, zero_state: bool = False) -> Build:
    """One forward step on random inputs (optionally from a zero state)."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = lstm_args(rng, n, d, h, zero_state)
        return [Call(FORWARD, args, returns=("next_h", "next_c", None))]
    return build


def backward(n: int, d: int, h: int, zero_state: bool = False, dh: bool = True, dc: bool = True
             ) -> Build:
    """Forward, then backward with the forward's cache (``Ref(0, 2)``)."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = lstm_args(rng, n, d, h, zero_state)
        dnext_h = rng.standard_normal((n, h)) if dh else np.zeros((n, h))
        dnext_c = rng.standard_normal((n, h)) if dc else np.zeros((n, h))
        return [Call(FORWARD, args, returns=("next_h", "next_c", None)),
                Call(BACKWARD, (dnext_h, dnext_c, Ref(0, 2)), returns=GRADS)]
    return build


def gradient_check(n: int, d: int, h: int, count: int = 3) -> Build:
    """Both output paths, each of the six inputs nudged at ``count`` elements."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = lstm_args(rng, n, d, h)
        dnext_h, dnext_c = rng.standard_normal((n, h)), rng.standard_normal((n, h))
        zero = np.zeros((n, h))
        calls = [Call(FORWARD, args, returns=(None, None, None)),
                 Call(BACKWARD, (dnext_h, zero, Ref(0, 2)), returns=GRADS, label="h"),
                 Call(BACKWARD, (zero, dnext_c, Ref(0, 2)), returns=GRADS, label="c")]
        for wrt, grad in enumerate(GRADS):
            calls += probes(FORWARD, args, wrt, f"h.{grad}", rng, count,
                            returns=("f", None, None), weight=dnext_h)
            calls += probes(FORWARD, args, wrt, f"c.{grad}", rng, count,
                            returns=(None, "f", None), weight=dnext_c)
        return calls
    return build


@dataclass(frozen=True)
class PerGate(Check):
    """dWx, dWh and db compared one gate block at a time.

    The message then names the gate (i, f, o, g: columns 0:H, H:2H, 2H:3H, 3H:4H).
    """

    tol: float = 1e-7
    keys: tuple[str, ...] = ("db", "dWx", "dWh")

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """Each gate block of the gradients against the expected one; the first that differs fails."""
        assert expected is not None
        for key in self.keys:
            if key not in got:
                return missing(key)
            if got[key].shape != expected[key].shape:
                return compare_array(key, got[key], expected[key], self.tol, public)
        for k, (gate, name) in enumerate(GATES):
            for key in self.keys:
                h = expected[key].shape[-1] // 4
                lo, hi = k * h, (k + 1) * h
                where = f"{key}[..., {lo}:{hi}] ({name} gate {gate})"
                verdict = compare_array(where, got[key][..., lo:hi], expected[key][..., lo:hi],
                                        self.tol, public)
                if not verdict.passed:
                    return verdict
        return PASS


PUBLIC = [
    Case("forward_single", 2, forward(1, 3, 2), MatchReference(1e-7), seed=1,
         description="forward, one example (N=1), non-zero previous state"),
    Case("forward_batch", 2, forward(4, 5, 3), MatchReference(1e-7), seed=2,
         description="forward, a minibatch of N=4"),
    Case("forward_zero_state", 1, forward(3, 4, 3, zero_state=True), MatchReference(1e-7), seed=3,
         description="forward from prev_h = prev_c = 0"),
    Case("gate_gradients", 2, backward(3, 4, 2), All((PerGate(), MatchReference(1e-7))), seed=4,
         description="backward: dWx, dWh and db gate by gate (i, f, o, g), then every output"),
    Case("backward_batch", 2, backward(4, 5, 3), MatchReference(1e-7), seed=5,
         description="backward: all six gradients of a minibatch"),
    Case("gradient_check", 3, gradient_check(3, 4, 3), GradCheck(), seed=6,
         description="all six gradients against the numerical gradient of your own forward: "
         "h.* through next_h (dnext_c = 0), c.* through next_c (dnext_h = 0)"),
]

EXERCISE = Exercise(
    id="lstm_cell",
    title="LSTM cell",
    teaches="one LSTM step: i, f, o, g gates from one affine map, the cell and hidden state, "
            "backprop through the gates",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
