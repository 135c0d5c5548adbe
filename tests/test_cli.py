"""The dlgrade command line, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from grader.cli.app import app
from tests.support.helpers import ROOT, reference_text, with_functions

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_check_reference_passes_with_exit_0() -> None:
    code, out = run("check", "knn", "--submission", str(ROOT / "solutions"))
    assert code == 0, out
    assert "All passed" in out and "hidden_vote_ties" in out


def test_check_stub_fails_with_exit_1(in_repo: Path) -> None:
    code, out = run("check", "knn")  # the student copy ./exercises is the default
    assert code == 1
    assert "not implemented" in out and "Not started" in out


def test_dash_spelling_and_json(tmp_path: Path) -> None:
    (tmp_path / "knn.py").write_text(with_functions("knn", "def predict_labels(d, y, k=1):\n"
                                                    "    raise KeyError('x')\n"))
    code, out = run("check", "KNN", "--submission", str(tmp_path), "--format", "json")
    assert code == 1
    data = json.loads(out)
    cases = {c["name"]: c for c in data["exercises"][0]["cases"]}
    assert cases["vote_k1"]["verdict"] == "exception"
    assert cases["two_loops"]["verdict"] == "passed"
    assert data["score"] < data["max_score"]


def test_single_file_submission_names_its_exercise(tmp_path: Path) -> None:
    single = tmp_path / "knn.py"
    single.write_text(reference_text("knn"))
    assert run("check", "--submission", str(single))[0] == 0
    other = tmp_path / "my_work.py"
    other.write_text(reference_text("knn"))
    assert run("check", "knn", "--submission", str(other))[0] == 0


def test_usage_errors_exit_2_with_one_line() -> None:
    code, out = run("check", "knm")
    assert code == 2 and "did you mean 'knn'" in out
    assert out.strip().count("\n") == 0
    code, out = run("check", "knn", "--submission", "/nonexistent/place")
    assert code == 2 and "does not exist" in out
    assert run("check")[0] == 2
    assert run("check", "knn", "--all")[0] == 2


def test_nothing_to_check_exits_5(tmp_path: Path) -> None:
    code, out = run("check", "--all", "--submission", str(tmp_path))
    assert code == 5 and "Nothing to check" in out


def test_missing_module_is_a_verdict(tmp_path: Path) -> None:
    code, out = run("check", "knn", "--submission", str(tmp_path), "--format", "json")
    assert code == 1
    assert {c["verdict"] for c in json.loads(out)["exercises"][0]["cases"]} == {"missing_module"}


def test_list_shows_status(tmp_path: Path) -> None:
    (tmp_path / "knn.py").write_text(reference_text("knn"))
    code, out = run("list", "--submission", str(tmp_path))
    assert code == 0 and "knn" in out and "implemented" in out
    code, out = run("list", "--submission", str(ROOT / "exercises"))
    assert "stub" in out


def test_selftest_and_stubs(in_repo: Path) -> None:
    code, out = run("selftest", "knn")
    assert code == 0, out
    assert "tie_first_seen" in out and " 0 failed" in out
    code, out = run("stubs")
    assert code == 0 and "up to date" in out


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and out.startswith("dlgrade ")


def test_json_output_validates_back_into_the_model() -> None:
    from grader.models import RunResult

    code, out = run("check", "knn", "--submission", str(ROOT / "exercises"), "--format", "json",
                    "--no-record")
    assert code == 1
    again = RunResult.model_validate_json(out)
    assert again.max_score == json.loads(out)["max_score"] > 0 and again.score == 0


def test_an_archive_is_checked_like_a_folder(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "hw.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hw/knn.py", reference_text("knn"))
    assert run("check", "--submission", str(archive))[0] == 2  # which exercises? name them
    assert run("check", "knn", "--submission", str(archive), "--no-record")[0] == 0
    code, out = run("check", "--all", "--submission", str(archive), "--no-record", "--format", "json")
    graded = {e["exercise"]: e for e in json.loads(out)["exercises"]}
    assert code == 1 and graded["knn"]["score"] == graded["knn"]["max_score"]
    assert {c["verdict"] for c in graded["adam"]["cases"]} == {"missing_module"}
