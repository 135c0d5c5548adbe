"""Course packs for tests: the shipped notes-extra pack, and throwaway packs made by the scaffold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.engine import courses
from tests.support.paths import ROOT

NOTES_EXTRA = ROOT / "courses" / "notes-extra"
PACK_IDS = ("dropout", "two_layer_net", "rnn_step", "sgd_momentum", "batchnorm")


@pytest.fixture(autouse=True)
def no_active_pack(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts and ends with no course pack selected (no --course, env or dlgrade.toml)."""
    monkeypatch.delenv(courses.ENV, raising=False)
    courses.use(None)
    yield
    courses.use(None)


def pack_solution(exercise: str) -> str:
    return (NOTES_EXTRA / exercise / "solution.py").read_text(encoding="utf-8")


def one_line(text: str) -> str:
    """The single line of an error message (asserting there is exactly one)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def scaffold(root: Path, exercise: str = "affine") -> Path:
    """A pack at ``root`` holding one scaffolded exercise; returns the exercise folder."""
    from grader.authoring.scaffold import new_exercise

    new_exercise(exercise, root)
    courses.use(None)
    return root / exercise
