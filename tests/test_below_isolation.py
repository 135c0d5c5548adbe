"""Issue 12, item 6: below full isolation, instructor files and secrets stay secret.

At the ``unshare``, ``process`` and ``plain`` levels the child sees the real file
system; as root, it runs as a dropped uid, and the grader makes the instructor's
files, the other students' work and the results unreadable by it first. A
snooping submission must score full marks (it read nothing) while the same
submission, run where it can read a planted file, proves the snoop works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import write_student
from grader.models import Verdict
from grader.sandbox.guard import others_can_reach
from grader.sandbox.isolation import candidates
from grader.sandbox.runner import Sandbox
from tests.support.class_helpers import knn_manifest
from tests.support.paths import ROOT
from tests.support.sandbox_support import grade
from tests.support.snoop import snooper

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and os.geteuid() == 0),
    reason="needs root on Linux: only a dropped uid can be kept out of the grader's files")
BELOW = [lv for lv in ("unshare", "process", "plain") if lv in candidates() or lv != "unshare"]
MARKER = "PLANTED-SECRET-below-9d1e55"


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder every uid can reach, as /autograder or a course checkout would be."""
    path = Path(tempfile.mkdtemp(prefix="dlgrade-open-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        subprocess.run(["rm", "-rf", str(path)], check=False)


def _plant(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    planted = folder / "knn.py"
    planted.write_text(f"# {MARKER}\n")
    planted.chmod(0o644)
    return planted


@pytest.mark.parametrize("level", BELOW)
def test_the_child_reads_no_solution_instructor_file_or_other_student(level: str, open_dir: Path) -> None:
    (ROOT / "solutions").chmod(0o755)  # as a fresh checkout has it
    other = _plant(open_dir / "subs" / "s01")
    solutions = ROOT / "solutions"
    paths = [str(solutions / "knn.py"), str(solutions / "instructor" / "knn.py"), str(other)]
    with Sandbox(level=level, protect=[open_dir / "subs"]) as box:
        result = grade(box, snooper(paths, MARKER))
        assert box.shielded  # it said what it made unreadable
    failed = {c.name: c.message for c in result.cases if not c.passed}
    assert not failed and result.score == result.max_score, failed
    assert not others_can_reach(ROOT / "solutions" / "knn.py")
    assert (ROOT / "solutions" / "knn.py").read_text()  # the grader itself still reads it


def test_the_snoop_does_find_a_readable_file(open_dir: Path) -> None:
    readable = _plant(open_dir / "elsewhere")
    with Sandbox(level="process") as box:
        result = grade(box, snooper([str(readable)], MARKER))
    one_loop = next(c for c in result.cases if c.name == "one_loop")
    assert one_loop.verdict is Verdict.EXCEPTION and "READ" in one_loop.message
    assert next(c for c in result.cases if c.name == "two_loops").passed  # the rest still scores


@pytest.mark.slow
def test_grade_refuses_a_secret_on_the_command_line_below_isolation(open_dir: Path) -> None:
    write_student(open_dir / "subs", "s01", {"knn": snooper([], MARKER)}, "folder")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLGRADE_")}
    env["DLGRADE_SANDBOX"] = "process"
    dlgrade = str(Path(sys.executable).with_name("dlgrade"))
    base = [dlgrade, "grade", str(open_dir / "subs"), "--manifest", str(knn_manifest(open_dir / "m.json")),
            "--jobs", "1", "--allow-unisolated"]
    proc = subprocess.run([*base, "--out", str(open_dir / "r1"), "--secret", MARKER], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "DLGRADE_SECRET" in proc.stderr + proc.stdout
    assert not (open_dir / "r1" / "students").exists()
    proc = subprocess.run([*base, "--out", str(open_dir / "r2")], env=env | {"DLGRADE_SECRET": MARKER},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    record = (open_dir / "r2" / "students" / "s01.json").read_text()
    assert "READ" not in record and '"failed"' not in record and MARKER not in record
    assert not others_can_reach(open_dir / "r2") and not others_can_reach(open_dir / "subs")
