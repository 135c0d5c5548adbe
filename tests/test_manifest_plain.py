"""A check inside a release reads its manifest without pydantic, as ``Manifest.load`` would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.engine.manifest import MANIFEST_NAME, Manifest
from grader.engine.manifest_plain import manifest_text
from grader.errors import UsageError
from tests.support.helpers import ROOT, reference_text

PLAIN = {"course": "c", "title": "t", "grader_version": "0.1.0", "lang": "zh",
         "exercises": [{"id": "knn", "points": 18.0}, {"id": "adam", "points": 3}], "quizzes": ["q1"],
         "content_hash": "ab", "fixtures": "fx", "numpy": ">=2.0,<3"}
MANIFESTS = [
    json.dumps(PLAIN),
    json.dumps({"grader_version": "0", "exercises": []}),  # every default
    json.dumps({**PLAIN, "fixtures": "../elsewhere"}),
    json.dumps({**PLAIN, "extra": 1}),  # refused by pydantic: extra="forbid"
    json.dumps({**PLAIN, "numpy": 2}),  # not a string
    json.dumps({**PLAIN, "lang": "fr"}),
    json.dumps({**PLAIN, "exercises": [{"id": "knn", "points": 0}]}),  # points must be > 0
    json.dumps({**PLAIN, "exercises": [{"id": "knn", "points": "2"}]}),  # pydantic's to coerce
    json.dumps({**PLAIN, "exercises": [{"id": "knn", "points": True}]}),
    json.dumps({**PLAIN, "exercises": [{"points": 1}]}),
    json.dumps({"exercises": []}),  # no grader_version
    '{"grader_version": "0", "exercises": [], "numpy": ">=1.0,<2", "numpy": ">=2.0,<3"}',  # twice
    "[]", "{not json", "",
]


def _loaded(folder: Path, field: str) -> tuple[str, str]:
    try:
        return "ok", str(getattr(Manifest.load(folder), field))
    except UsageError as exc:
        return "error", str(exc)


def _plain(folder: Path, field: str) -> tuple[str, str]:
    try:
        return "ok", manifest_text(folder, field)
    except UsageError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("text", MANIFESTS)
def test_fields_read_as_manifest_load_reads_them(text: str, tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    for field in ("fixtures", "numpy"):
        assert _plain(tmp_path, field) == _loaded(tmp_path, field)


def test_a_check_in_a_release_imports_no_pydantic(tmp_path: Path) -> None:
    """And still says when the release was graded with another numpy."""
    import numpy as np

    other = ">=1.0,<2" if np.__version__.startswith("2") else ">=2.0,<3"
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"grader_version": "0", "exercises": [],
                                                      "numpy": other}), encoding="utf-8")
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "adam.py").write_text(reference_text("adam"), encoding="utf-8")
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('PYDANTIC', 'pydantic' in sys.modules))\n"
             "sys.argv = ['dlgrade', 'check', 'adam', '--no-record', '--public-only']\n"
             "from grader.cli.app import main\nmain()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DLGRADE_FIXTURES", None)
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"graded with numpy {other}" in " ".join(proc.stdout.split())
    assert proc.stdout.rstrip().endswith("PYDANTIC False")
