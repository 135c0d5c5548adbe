"""Public cases of the vanilla-RNN step exercise (a course pack written with ``grader.api``)."""

from __future__ import annotations

from grader.api import Exercise, Layer

FUNCTIONS = ("rnn_step_forward", "rnn_step_backward")

STEP = Layer("rnn_step_forward", "rnn_step_backward",
             inputs={"x": ("N", "D"), "prev_h": ("N", "H"), "Wx": ("D", "H"), "Wh": ("H", "H"),
                     "b": ("H",)},
             outputs=("next_h", None), grads=("dx", "dprev_h", "dWx", "dWh", "db"))

EXERCISE = Exercise(
    id="rnn_step", title="Vanilla RNN step",
    teaches="one tanh RNN step: next_h = tanh(x Wx + prev_h Wh + b), backprop through tanh (1 - h²)",
    functions=FUNCTIONS,
    public=(*STEP.cases("batch", {"N": 3, "D": 4, "H": 5}, ("N", "H"), seed=1),
            *STEP.cases("single", {"N": 1, "D": 2, "H": 3}, ("N", "H"), seed=4, points=(1, 1, 0))[:2]),
)
