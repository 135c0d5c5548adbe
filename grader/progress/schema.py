"""The progress store's tables and the migrations from older versions.

Each migration turns version N into N+1 inside the caller's write
transaction, so a failed migration leaves the old file untouched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from grader.records import Verdict

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    exercise TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    grader_version TEXT NOT NULL,
    submission TEXT NOT NULL DEFAULT '',
    submission_sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (exercise, id);
CREATE TABLE IF NOT EXISTS case_results (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    visibility TEXT NOT NULL,
    points REAL NOT NULL,
    max_points REAL NOT NULL,
    verdict TEXT NOT NULL,
    kind TEXT NOT NULL,
    diagnosis TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
);
"""


def _migrate_v1(conn: sqlite3.Connection) -> None:
    """v1 kept cases as one JSON column and no submission; split them into rows."""
    rows = conn.execute("SELECT id, time, exercise, score, max_score, grader_version, cases "
                        "FROM attempts ORDER BY id").fetchall()
    conn.execute("ALTER TABLE attempts RENAME TO attempts_v1")
    conn.execute("DROP INDEX IF EXISTS attempts_exercise")
    create(conn)
    for id_, stamp, exercise, score, max_score, version, cases in rows:
        conn.execute("INSERT INTO attempts (id, time, exercise, score, max_score, grader_version) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (id_, stamp, exercise, score, max_score, version))
        for pos, case in enumerate(json.loads(cases or "[]")):
            passed = case.get("verdict") == Verdict.PASSED.value
            conn.execute(
                "INSERT INTO case_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (id_, pos, case.get("name", f"case {pos + 1}"), "public", float(case.get("points", 0.0)),
                 float(case.get("max_points", 0.0)), case.get("verdict", "exception"),
                 "" if passed else "message", "" if passed else " ".join(case.get("message", "").split())))
    conn.execute("DROP TABLE attempts_v1")


def create(conn: sqlite3.Connection) -> None:
    """Create the store's tables and indexes inside the open transaction."""
    # not executescript(): it would commit the open transaction first
    for stmt in _SCHEMA.split(";"):
        if stmt.strip():
            conn.execute(stmt)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_v1}


