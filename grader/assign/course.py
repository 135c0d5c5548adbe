"""A course pack's exercises inside a release or an autograder bundle.

A student release gets the public part of each pack exercise it assigns
(every file of the exercise's folder except ``solution.py`` and
``instructor.py``) under ``course/``, a ``course/course.toml`` listing exactly
the assigned exercises, and a ``dlgrade.toml`` at the release root naming
that folder, so ``dlgrade check`` run in the release finds them. Instructor
bundles (Gradescope) get the whole folders, hidden cases and mistakes included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from grader.engine import registry

FOLDER = "course"
INSTRUCTOR_ONLY = frozenset({"solution.py", "instructor.py"})


def _manifest(title: str, pack_ids: Sequence[str], builtin_ids: Sequence[str]) -> str:
    def array(items: Sequence[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    return (f"[course]\ntitle = {json.dumps(title)}\nexercises = {array(pack_ids)}\n"
            f"builtin = {array(builtin_ids)}\n")


def pack_files(exercises: Sequence[str], full: bool) -> dict[str, bytes]:
    """Relative path -> bytes of the pack files a release (or, ``full``, a bundle) carries.

    Empty when no assigned exercise comes from the active course pack.
    """
    pack = registry.course()
    chosen = [e for e in pack.exercises if e.id in exercises] if pack else []
    if pack is None or not chosen:
        return {}
    files: dict[str, bytes] = {}
    for ex in chosen:
        for path in sorted(ex.folder.rglob("*")):
            rel = path.relative_to(ex.folder)
            if (not path.is_file() or "__pycache__" in rel.parts
                    or (not full and rel.as_posix() in INSTRUCTOR_ONLY)):
                continue
            files[f"{FOLDER}/{ex.id}/{rel.as_posix()}"] = path.read_bytes()
    builtin_ids = [e for e in exercises if not registry.in_pack(e)]
    files[f"{FOLDER}/course.toml"] = _manifest(pack.title, [e.id for e in chosen], builtin_ids).encode()
    return files


def write_pack(exercises: Sequence[str], root: Path) -> None:
    """Put the public part of the assigned pack exercises into the student release at ``root``."""
    files = pack_files(exercises, full=False)
    if not files:
        return
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "dlgrade.toml").write_text(f'# dlgrade finds the course pack of this release here\n'
                                       f'course = "{FOLDER}"\n', encoding="utf-8")
