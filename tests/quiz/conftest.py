"""Shared fixtures of the quiz tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.quiz import bank


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Variants depend on DLGRADE_QUIZ_SECRET (tests use the built-in default);
    'quiz take' records into a store of the test's own, never into the worktree."""
    monkeypatch.delenv("DLGRADE_QUIZ_SECRET", raising=False)
    monkeypatch.delenv("DLGRADE_STUDENT", raising=False)
    monkeypatch.setenv("DLGRADE_STORE", str(tmp_path / "progress.sqlite3"))


@pytest.fixture(scope="session")
def all_questions() -> list[tuple[str, str]]:
    return [(q, x.id) for q in bank.available() for x in bank.load(q).questions]
