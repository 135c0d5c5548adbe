"""Shared helpers of the hostile-submission tests: a small knn exercise, markers, process scans."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.suite import Exercise
from grader.models import ExerciseResult
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.paths import ROOT as REPO

REFERENCE = (REPO / "solutions" / "knn.py").read_text()
SHORT = 1.0  # seconds: the timeout of every case in the hostile suite
PUBLIC = ("two_loops", "one_loop", "vote_k1")
HIDDEN = ("hidden_one_test_point", "hidden_two_loops_wide")
FILE_MARKER = "PLANTED-INSTRUCTOR-SECRET-7f3a91"
ENV_MARKER = "PLANTED-ENV-SECRET-c0ffee42"
HMAC_MARKER = b"PLANTED-HMAC-SECRET-5eed5eed"


def small_knn() -> Exercise:
    """knn with five cases (three public, two hidden), each with a short timeout."""
    knn = registry.load("knn")
    pick = {c.name: dataclasses.replace(c, timeout=SHORT) for c in knn.cases}
    return dataclasses.replace(knn, public=tuple(pick[n] for n in PUBLIC),
                               hidden=tuple(pick[n] for n in HIDDEN))


def grade(box: Sandbox, text: str, exercise: Exercise | None = None) -> ExerciseResult:
    opts = Options(hidden=True, secret=HMAC_MARKER, student="s0042")
    return grade_exercise(exercise or small_knn(), Source("knn", text, "knn.py"), box, opts)


def proc_uid(pid: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def survivors(tag: str, uid: int | None) -> list[str]:
    """Processes carrying the sandbox's marker on their command line, or running as its uid."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if tag.encode() in cmdline or (uid is not None and proc_uid(pid) == uid):
            found.append(pid)
    return found


def children_alive(uid: int | None) -> list[str]:
    """Processes running as the sandbox's dropped uid (only children ever do)."""
    if uid is None:
        return []
    return [p for p in os.listdir("/proc") if p.isdigit() and proc_uid(p) == uid]


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
