"""The progress store: every graded attempt, kept in a small SQLite file.

The file lives in ``.dlgrade/progress.sqlite3`` of the working folder unless ``--store PATH`` or
``DLGRADE_STORE`` says otherwise. Writes happen in ``BEGIN IMMEDIATE`` transactions on a WAL journal
with a busy timeout, so parallel ``dlgrade check`` runs queue instead of failing, and a process killed
mid-write leaves only its own uncommitted attempt behind. Only :meth:`Store.reset` deletes history.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast

from grader.errors import UsageError
from grader.progress.records import Attempt, CaseRecord, message_kind, one_line
from grader.progress.schema import MIGRATIONS, SCHEMA_VERSION, create
from grader.records import Verdict

if TYPE_CHECKING:  # a result as the engine builds it (a record) or validated (a model)
    from grader import models, records
    from grader.progress.records import CaseResult
    ExerciseResult: TypeAlias = records.ExerciseResult | models.ExerciseResult
    RunResult: TypeAlias = records.RunResult | models.RunResult

ENV_VAR = "DLGRADE_STORE"
DEFAULT_PATH = Path(".dlgrade") / "progress.sqlite3"
BUSY_TIMEOUT_S = 30.0


class StoreError(UsageError):
    """The store cannot be used: one line naming the file and the way out."""


def resolve_path(option: Path | None = None) -> Path:
    """``--store`` first, then ``$DLGRADE_STORE``, then ``.dlgrade/`` here."""
    if option is not None:
        return option
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_PATH


def _utc(stamp: str) -> datetime:
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _broken(path: Path, exc: sqlite3.Error) -> StoreError:
    if "locked" in str(exc) or "busy" in str(exc):
        return StoreError(f"progress store {path} stayed busy for {BUSY_TIMEOUT_S:g}s ({exc}); "
                          "try again, or run with --no-record")
    return StoreError(f"progress store {path} is unreadable ({exc}); move it aside "
                      f"(mv '{path}' '{path}.broken') to start a new history, or run with --no-record")


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL; racing first openers can see SQLITE_BUSY here without the busy handler."""
    for attempt in range(200):
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 199:
                raise
            time.sleep(0.05)


class Store:
    """An open progress store; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, create: bool = True) -> None:
        """Open the store at ``path``; unless ``create``, a missing file is not created."""
        self.path = path
        self._conn: sqlite3.Connection | None = None
        if create or path.exists():  # reading a history never written creates nothing
            self._open()

    def _open(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        if self.path.is_dir():
            raise StoreError(f"progress store {self.path} is a folder; pass --store PATH/progress.sqlite3")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of progress store {self.path} ({exc}); "
                             "pass --store PATH or run with --no-record") from None
        try:
            self._conn = conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            _wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe against a killed process
            self._prepare(conn)
        except (sqlite3.Error, StoreError) as exc:
            self.close()
            raise exc if isinstance(exc, StoreError) else _broken(self.path, exc) from None
        return conn

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection, if open."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it."""
        conn = self._open()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _version(self, conn: sqlite3.Connection) -> int:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            return 0 if "attempts" not in tables else 1
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Create the schema or migrate an older one, under the write lock."""
        found = self._version(conn)
        if found == SCHEMA_VERSION:
            return
        if 0 < found < SCHEMA_VERSION:
            self._keep_copy(conn, found)  # outside the write lock: a backup cannot read under it
        with self.transaction():
            version = self._version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(f"progress store {self.path} was written by a newer dlgrade (schema "
                                 f"{version}); upgrade dlgrade or pass --store PATH for a new file")
            if version == 0:
                create(conn)
            while 0 < version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))

    def _keep_copy(self, conn: sqlite3.Connection, version: int) -> None:
        """Before migrating, keep a copy of the old file, so a student can return to the older dlgrade."""
        copy = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not copy.exists():
            target = sqlite3.connect(copy)
            try:
                conn.backup(target)
            finally:
                target.close()

    def insert(self, conn: sqlite3.Connection, result: ExerciseResult, grader_version: str,
               when: datetime | None = None) -> int:
        """Add one attempt inside an open :meth:`transaction`; returns its id."""
        stamp = (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
        cur = conn.execute(
            "INSERT INTO attempts (time, exercise, title, score, max_score, grader_version, submission, "
            "submission_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (stamp, result.exercise, result.title, result.score, result.max_score, grader_version,
             result.submission, result.submission_sha256))
        attempt = int(cur.lastrowid or 0)
        conn.executemany("INSERT INTO case_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (attempt, pos, c.name, c.visibility, c.points, c.max_points, c.verdict.value,
             message_kind(c), one_line(c)) for pos, c in enumerate(cast("list[CaseResult]", result.cases))])
        return attempt

    def record(self, result: ExerciseResult, grader_version: str, when: datetime | None = None) -> int:
        """Save one graded exercise (or quiz: ``exercise`` = ``"quiz:<id>"``)."""
        return self.record_many([result], grader_version, when)[0]

    def record_many(self, results: Sequence[ExerciseResult], grader_version: str,
                    when: datetime | None = None) -> list[int]:
        """Save graded exercises in one transaction; returns their attempt ids."""
        try:
            with self.transaction() as conn:
                return [self.insert(conn, r, grader_version, when) for r in results]
        except sqlite3.Error as exc:
            raise _broken(self.path, exc) from None

    def record_run(self, run: RunResult) -> list[int]:
        """Save a ``dlgrade check`` run; exercises with no file submitted are not attempts."""
        tried = [r for r in run.exercises
                 if r.cases and not all(c.verdict is Verdict.MISSING_MODULE for c in r.cases)]
        return self.record_many(tried, run.grader_version) if tried else []

    def attempts(self, exercise: str | None = None) -> list[Attempt]:
        """Every attempt in the order it was recorded (optionally of one exercise)."""
        if self._conn is None:
            return []
        where, args = ("WHERE exercise = ?", (exercise,)) if exercise else ("", ())
        try:
            rows = self._conn.execute(
                "SELECT id, time, exercise, title, score, max_score, grader_version, submission, "
                f"submission_sha256 FROM attempts {where} ORDER BY id", args).fetchall()
            cases: dict[int, list[CaseRecord]] = {}
            for attempt_id, *fields in self._conn.execute(
                    "SELECT attempt_id, name, visibility, points, max_points, verdict, kind, diagnosis "
                    "FROM case_results ORDER BY attempt_id, position"):
                cases.setdefault(attempt_id, []).append(CaseRecord(*fields))
        except sqlite3.Error as exc:
            raise _broken(self.path, exc) from None
        return [Attempt(id=r[0], time=_utc(r[1]), exercise=r[2], title=r[3], score=r[4], max_score=r[5],
                        grader_version=r[6], submission=r[7], submission_sha256=r[8],
                        cases=tuple(cases.get(r[0], ()))) for r in rows]

    def count(self) -> int:
        """How many attempts are recorded."""
        if self._conn is None:
            return 0
        try:
            return int(self._conn.execute("SELECT count(*) FROM attempts").fetchone()[0])
        except sqlite3.Error as exc:
            raise _broken(self.path, exc) from None

    def reset(self) -> int:
        """Delete every attempt (the CLI asks first); returns how many were deleted."""
        if self._conn is None:
            return 0
        try:
            with self.transaction() as conn:
                gone = int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])
                conn.execute("DELETE FROM case_results")
                conn.execute("DELETE FROM attempts")
        except sqlite3.Error as exc:
            raise _broken(self.path, exc) from None
        return gone


def open_store(option: Path | None = None, create: bool = True) -> Store:
    """The progress store at ``option``, ``$DLGRADE_STORE`` or the default path."""
    return Store(resolve_path(option), create=create)
