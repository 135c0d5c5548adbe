"""Shared fixtures: one real sandbox per test module, the repository, the course notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox.runner import Sandbox
from tests.support.paths import NOTES_ENV, ROOT, notes_dir


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run a test from the repository root, where ./exercises is the student copy."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture(scope="session")
def _test_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("progress-store")


@pytest.fixture(autouse=True)
def _own_progress_store(monkeypatch: pytest.MonkeyPatch, _test_store_dir: Path) -> None:
    """Attempts that tests record go to a store of this test run, never the repository's
    own .dlgrade/ (shared by parallel workers and left behind)."""
    monkeypatch.setenv("DLGRADE_STORE", str(_test_store_dir / "progress.sqlite3"))


@pytest.fixture(scope="session")
def course_notes() -> Path:
    """The course notes folder; tests that need it skip, with the reason, where it is absent."""
    found = notes_dir()
    if found is None:
        pytest.skip(f"the course notes are absent (../shared/seeds beside the repository, or ${NOTES_ENV})")
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leave no sandbox behind whose grader a test killed (see ``kill_orphans``)."""
    from grader.sandbox.isolation import kill_orphans

    kill_orphans()
