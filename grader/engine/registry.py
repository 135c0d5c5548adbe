"""The one place that knows which exercises exist and where their parts live.

Public suite: ``grader/suites/<id>.py`` declares one ``EXERCISE``
(``grader.engine.suite.Exercise``). Instructor data, present only where the
solutions are installed: ``solutions/<id>.py`` (the reference) and
``solutions/instructor/<id>.py``, which declares one ``INSTRUCTOR``
(``grader.engine.suite.Instructor``: hidden cases and known mistakes).

The active course pack (``grader.engine.courses``) adds its exercises after
the built-ins it keeps; a pack id that is also a built-in id is an error.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from grader.engine import courses as packs
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
def builtin() -> tuple[str, ...]:
    """Exercise ids whose public suite ships with this grader, in course order."""
    return tuple(e for e in EXERCISES if _exists(f"grader.suites.{e}"))


def course() -> packs.Course | None:
    """The active course pack (``--course``, ``$DLGRADE_COURSE`` or dlgrade.toml), or None."""
    path = packs.active_path()
    return None if path is None else _course_at(os.getcwd(), path)


@cache
def _course_at(cwd: str, path: Path) -> packs.Course:
    """The pack at ``path`` (relative to ``cwd``), loaded once."""
    return packs.load_course(path.expanduser().resolve())


def _pack(exercise: str) -> tuple[packs.Course, packs.PackExercise] | None:
    pack = course()
    found = pack.find(exercise) if pack else None
    return None if pack is None or found is None else (pack, found)


def in_pack(exercise: str) -> bool:
    """True when ``exercise`` comes from the active course pack, not the built-ins."""
    return _pack(exercise) is not None


def available() -> tuple[str, ...]:
    """Exercise ids: the built-ins the course keeps, then the course's own, in course order.

    Raises:
        PackError: a pack id is also a built-in id, or ``builtin`` names an unknown one.
    """
    pack = course()
    if pack is None:
        return builtin()
    manifest = pack.root / packs.MANIFEST
    if pack.builtin is True:
        kept = builtin()
    elif pack.builtin is False:
        kept = ()
    else:
        unknown = [b for b in pack.builtin if b not in builtin()]
        if unknown:
            raise packs.PackError(f"{manifest}: field 'course.builtin': {unknown[0]!r} is not a "
                                  f"built-in exercise{did_you_mean(unknown[0], builtin())}")
        kept = tuple(b for b in builtin() if b in pack.builtin)
    for ex in pack.exercises:
        if ex.id in kept:
            raise packs.PackError(f"{ex.folder}: exercise id {ex.id!r} is also a built-in exercise; "
                                  "rename the folder, or leave the built-in out with "
                                  f"'builtin = false' (or a list) in {manifest}")
    return kept + tuple(e.id for e in pack.exercises)


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


def load(exercise: str) -> Exercise:
    """The exercise with its public suite and, where installed, the instructor data."""
    found = _pack(exercise)
    if found is not None:
        return _load_pack(*found)
    return _load_builtin(exercise)


@cache
def _load_pack(pack: packs.Course, ex: packs.PackExercise) -> Exercise:
    from grader.engine.packcheck import exercise as validated

    suite = packs.import_part(pack, ex, "suite")
    instructor = packs.import_part(pack, ex, "instructor") if ex.instructor.is_file() else None
    solution = packs.import_part(pack, ex, "solution") if ex.solution.is_file() else None
    return validated(ex, suite, instructor, solution)


@cache
def _load_builtin(exercise: str) -> Exercise:
    suite = _declared(importlib.import_module(f"grader.suites.{exercise}"), "EXERCISE", Exercise)
    instructor = _optional(f"solutions.instructor.{exercise}")
    data = _declared(instructor, "INSTRUCTOR", Instructor) if instructor is not None else None
    return suite.with_instructor(data)


def reference(exercise: str) -> ModuleType | None:
    """The reference solution module, or None in a student release."""
    found = _pack(exercise)
    if found is not None:
        pack, ex = found
        return packs.import_part(pack, ex, "solution") if ex.solution.is_file() else None
    return _builtin_reference(exercise)


@cache
def _builtin_reference(exercise: str) -> ModuleType | None:
    return _optional(f"solutions.{exercise}")


def forget() -> None:
    """Forget every loaded exercise and reference (after instructor data was installed)."""
    _load_builtin.cache_clear()
    _load_pack.cache_clear()
    _builtin_reference.cache_clear()
    _course_at.cache_clear()
    packs.forget()


def pack_intro(exercise: str) -> dict[str, Any] | None:
    """A pack exercise's notebook introduction (its ``intro.toml``), or None."""
    found = _pack(exercise)
    if found is None or not found[1].intro.is_file():
        return None
    return packs.read_toml(found[1].intro)


def reference_path(exercise: str) -> Path | None:
    """The reference's source file (what stubs are stripped from and mutants made of)."""
    module = reference(exercise)
    return Path(module.__file__) if module is not None and module.__file__ else None
