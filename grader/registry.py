"""The one place that knows which exercises exist and where their parts live.

Public suite: ``grader/suites/<id>.py`` defines ``TITLE``, ``TEACHES``,
``FUNCTIONS`` and ``PUBLIC``. Instructor data, present only where the
solutions are installed: ``solutions/<id>.py`` (the reference) and
``solutions/instructor/<id>.py`` (``HIDDEN`` cases and ``MISTAKES``).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from types import ModuleType

from grader.errors import UsageError, did_you_mean
from grader.suite import Exercise

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


@cache
def load(exercise: str) -> Exercise:
    suite = importlib.import_module(f"grader.suites.{exercise}")
    instructor = _optional(f"solutions.instructor.{exercise}")
    return Exercise(
        id=exercise, title=suite.TITLE, teaches=suite.TEACHES,
        functions=tuple(suite.FUNCTIONS), public=tuple(suite.PUBLIC),
        hidden=tuple(getattr(instructor, "HIDDEN", ())),
        mistakes=tuple(getattr(instructor, "MISTAKES", ())),
    )


@cache
def reference(exercise: str) -> ModuleType | None:
    """The reference solution module, or None in a student release."""
    return _optional(f"solutions.{exercise}")
