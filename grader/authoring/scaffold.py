"""``dlgrade new ID --course DIR``: the skeleton of a working exercise in a course pack.

Writes ``DIR/ID/`` with a reference (an affine layer named after the id,
with solution regions and shape-first docstrings), a suite with one public
case, one gradient check and one hidden case, an instructor module with one
named mistake, and a notebook introduction; creates ``DIR/course.toml`` if
there is none and adds the id to its ``exercises`` list if it has one. The
skeleton passes ``dlgrade selftest --course DIR`` as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.engine import courses
from grader.engine.registry import builtin
from grader.errors import UsageError
from grader.render.templates import render

FILES = {"solution.py": "scaffold_solution.py.j2", "suite.py": "scaffold_suite.py.j2",
         "instructor.py": "scaffold_instructor.py.j2", "intro.toml": "scaffold_intro.toml.j2"}
LIST = re.compile(r"^(\s*exercises\s*=\s*\[)([^\]]*)\]", re.MULTILINE)


def _add_to_list(manifest: Path, exercise: str) -> None:
    text = manifest.read_text(encoding="utf-8")
    data = courses.read_toml(manifest).get("course", {})
    if not isinstance(data, dict) or "exercises" not in data:
        return  # every folder with a suite.py is an exercise
    match = LIST.search(text)
    if match is None:
        raise UsageError(f"{manifest}: cannot add {exercise!r} to field 'course.exercises'; add it by hand")
    items = match.group(2).rstrip().rstrip(",")
    joined = f"{items}, \"{exercise}\"" if items.strip() else f"\"{exercise}\""
    manifest.write_text(text[:match.start()] + f"{match.group(1)}{joined}]" + text[match.end():],
                        encoding="utf-8")


def new_exercise(exercise: str, course: Path, title: str | None = None) -> list[Path]:
    """Write the skeleton of ``exercise`` into the pack at ``course``; the files written.

    Raises:
        UsageError: the id is not valid, is a built-in id, or its folder exists.
    """
    if not courses.ID.match(exercise):
        raise UsageError(f"{exercise!r} is not a valid exercise id: use lower case letters, digits "
                         "and _, starting with a letter (it is also the module name)")
    if exercise in builtin():
        raise UsageError(f"{exercise!r} is a built-in exercise; choose another id")
    folder = course / exercise
    if folder.exists():
        raise UsageError(f"{folder} already exists; choose another id or remove the folder")
    title = title or exercise.replace("_", " ").capitalize()
    written = []
    manifest = course / courses.MANIFEST
    if not manifest.is_file():
        course.mkdir(parents=True, exist_ok=True)
        manifest.write_text(render("scaffold_course.toml.j2", id=exercise, title=course.name),
                            encoding="utf-8")
        written.append(manifest)
    else:
        _add_to_list(manifest, exercise)
    folder.mkdir(parents=True)
    for name, template in FILES.items():
        path = folder / name
        path.write_text(render(template, id=exercise, title=title), encoding="utf-8")
        written.append(path)
    return written
