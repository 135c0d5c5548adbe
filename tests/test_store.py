"""The progress store on a real SQLite file: round trip, migration, corruption, a real SIGKILL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.models import Verdict
from grader.progress.schema import SCHEMA_VERSION
from grader.progress.store import DEFAULT_PATH, ENV_VAR, Store, StoreError, resolve_path
from tests.support.progress_helpers import TIES, case, filled_store, knn_attempts, quiz_attempts, result

TESTS = Path(__file__).parent.parent  # the repository: the script imports tests.support

# The schema dlgrade 0.0.x wrote (version 1): cases as one JSON column, no submission hash.
V1_DDL = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    exercise TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    grader_version TEXT NOT NULL,
    cases TEXT NOT NULL
);
CREATE INDEX attempts_exercise ON attempts (exercise, id);
"""


def v1_store(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    rows = [("2026-02-01 10:00:00", "knn", 2.0, 5.0, "0.0.9",
             [{"name": "two_loops", "verdict": "passed", "points": 2, "max_points": 2},
              {"name": "vote_k1", "verdict": "wrong_value", "points": 0, "max_points": 3,
               "message": "y_pred: rel_error 1\n at [0]"}]),
            ("2026-02-01 10:05:00", "knn", 5.0, 5.0, "0.0.9",
             [{"name": "two_loops", "verdict": "passed", "points": 2, "max_points": 2},
              {"name": "vote_k1", "verdict": "passed", "points": 3, "max_points": 3}])]
    for stamp, ex, score, mx, version, cases in rows:
        conn.execute("INSERT INTO attempts (time, exercise, score, max_score, grader_version, cases) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (stamp, ex, score, mx, version, json.dumps(cases)))
    conn.commit()
    conn.close()
    return path


def test_round_trip_keeps_verdicts_kinds_and_one_line_diagnosis(tmp_path: Path) -> None:
    hidden = case("hidden_ties", 2, Verdict.EXCEPTION, "IndexError", visibility="hidden")
    wrong = case("vote", 3, Verdict.WRONG_VALUE, "y_pred: rel_error 1\nworst at [2]", TIES)
    sent = result("knn", [case("two_loops", 2), wrong, hidden], "K-nearest neighbours", sha="ab" * 32)
    with Store(tmp_path / "s.sqlite3") as store:
        store.record(sent, "1.2.3")
        store.record(quiz_attempts()[0], "1.2.3")
        knn, quiz = store.attempts()
    assert (knn.exercise, knn.score, knn.max_score, knn.grader_version) == ("knn", 2.0, 7.0, "1.2.3")
    assert knn.submission_sha256 == "ab" * 32 and knn.submission == "exercises/knn.py"
    assert [(c.name, c.verdict, c.kind) for c in knn.cases] == [
        ("two_loops", "passed", ""), ("vote", "wrong_value", "known_mistake"),
        ("hidden_ties", "exception", "hidden")]
    assert knn.cases[1].diagnosis == f"{TIES.title}. Hint: {TIES.hint}"
    assert "\n" not in knn.cases[1].diagnosis
    assert quiz.exercise == "quiz:conv_shapes" and [c.name for c in quiz.cases] == ["q1", "q2", "q3"]


def test_path_option_beats_environment_beats_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert resolve_path() == DEFAULT_PATH == Path(".dlgrade/progress.sqlite3")
    monkeypatch.setenv(ENV_VAR, "/tmp/elsewhere.sqlite3")
    assert resolve_path() == Path("/tmp/elsewhere.sqlite3")
    assert resolve_path(Path("mine.sqlite3")) == Path("mine.sqlite3")


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "not" / "there.sqlite3"
    with Store(path, create=False) as store:
        assert store.attempts() == [] and store.count() == 0 and store.reset() == 0
    assert not path.parent.exists()


def test_v1_store_is_migrated_not_discarded(tmp_path: Path) -> None:
    path = v1_store(tmp_path / "old.sqlite3")
    with Store(path) as store:
        first, second = store.attempts()
        new_id = store.record(knn_attempts()[-1], "0.1.0")
    assert (first.score, second.score) == (2.0, 5.0)
    assert first.time.isoformat() == "2026-02-01T10:00:00+00:00"
    assert [(c.name, c.verdict, c.max_points) for c in first.cases] == [
        ("two_loops", "passed", 2.0), ("vote_k1", "wrong_value", 3.0)]
    assert first.cases[1].diagnosis == "y_pred: rel_error 1 at [0]"
    assert new_id == 3
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "attempts_v1" not in tables and "cases" not in [
        r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    conn.close()
    with Store(path) as again:  # a second open does not migrate twice
        assert [a.id for a in again.attempts()] == [1, 2, 3]
    kept = sqlite3.connect(tmp_path / "old.sqlite3.v1.bak")  # the file as it was, beside it
    assert kept.execute("SELECT count(*), min(cases) LIKE '[%' FROM attempts").fetchone() == (2, 1)
    kept.close()


def test_store_from_a_newer_dlgrade_is_refused_and_kept(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"newer dlgrade \(schema 99\)"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 6
    conn.close()


@pytest.mark.parametrize("content", [b"this is not a database" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupted_store_names_the_file_and_how_to_move_it_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        Store(path)
    text = str(err.value)
    assert str(path) in text and f"mv '{path}' '{path}.broken'" in text and "--no-record" in text
    assert "\n" not in text
    assert path.read_bytes() == content  # nothing is overwritten


def test_reset_deletes_every_attempt(tmp_path: Path) -> None:
    with Store(filled_store(tmp_path / "s.sqlite3")) as store:
        assert store.reset() == 6
        assert store.attempts() == []
        conn = sqlite3.connect(store.path)
        assert conn.execute("SELECT count(*) FROM case_results").fetchone()[0] == 0


KILLED = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.support.progress_helpers import case, result
    from grader.models import Verdict
    from grader.progress.store import Store

    # big rows, so that uncommitted pages spill into the WAL file before the kill
    big = result("knn", [case(f"c{i}", 1, Verdict.WRONG_VALUE, "x" * 400) for i in range(60)])
    with Store(Path(sys.argv[1])) as store:
        if sys.argv[2] == "open":
            with store.transaction() as conn:
                for _ in range(200):
                    store.insert(conn, big, "killed")
                print("inside", flush=True)
                time.sleep(120)
        n = 0
        while True:
            store.record_many([big] * 5, "killed")
            n += 5
            print(n, flush=True)
""")


def _run_until(path: Path, mode: str, tmp_path: Path, ready: int) -> int:
    """Start the writer, wait until it reports progress, SIGKILL it; the last count it reported."""
    script = tmp_path / "writer.py"
    script.write_text(KILLED)
    proc = subprocess.Popen([sys.executable, str(script), str(path), mode, str(TESTS)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    last = 0
    for line in proc.stdout:
        last = 0 if line.strip() == "inside" else int(line)
        if line.strip() == "inside" or last >= ready:
            break
    proc.kill()
    proc.wait(timeout=30)
    assert proc.returncode == -9
    return last


def _intact(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as store:
        attempts = store.attempts()
        # every attempt kept is whole: all of its cases or it is not there at all
        assert all(len(a.cases) == (60 if a.grader_version == "killed" else len(a.cases)) for a in attempts)
        assert [a.exercise for a in attempts[:6]] == ["knn"] * 4 + ["quiz:conv_shapes", "linear_svm"]
        store.record(knn_attempts()[0], "after")  # still writable
        return [a.id for a in attempts if a.grader_version == "killed"]


def test_kill_inside_an_open_transaction_keeps_every_earlier_attempt(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    _run_until(path, "open", tmp_path, 0)
    assert Path(f"{path}-wal").stat().st_size > 1_000_000  # the killed write really reached the disk
    assert _intact(path) == []


def test_kill_between_and_during_commits_loses_at_most_the_unfinished_one(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    reported = _run_until(path, "loop", tmp_path, 40)
    killed = _intact(path)
    assert len(killed) >= reported and len(killed) % 5 == 0  # whole batches only


def test_truncated_store_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as store:
        for _ in range(50):
            store.record_many(knn_attempts(), "0.1.0")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, then cut it in half
    conn.close()
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    damaged = path.read_bytes()
    with pytest.raises(StoreError, match="move it aside"), Store(path) as store:
        store.attempts()
    assert path.read_bytes() == damaged


def test_a_folder_in_place_of_the_store_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_a_check_run_records_every_exercise_but_missing_files(tmp_path: Path) -> None:
    from grader.models import RunResult

    missing = result("softmax", [case("loss", 3, Verdict.MISSING_MODULE, "no softmax.py in exercises")])
    run = RunResult(grader_version="0.1.0", exercises=[knn_attempts()[1], missing, quiz_attempts()[0]])
    with Store(tmp_path / "s.sqlite3") as store:
        assert len(store.record_run(run)) == 2
        assert [a.exercise for a in store.attempts()] == ["knn", "quiz:conv_shapes"]
