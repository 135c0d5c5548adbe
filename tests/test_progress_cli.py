"""``dlgrade check`` recording and ``dlgrade progress``, through CliRunner and real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine import registry
from grader.progress.store import ENV_VAR, Store
from tests.support.paths import ROOT
from tests.support.progress_helpers import filled_store

STUBS = ROOT / "exercises"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.mark.slow
def test_ten_checks_started_at_once_all_record(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    cmd = [sys.executable, "-m", "grader", "check", "knn", "--public-only", "--submission", str(STUBS),
           "--store", str(path), "--format", "json"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(10)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [1] * 10, [e.decode()[-500:] for _, e in outs]
    with Store(path) as store:
        attempts = store.attempts()
    assert len(attempts) == 10 and len({a.id for a in attempts}) == 10
    n_cases = len(json.loads(outs[0][0])["exercises"][0]["cases"])
    assert all(len(a.cases) == n_cases and a.exercise == "knn" for a in attempts)
    assert len({a.submission_sha256 for a in attempts}) == 1  # the same stub every time
    assert attempts[0].submission_sha256 == json.loads(outs[0][0])["exercises"][0]["submission_sha256"]


def test_check_records_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ok = runner.invoke(app, ["check", "knn", "--public-only", "-s", str(ROOT / "solutions")])
    assert ok.exit_code == 0, ok.output
    default = tmp_path / ".dlgrade" / "progress.sqlite3"
    with Store(default) as store:
        (attempt,) = store.attempts()
    assert attempt.score == attempt.max_score > 0 and attempt.passed
    skipped = runner.invoke(app, ["check", "knn", "--public-only", "-s", str(STUBS), "--no-record"])
    assert skipped.exit_code == 1
    with Store(default) as store:
        assert store.count() == 1
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "moved.sqlite3"))
    assert runner.invoke(app, ["check", "knn", "--public-only", "-s", str(STUBS)]).exit_code == 1
    with Store(tmp_path / "moved.sqlite3") as moved, Store(default) as store:
        assert moved.count() == 1 and store.count() == 1


def test_corrupted_store_is_one_line_and_no_record_still_checks(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"garbage, not a database " * 200)
    args = ["check", "knn", "--public-only", "-s", str(STUBS), "--store", str(path)]
    broken = runner.invoke(app, args)
    assert broken.exit_code == 2
    (line,) = broken.output.strip().splitlines()
    assert line.startswith("error: progress store") and str(path) in line and "mv " in line
    assert runner.invoke(app, [*args, "--no-record"]).exit_code == 1
    progress = runner.invoke(app, ["progress", "--store", str(path)])
    assert progress.exit_code == 2 and str(path) in progress.output
    assert path.read_bytes().startswith(b"garbage")


def test_progress_table_shows_scores_failing_cases_quizzes_and_next_step(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    out = runner.invoke(app, ["progress", "--store", str(path)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    text = out.output
    assert "Exercises" in text and "Quizzes" in text
    assert text.index("knn") < text.index("Quizzes") < text.index("quiz:conv_shapes")
    full = f"{registry.load('knn').points:g}"
    assert f"{full}/{full}" in text  # knn passed on the fourth attempt
    assert "q2: the feature map is 3x3, not 4x4" in text
    assert "Try next" in text and "dlgrade quiz take conv_shapes" in text


def test_progress_json_and_chinese_labels(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    data = json.loads(runner.invoke(app, ["progress", "--store", str(path), "--json"]).output)
    knn = next(e for e in data["exercises"] if e["id"] == "knn")
    assert (knn["attempts"], knn["attempts_to_pass"], knn["status"]) == (4, 4, "passed")
    assert [q["id"] for q in data["quizzes"]] == ["quiz:conv_shapes"]
    zh = runner.invoke(app, ["progress", "--store", str(path), "--lang", "zh"], env={"COLUMNS": "160"})
    assert zh.exit_code == 0 and "编程练习" in zh.output and "小测验" in zh.output
    assert "K近邻算法" in zh.output and "K-nearest" not in zh.output  # titles too (grader/data/zh.toml)
    bad = runner.invoke(app, ["progress", "--store", str(path), "--lang", "fr"])
    assert bad.exit_code == 2 and "Invalid value" in bad.output and "'fr'" in bad.output  # typer's check


def test_progress_html_is_written_and_store_is_not_created(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    missing = tmp_path / "none" / "p.sqlite3"
    out = runner.invoke(app, ["progress", "--store", str(missing), "--html", str(report)])
    assert out.exit_code == 0, out.output
    assert "No attempts recorded yet" in out.output and report.is_file()
    assert not missing.parent.exists()
    unwritable = runner.invoke(app, ["progress", "--store", str(missing), "--html", str(tmp_path)])
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.output


def test_reset_asks_first_and_no_keeps_everything(tmp_path: Path) -> None:
    path = filled_store(tmp_path / "s.sqlite3")
    kept = runner.invoke(app, ["progress", "--store", str(path), "--reset"], input="n\n")
    assert kept.exit_code == 0 and "Delete all 6 attempts" in kept.output
    assert "nothing was deleted" in kept.output
    assert sqlite3.connect(path).execute("SELECT count(*) FROM attempts").fetchone()[0] == 6
    gone = runner.invoke(app, ["progress", "--store", str(path), "--reset"], input="y\n")
    assert gone.exit_code == 0 and "deleted 6 attempts" in gone.output
    with Store(path) as store:
        assert store.count() == 0


def test_no_other_command_deletes_history(tmp_path: Path) -> None:
    """Every command but --reset leaves earlier attempts alone."""
    path = filled_store(tmp_path / "s.sqlite3")
    env = {**os.environ, ENV_VAR: str(path)}
    for args in (["progress"], ["progress", "--json"], ["progress", "--html", str(tmp_path / "r.html")],
                 ["check", "knn", "--public-only", "-s", str(STUBS)], ["list"]):
        runner.invoke(app, args, env=env)
    with Store(path) as store:
        assert store.count() == 7  # six before, one more from check
