"""The public authoring API: everything an exercise's suite and instructor modules need.

Write a suite (``suite.py`` of a course pack, or ``grader/suites/<id>.py``)
and its instructor data only through this module::

    from grader.api import Case, Exercise, Layer, MatchReference

    STEP = Layer("rnn_step_forward", "rnn_step_backward",
                 inputs={"x": ("N", "D"), "prev_h": ("N", "H"), "Wx": ("D", "H"),
                         "Wh": ("H", "H"), "b": ("H",)},
                 outputs=("next_h", None), grads=("dx", "dprev_h", "dWx", "dWh", "db"))
    EXERCISE = Exercise(id="rnn_step", title="Vanilla RNN step", teaches="...",
                        functions=("rnn_step_forward", "rnn_step_backward"),
                        public=STEP.cases("batch", {"N": 3, "D": 4, "H": 5}, ("N", "H"), seed=1))

and in ``instructor.py``: ``INSTRUCTOR = Instructor(hidden=(...), mistakes=(Mistake(...),))``.
See docs/writing-an-exercise.md.
"""

from __future__ import annotations

from grader.engine.compare import Agree, All, GradCheck, MatchReference, compare_array, missing, rel_error
from grader.engine.declare import Layer, Loss, Unchanged, fixed, labels
from grader.engine.gradcheck import probes
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
    Ref,
)

__all__ = [
    "PASS", "Agree", "All", "Build", "Call", "Case", "Check", "Exercise", "GradCheck", "Instructor",
    "Judgement", "Layer", "Loss", "MatchReference", "Mistake", "Outputs", "Ref", "Unchanged",
    "compare_array", "fixed", "labels", "missing", "probes", "rel_error",
]
