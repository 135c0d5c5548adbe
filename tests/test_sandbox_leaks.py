"""Issue 12, item 1: nothing of one student's case reaches a later child.

A writer (the correct knn that leaves its source in memory, System V IPC objects
and files behind) and a reader (the correct knn whose one_loop raises naming
whatever it finds of the writer) are graded by the same zygote, in one
``Sandbox`` at every level and by ``dlgrade grade -j 1``. The reader must score
full marks with no message, whatever the order, and no byte of the writer's
markers may appear in anything the reader's grading wrote.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import write_student
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.models import ExerciseResult
from grader.sandbox.isolation import UID_BASE, candidates
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.class_helpers import invoke, knn_manifest
from tests.support.leak_probes import IPC_MARKER, READER, SOURCE_MARKER, WRITER

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                   reason="System V IPC and /proc: Linux")]
LEVELS = [lv for lv in ("bwrap", "unshare", "process", "plain") if lv in candidates() or lv == "plain"]
MARKERS = (SOURCE_MARKER, IPC_MARKER)


def _grade(box: Sandbox, text: str) -> ExerciseResult:
    # Below bwrap, /tmp and System V IPC are the host's: a file name and an IPC key of their
    # own per level, so that two levels tested at once by two xdist workers do not meet.
    # Children of two graders running at the same time may (the README's security model).
    text = text.replace("leakprobe-drop", f"leakprobe-drop-{box.level}").replace(
        "_KEY = 0x5EC12", f"_KEY = {0x5EC12 + sum(map(ord, box.level))}")
    return grade_exercise(registry.load("knn"), Source("knn", text, "knn.py"), box,
                          Options(hidden=True, secret=b"leak-test", student="s1"))


def _assert_clean(result: ExerciseResult) -> None:
    failed = {c.name: c.message for c in result.cases if not c.passed}
    assert not failed, failed  # a leak fails the one_loop cases with "RuntimeError ... LEAK"
    assert result.score == result.max_score == 18
    dumped = result.model_dump_json()
    assert not any(m in dumped for m in MARKERS)


@pytest.fixture(params=LEVELS)
def box(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    with Sandbox(level=request.param) as sandbox:
        yield sandbox


def test_the_reader_alone_scores_full_marks(box: Sandbox) -> None:
    _assert_clean(_grade(box, READER))  # and its heap scan found its own marker (else it raises)


def test_a_reader_after_a_writer_in_the_same_zygote_finds_nothing(box: Sandbox) -> None:
    for _ in range(2):
        writer = _grade(box, WRITER)
        assert writer.score == writer.max_score == 18  # leaving marks costs the writer nothing
        _assert_clean(_grade(box, READER))


def _verdicts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if "verdict" in node:
            yield str(node["verdict"])
        for value in node.values():
            yield from _verdicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _verdicts(value)


def test_a_class_graded_by_one_worker_leaks_nothing(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    for sid, code in (("s01", READER), ("s02", WRITER), ("s03", READER), ("s04", WRITER), ("s05", READER)):
        write_student(subs, sid, {"knn": code}, "folder")
    out = tmp_path / "results"
    code, text = invoke("grade", str(subs), "--out", str(out), "--manifest",
                        str(knn_manifest(tmp_path / "manifest.json")), "--jobs", "1",
                        "--secret", "leak-test", "--allow-unisolated")
    assert code == 0, text
    for sid in ("s01", "s03", "s05"):
        record = (out / "students" / f"{sid}.json").read_text(encoding="utf-8")
        assert not any(m in record for m in MARKERS), sid
        verdicts = list(_verdicts(json.loads(record)))
        assert len(verdicts) == 12 and set(verdicts) == {"passed"}, (sid, verdicts)
    for path in out.rglob("*"):
        if path.is_file() and "s02" not in path.name and "s04" not in path.name:
            data = path.read_bytes()
            assert not any(m.encode() in data for m in MARKERS), path


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: objects of another uid")
def test_what_a_killed_grader_left_is_removed_when_a_zygote_starts() -> None:
    """A segment of a dlgrade uid that no process runs as (its grader was killed mid-case)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.setresuid(UID_BASE + 99_999_999, UID_BASE + 99_999_999, UID_BASE + 99_999_999)
        os._exit(0 if libc.shmget(0x5EC13, 4096, 0o1666) >= 0 else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert libc.shmget(0x5EC13, 0, 0) >= 0
    with Sandbox(level="process") as box:
        assert box.isolation
    assert libc.shmget(0x5EC13, 0, 0) == -1
