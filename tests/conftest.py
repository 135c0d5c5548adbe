"""Shared fixtures: one real sandbox per test module, paths of the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox.runner import Sandbox

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run a test from the repository root, where ./exercises is the student copy."""
    monkeypatch.chdir(ROOT)
    return ROOT
