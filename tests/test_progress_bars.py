"""Long commands show their progress on a real terminal: one bar in grade, one in assign."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.class_helpers import knn_manifest
from tests.support.helpers import reference_text
from tests.support.paths import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]
BAR = re.compile(r"[━╸╺]+")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run ``dlgrade ARGS`` with stdout and stderr on a pseudo-terminal; all it drew."""
    leader, follower = os.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm", "PYTHONPATH": str(ROOT)}
    env.pop("CI", None)
    proc = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")
    return ANSI.sub("", b"".join(chunks).decode(errors="replace"))


def test_grade_draws_one_bar(tmp_path: Path) -> None:
    for student in ("ann", "bob", "cy"):
        (tmp_path / "subs" / student).mkdir(parents=True)
        (tmp_path / "subs" / student / "knn.py").write_text(reference_text("knn"))
    manifest = knn_manifest(tmp_path / "m.json")
    screen = _on_a_terminal(["grade", "subs", "--out", "res", "--manifest", str(manifest), "-j", "1"],
                            tmp_path)
    frames = [f for f in re.split(r"[\r\n]", screen) if "/3" in f and "grading" in f]
    assert frames, screen
    assert all(len(BAR.findall(f)) == 1 for f in frames), frames
    assert any("3/3" in f for f in frames)


def test_assign_shows_each_exercise_being_built(tmp_path: Path) -> None:
    screen = _on_a_terminal(["assign", "--out", "rel", "--exercises", "knn,adam"], tmp_path)
    assert "building knn" in screen and "building adam" in screen
    assert "wrote student release" in screen
