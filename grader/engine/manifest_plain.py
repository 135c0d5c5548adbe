"""A student release's manifest as ``dlgrade check`` reads it: without pydantic.

Inside a release (no reference installed) a check needs two fields of the manifest:
where the fixtures are and which numpy the release was graded with. Importing pydantic
for them would cost about as much as the check's own imports, so a manifest whose every
field has the type ``grader.engine.manifest.Manifest`` declares is read here with
``json``; anything else (a missing or unknown field, a wrong type, a value pydantic
would coerce or refuse) goes to ``Manifest.load``, which reads and refuses it as ever.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from grader.errors import UsageError

MANIFEST_NAME = "dlgrade-manifest.json"  # as grader.engine.manifest names it
TEXTS = ("course", "title", "grader_version", "content_hash", "fixtures", "numpy")
DEFAULTS = {"fixtures": "fixtures", "numpy": ""}


def _plain(data: Any) -> bool:
    """Whether ``data`` is a manifest ``Manifest`` accepts as it is, with nothing to coerce."""
    if not isinstance(data, dict) or not {"grader_version", "exercises"} <= data.keys():
        return False
    if not data.keys() <= {*TEXTS, "lang", "exercises", "quizzes"}:
        return False
    if not all(isinstance(data[k], str) for k in TEXTS if k in data):
        return False
    quizzes, exercises = data.get("quizzes", []), data["exercises"]
    if data.get("lang", "en") not in ("en", "zh") or not isinstance(quizzes, list):
        return False
    return all(isinstance(q, str) for q in quizzes) and isinstance(exercises, list) and all(
        isinstance(e, dict) and "id" in e and e.keys() <= {"id", "points"} and isinstance(e["id"], str)
        and ("points" not in e or (type(e["points"]) in (int, float) and e["points"] > 0)) for e in exercises)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")  # left to pydantic's reading
    return dict(pairs)


def manifest_text(folder: Path, field: str) -> str:
    """The text field ``field`` of the manifest in ``folder``, as ``Manifest.load(folder)`` gives it.

    Raises:
        UsageError: The manifest is missing or invalid (from ``Manifest.load``).
    """
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique)
    except (OSError, ValueError):
        data = None
    if _plain(data):
        return str(data.get(field, DEFAULTS.get(field, "")))
    from grader.engine.manifest import Manifest  # pydantic: reads or refuses what is not plain

    return str(getattr(Manifest.load(folder), field))


def numpy_outside(spec: str, version: str) -> str:
    """One line when ``version`` lies outside a manifest's ``numpy`` range, else ``""``."""
    found = re.fullmatch(r">=(\d+)[.\d]*,<(\d+)", spec)
    if not found:
        return ""
    major = int(version.split(".")[0])
    if int(found.group(1)) <= major < int(found.group(2)):
        return ""
    return (f"note: this release was graded with numpy {spec}, you have numpy {version}: "
            f"the same code can behave differently (pip install 'numpy{spec}')")


def release_numpy_note(version: str, *starts: Path) -> str:
    """The ``numpy_outside`` note for the release whose manifest is nearest above ``starts``.

    ``""`` outside a release, or for a manifest that cannot be read (checked elsewhere).
    """
    if not re.fullmatch(r"\d+(\.\w+)*", version):
        return ""
    for start in starts:
        here = start.resolve()
        for folder in [here, *here.parents][:5]:
            if (folder / MANIFEST_NAME).is_file():
                try:
                    return numpy_outside(manifest_text(folder, "numpy"), version)
                except UsageError:
                    return ""
    return ""
