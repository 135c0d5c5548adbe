"""Course packs: a folder of exercises written with ``grader.api``, beside the built-in nine.

A pack is a folder with a ``course.toml`` and one sub-folder per exercise::

    mycourse/
      course.toml            [course] title = "...", exercises = ["dropout", ...],
                             builtin = true | false | ["softmax", ...]
      dropout/
        solution.py          the reference, with BEGIN/END SOLUTION regions
        suite.py             EXERCISE = Exercise(id="dropout", ...)   (public cases)
        instructor.py        INSTRUCTOR = Instructor(hidden=..., mistakes=...)   (optional)
        intro.toml           the notebook introduction (optional)

The student's file is ``dropout.py``, stripped from ``solution.py``. A pack's
modules are imported as one package (``dlgrade_course_<name>``), so
``instructor.py`` can say ``from .suite import layer``.

Which pack is active: ``--course DIR``, else ``$DLGRADE_COURSE``, else the
``course`` key of a ``dlgrade.toml`` in the current folder or the nearest
parent (up to the repository root).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.errors import UsageError
from grader.frozen import frozen

ENV = "DLGRADE_COURSE"
CONFIG = "dlgrade.toml"
MANIFEST = "course.toml"
ID = re.compile(r"^[a-z][a-z0-9_]*$")


class PackError(UsageError):
    """A broken course pack: one line naming the file and the field."""


@frozen
class PackExercise:
    """Where one pack exercise's parts live."""

    id: str
    folder: Path
    package: str  # dotted name of the exercise's package

    @property
    def solution(self) -> Path:
        """The reference (stripped into the student's file)."""
        return self.folder / "solution.py"

    @property
    def suite(self) -> Path:
        """The public suite (declares EXERCISE)."""
        return self.folder / "suite.py"

    @property
    def instructor(self) -> Path:
        """The instructor data (declares INSTRUCTOR; optional)."""
        return self.folder / "instructor.py"

    @property
    def intro(self) -> Path:
        """The notebook introduction (optional)."""
        return self.folder / "intro.toml"


@frozen
class Course:
    """A loaded course manifest (the modules are imported on demand)."""

    root: Path
    title: str
    exercises: tuple[PackExercise, ...]
    builtin: bool | tuple[str, ...]
    package: str

    def find(self, exercise: str) -> PackExercise | None:
        """The pack exercise with this id, or None."""
        return next((e for e in self.exercises if e.id == exercise), None)


_override: Path | None = None


def use(path: Path | None) -> None:
    """Make ``path`` the active pack (``--course``); None falls back to env and config."""
    global _override
    _override = path
    forget()


def forget() -> None:
    """Forget the ``dlgrade.toml`` lookups (a config may have been written since)."""
    _found.clear()


_found: dict[str, Path | None] = {}  # working folder -> the pack its dlgrade.toml names


def _config_course() -> Path | None:
    """The pack named by the nearest ``dlgrade.toml`` up from the working folder (looked up once)."""
    cwd = os.getcwd()
    if cwd not in _found:
        _found[cwd] = _find_config(Path(cwd).resolve())
    return _found[cwd]


def _find_config(here: Path) -> Path | None:
    for folder in (here, *here.parents):
        config = folder / CONFIG
        if config.is_file():
            data = read_toml(config)
            value = data.get("course")
            if not isinstance(value, str) or not value:
                raise PackError(f"{config}: field 'course' must name the course folder, "
                                "e.g. course = \"courses/notes-extra\"")
            return folder / value
        if (folder / ".git").exists():
            return None
    return None


def active_path() -> Path | None:
    """The active pack's folder, or None (built-in exercises only)."""
    if _override is not None:
        return _override
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return _config_course()


def read_toml(path: Path) -> dict[str, Any]:
    """A pack's TOML file; a syntax error is a PackError naming the file."""
    import tomllib  # only where a course pack or a dlgrade.toml is in use

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read ({exc.strerror})") from None


def _package_name(root: Path) -> str:
    slug = re.sub(r"\W+", "_", root.name).strip("_").lower() or "course"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return f"dlgrade_course_{slug}_{digest}"


def _namespace(name: str, folder: Path) -> None:
    """A package module for ``folder`` (no ``__init__.py`` needed)."""
    if name in sys.modules:
        return
    module = ModuleType(name)
    module.__path__ = [str(folder)]
    module.__file__ = None
    sys.modules[name] = module


def load_course(root: Path) -> Course:
    """Read a pack's ``course.toml`` and find its exercise folders.

    Raises:
        PackError: the folder or manifest is missing or a field is wrong.
    """
    root = root.expanduser().resolve()
    manifest = root / MANIFEST
    if not root.is_dir():
        raise PackError(f"{root}: course folder does not exist (from --course, ${ENV} or {CONFIG})")
    if not manifest.is_file():
        raise PackError(f"{manifest}: missing; a course folder needs a course.toml "
                        "(run 'dlgrade new ID --course DIR' to create one)")
    data = read_toml(manifest).get("course")
    if not isinstance(data, dict):
        raise PackError(f"{manifest}: field 'course': needs a [course] table")
    title = data.get("title", root.name)
    if not isinstance(title, str):
        raise PackError(f"{manifest}: field 'course.title' must be a string")
    builtin = data.get("builtin", True)
    if not (isinstance(builtin, bool) or (isinstance(builtin, list)
                                          and all(isinstance(b, str) for b in builtin))):
        raise PackError(f"{manifest}: field 'course.builtin' must be true, false or a list of ids")
    names = data.get("exercises")
    if names is None:
        names = sorted(p.parent.name for p in root.glob("*/suite.py"))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise PackError(f"{manifest}: field 'course.exercises' must be a list of exercise ids")
    package = _package_name(root)
    exercises = []
    for name in names:
        if not ID.match(name):
            raise PackError(f"{manifest}: field 'course.exercises': {name!r} is not a valid id "
                            "(lower case letters, digits and _, starting with a letter)")
        folder = root / name
        if not (folder / "suite.py").is_file():
            raise PackError(f"{folder / 'suite.py'}: missing (listed in {MANIFEST} 'course.exercises')")
        exercises.append(PackExercise(name, folder, f"{package}.{name}"))
    if len({e.id for e in exercises}) != len(exercises):
        raise PackError(f"{manifest}: field 'course.exercises' lists an id twice")
    return Course(root, title, tuple(exercises),
                  builtin if isinstance(builtin, bool) else tuple(builtin), package)


def import_part(course: Course, exercise: PackExercise, part: str) -> ModuleType:
    """Import ``solution``, ``suite`` or ``instructor`` of a pack exercise.

    Raises:
        PackError: the module raises on import (one line naming the file).
    """
    _namespace(course.package, course.root)
    _namespace(exercise.package, exercise.folder)
    name = f"{exercise.package}.{part}"
    if name in sys.modules:
        return sys.modules[name]
    path = exercise.folder / f"{part}.py"
    try:
        return importlib.import_module(name)
    except PackError:
        raise
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise PackError(f"{path}:{exc.lineno}: SyntaxError: {exc.msg}") from None
    except Exception as exc:
        sys.modules.pop(name, None)
        raise PackError(f"{path}: cannot import: {type(exc).__name__}: {exc}") from None
