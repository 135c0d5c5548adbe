"""Checking a pack exercise's typed objects: one error line naming the file and field."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

from grader.engine.courses import PackError, PackExercise
from grader.engine.suite import Case, Exercise, Instructor, Mistake


def _field(path: Path, name: str, problem: str) -> PackError:
    return PackError(f"{path}: field '{name}': {problem}")


def _cases(path: Path, name: str, value: object, hidden: bool) -> tuple[Case, ...]:
    if not isinstance(value, tuple | list) or not all(isinstance(c, Case) for c in value):
        raise _field(path, name, "must be a tuple of Case")
    for case in value:
        if case.hidden != hidden:
            raise _field(path, name, f"case {case.name!r} must have visibility="
                         f"{'hidden' if hidden else 'public'!r}")
    return tuple(value)


def exercise(pack: PackExercise, suite: ModuleType, instructor: ModuleType | None,
             solution: ModuleType | None) -> Exercise:
    """The exercise a pack folder defines, with hidden cases and mistakes where present.

    Raises:
        PackError: a typed object is missing or malformed.
    """
    ex = getattr(suite, "EXERCISE", None)
    if not isinstance(ex, Exercise):
        raise _field(pack.suite, "EXERCISE", "missing; end the module with EXERCISE = Exercise(...) "
                     "from grader.api")
    if ex.id != pack.id:
        raise _field(pack.suite, "EXERCISE.id", f"{ex.id!r} differs from its folder name {pack.id!r}")
    if not ex.functions or not all(isinstance(f, str) for f in ex.functions):
        raise _field(pack.suite, "EXERCISE.functions", "must be a non-empty tuple of function names")
    public = _cases(pack.suite, "EXERCISE.public", ex.public, hidden=False)
    if not public:
        raise _field(pack.suite, "EXERCISE.public", "needs at least one public case")
    hidden: tuple[Case, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    if instructor is not None:
        data = getattr(instructor, "INSTRUCTOR", None)
        if not isinstance(data, Instructor):
            raise _field(pack.instructor, "INSTRUCTOR", "missing; end the module with "
                         "INSTRUCTOR = Instructor(hidden=(...), mistakes=(...))")
        hidden = _cases(pack.instructor, "INSTRUCTOR.hidden", data.hidden, hidden=True)
        if not all(isinstance(m, Mistake) for m in data.mistakes):
            raise _field(pack.instructor, "INSTRUCTOR.mistakes", "must be a tuple of Mistake")
        mistakes = tuple(data.mistakes)
        for mistake in mistakes:
            extra = set(mistake.functions) - set(ex.functions)
            if extra:
                raise _field(pack.instructor, f"INSTRUCTOR.mistakes[{mistake.id!r}].functions",
                             f"{sorted(extra)[0]!r} is not one of EXERCISE.functions")
    names = [c.name for c in (*public, *hidden)]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise _field(pack.suite, "EXERCISE.public", f"case name {dup!r} is used twice")
    if solution is not None:
        for func in ex.functions:
            if not callable(getattr(solution, func, None)):
                raise _field(pack.solution, func, "EXERCISE.functions names it but it is not defined")
    return replace(ex, public=public, hidden=hidden, mistakes=mistakes)
