"""The one place that knows which exercises exist and where their parts live.

Public suite: ``grader/suites/<id>.py`` declares one ``EXERCISE``
(``grader.engine.suite.Exercise``). Instructor data, present only where the
solutions are installed: ``solutions/<id>.py`` (the reference) and
``solutions/instructor/<id>.py``, which declares one ``INSTRUCTOR``
(``grader.engine.suite.Instructor``: hidden cases and known mistakes).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from types import ModuleType
from typing import TypeVar

from grader.engine.suite import Exercise, Instructor
from grader.errors import UsageError, did_you_mean

T = TypeVar("T")
EXERCISES = ("knn", "hinge_loss", "softmax", "sigmoid_graph", "conv", "max_pool",
             "lstm_cell", "negative_sampling", "adam")


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@cache
def available() -> tuple[str, ...]:
    """Exercise ids whose public suite ships with this grader, in course order."""
    return tuple(e for e in EXERCISES if _exists(f"grader.suites.{e}"))


def resolve(name: str) -> str:
    """An exercise id from what a user typed (``max-pool`` works too)."""
    ex = name.strip().lower().replace("-", "_")
    if ex.endswith(".py"):
        ex = ex[:-3]
    if ex in available():
        return ex
    raise UsageError(f"unknown exercise {name!r}{did_you_mean(ex, available())}; "
                     f"see 'dlgrade list'")


def _optional(module: str) -> ModuleType | None:
    if not _exists(module):
        return None
    return importlib.import_module(module)


def _declared(module: ModuleType, name: str, kind: type[T]) -> T:
    value = getattr(module, name, None)
    if not isinstance(value, kind):
        raise UsageError(f"{module.__file__}: declares no {name} = {kind.__name__}(...); "
                         f"see grader.api for how to write an exercise")
    return value


@cache
def load(exercise: str) -> Exercise:
    """The exercise with its public suite and, where installed, the instructor data."""
    suite = _declared(importlib.import_module(f"grader.suites.{exercise}"), "EXERCISE", Exercise)
    instructor = _optional(f"solutions.instructor.{exercise}")
    data = _declared(instructor, "INSTRUCTOR", Instructor) if instructor is not None else None
    return suite.with_instructor(data)


@cache
def reference(exercise: str) -> ModuleType | None:
    """The reference solution module, or None in a student release."""
    return _optional(f"solutions.{exercise}")
