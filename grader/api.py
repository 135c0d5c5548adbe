"""The public API for writing an exercise: what a suite module imports.

An exercise has three parts, each a plain Python module:

- the **reference** (``solutions/<id>.py``, or a course pack's), with the
  solution between ``# BEGIN SOLUTION`` / ``# END SOLUTION`` lines; the
  student stub is this file with those regions stripped;
- the **public suite**, which declares one ``EXERCISE``;
- the **instructor data** (never shipped to students), which declares one
  ``INSTRUCTOR`` with the hidden cases and the named mistakes.

A case's ``build`` draws its inputs from a seeded generator and returns the
calls to make; the same calls run on the reference (trusted, in the grader)
and on the submission (in the sandbox); the case's ``check`` judges the
student's outputs. Example, a ReLU layer::

    import numpy as np
    from grader.api import Call, Case, Exercise, GradCheck, MatchReference, Ref, probes

    FUNCTIONS = ("relu_forward", "relu_backward")

    def forward(rng: np.random.Generator) -> list[Call]:
        x = rng.standard_normal((4, 5))
        return [Call("relu_forward", (x,), returns=("out", None))]   # (out, cache)

    def gradient(rng: np.random.Generator) -> list[Call]:
        x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
        return [Call("relu_forward", (x,), returns=("out", None)),
                Call("relu_backward", (dout, Ref(0, 1)), single=True, returns=("dx",)),
                *probes("relu_forward", (x,), 0, "dx", rng, returns=("f", None), weight=dout)]

    EXERCISE = Exercise(
        id="relu", title="ReLU", teaches="max(0, x) and its gradient", functions=FUNCTIONS,
        public=(Case("forward", 2, forward, MatchReference(1e-7), seed=1,
                     description="relu of a 4x5 batch"),
                Case("gradcheck", 2, gradient, GradCheck(), seed=2,
                     description="dx matches centred differences of your forward")),
    )

For a forward/backward pair, ``Layer`` derives those cases from one
declaration (and ``Loss`` for a function returning ``(loss, *grads)``), e.g.
``Layer("relu_forward", "relu_backward", inputs={"x": ("N", "D")}, outputs=("out", None),
grads=("dx",)).cases("batch", {"N": 4, "D": 5}, ("N", "D"), seed=1)`` gives the forward,
backward and gradient-check cases; see docs/writing-an-exercise.md.

And in the instructor module::

    from grader.api import Case, Instructor, MatchReference, Mistake

    def _leaky(x): ...                       # the mistake, self-contained
    INSTRUCTOR = Instructor(
        hidden=(Case("hidden_big", 2, forward, MatchReference(1e-7), seed=101,
                     visibility="hidden"),),
        mistakes=(Mistake("leaky", "Negative inputs leak through", "max(0, x) is 0 for x < 0",
                          {"relu_forward": _leaky}),),
    )
"""

from grader.engine.compare import Agree, All, GradCheck, MatchReference, compare_array, missing, rel_error
from grader.engine.declare import Layer, Loss, Unchanged, fixed, labels
from grader.engine.gradcheck import H, probes
from grader.engine.suite import (
    PASS,
    Build,
    Call,
    Case,
    Check,
    Exercise,
    Instructor,
    Judgement,
    Mistake,
    Outputs,
    Probe,
    Ref,
    Visibility,
)

__all__ = [
    "PASS",
    "Agree",
    "All",
    "Build",
    "Call",
    "Case",
    "Check",
    "Exercise",
    "GradCheck",
    "H",
    "Instructor",
    "Judgement",
    "Layer",
    "Loss",
    "MatchReference",
    "Mistake",
    "Outputs",
    "Probe",
    "Ref",
    "Unchanged",
    "Visibility",
    "compare_array",
    "fixed",
    "labels",
    "missing",
    "probes",
    "rel_error",
]
