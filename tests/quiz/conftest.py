"""Shared fixtures of the quiz tests."""

from __future__ import annotations

import pytest

from grader.quiz import bank


@pytest.fixture(autouse=True)
def _default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Variants depend on DLGRADE_QUIZ_SECRET; tests use the built-in default."""
    monkeypatch.delenv("DLGRADE_QUIZ_SECRET", raising=False)
    monkeypatch.delenv("DLGRADE_STUDENT", raising=False)


@pytest.fixture(scope="session")
def all_questions() -> list[tuple[str, str]]:
    return [(q, x.id) for q in bank.available() for x in bank.load(q).questions]
