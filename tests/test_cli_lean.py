"""The lean ``dlgrade check`` path (grader.cli.lean) against the Typer command:
the same options accepted with the same meaning, the same report, and none of
typer, pydantic or rich imported on the way."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader import models, records
from grader.cli import lean
from grader.cli.app import app
from tests.support.helpers import ROOT, with_functions

# Command lines as a student types them; Click's spellings: --opt=value, short options, any order.
ARGVS = [
    ["check", "knn"],
    ["check", "knn", "max-pool", "--no-record"],
    ["check", "--all", "-s", "solutions", "--public-only"],
    ["check", "knn", "--submission=solutions", "--format=json"],
    ["check", "-f", "json", "knn", "--student", "s123", "--store", "x.sqlite3"],
    ["check", "knn", "--notebook", "hw.ipynb", "--no-record", "--public-only"],
    ["check", "knn", "-l", "zh"],
    ["check", "--lang=zh", "--all"],
]
# Not lean: help, a typo, a repeat, Click's attached short value, "--", a bad choice.
NOT_LEAN = [["check", "--help"], ["check", "knn", "--al"], ["check", "-s", "a", "-s", "b"],
            ["check", "-ssolutions"], ["check", "--", "knn"], ["check", "knn", "-f", "JSON"],
            ["check", "knn", "--all=1"], ["check", "knn", "--lang", "fr"], ["--version"], ["list"], []]


def _typer_args(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> lean.CheckArgs:
    """What the Typer command hands to ``run_check`` for ``argv``."""
    seen: list[lean.CheckArgs] = []
    monkeypatch.setattr(lean, "run_check", lambda args: seen.append(args) or 0)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    return seen[0]


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_lean_parser_reads_what_typer_reads(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_STUDENT", "from-env")
    monkeypatch.delenv("DLGRADE_LANG", raising=False)
    assert lean.parse_check(argv) == _typer_args(argv, monkeypatch)


def test_language_comes_from_the_environment_unless_bad(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_LANG", "zh")
    parsed = lean.parse_check(["check", "knn"])
    assert parsed is not None and parsed.lang == "zh" == _typer_args(["check", "knn"], monkeypatch).lang
    monkeypatch.setenv("DLGRADE_LANG", "fr")
    assert lean.parse_check(["check", "knn"]) is None  # Typer explains what is wrong with it


def test_course_is_taken_before_or_after_check() -> None:
    """The app's --course (grader.cli.authoring.CourseGroup) may come anywhere; not a check option."""
    for argv in (["--course", "pack", "check", "knn"], ["--course=pack", "check", "knn"],
                 ["check", "knn", "--course", "pack"], ["check", "--course=pack", "knn"]):
        parsed = lean.parse_check(argv)
        assert parsed is not None and parsed.course == Path("pack") and parsed.exercises == ("knn",)


def test_student_comes_from_the_environment_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_STUDENT", "s42")
    parsed = lean.parse_check(["check", "knn"])
    assert parsed is not None and parsed.student == "s42"
    assert _typer_args(["check", "knn"], monkeypatch).student == "s42"


@pytest.mark.parametrize("argv", NOT_LEAN, ids=" ".join)
def test_anything_unusual_goes_to_typer(argv: list[str]) -> None:
    assert lean.parse_check(argv) is None


def _lean_run(argv: list[str], cwd: Path) -> tuple[int, str, list[str]]:
    """Run the console script's ``main`` in a fresh interpreter; the heavy modules it imported."""
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('LOADED', sorted(m for m in ('typer', 'pydantic', 'rich') "
             "if m in sys.modules), file=sys.stderr))\n"
             f"sys.argv = ['dlgrade', *{argv!r}]\n"
             "from grader.cli.app import main\nmain()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("DLGRADE_STUDENT", None)
    env.pop("DLGRADE_LANG", None)
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    loaded = proc.stderr.rsplit("LOADED ", 1)[1].strip()
    return proc.returncode, proc.stdout + proc.stderr.rsplit("LOADED ", 1)[0], json.loads(
        loaded.replace("'", '"'))


def _typer_run(argv: list[str], monkeypatch: pytest.MonkeyPatch, cwd: Path) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("DLGRADE_STUDENT", raising=False)
    monkeypatch.delenv("DLGRADE_LANG", raising=False)
    result = CliRunner().invoke(app, argv)
    return result.exit_code, result.output


def test_both_paths_print_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "knn.py").write_text(with_functions("knn", "def predict_labels(d, y, k=1):\n"
                                                    "    print('debugging')\n    raise KeyError('x')\n"))
    argv = ["check", "knn", "-s", str(tmp_path), "--no-record"]
    code, out, loaded = _lean_run(argv, tmp_path)
    assert loaded == []  # no typer, pydantic or rich for a text report
    assert (code, out) == _typer_run(argv, monkeypatch, tmp_path)
    assert code == 1 and "KeyError" in out and "printed: debugging" in out and "Some cases failed" in out


def test_both_paths_print_the_same_report_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["check", "knn", "-s", str(ROOT / "exercises"), "--no-record", "--lang", "zh"]
    code, out, loaded = _lean_run(argv, tmp_path)
    assert loaded == [] and (code, out) == _typer_run(argv, monkeypatch, tmp_path)
    assert code == 1 and "尚未开始" in out  # "Not started", from grader.render.language.WORDS


def test_both_paths_print_the_same_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["check", "knn", "--submission", str(ROOT / "exercises"), "--format", "json", "--no-record"]

    def parsed(text: str) -> object:
        data = json.loads(text)
        for ex in data["exercises"]:
            for case in ex["cases"]:
                case.pop("duration_ms")  # wall time, different in every run
        return data

    code, out, loaded = _lean_run(argv, tmp_path)
    typer_code, typer_out = _typer_run(argv, monkeypatch, tmp_path)
    assert loaded == ["pydantic"]  # JSON is pydantic's job; still no typer or rich
    assert code == typer_code == 1 and parsed(out) == parsed(typer_out)


def test_usage_errors_read_the_same_on_both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in (["check", "knm"], ["check", "knn", "--all"], ["check", "knn", "-s", "/nonexistent/x"]):
        code, out, _ = _lean_run(argv, tmp_path)
        assert (code, out) == _typer_run(argv, monkeypatch, tmp_path)
        assert code == 2 and out.startswith("error: ") and out.count("\n") == 1


def test_records_and_models_have_the_same_fields() -> None:
    """The plain records the engine builds and the pydantic models that validate them."""
    pairs = [(records.Detail, models.Detail), (records.Diagnosis, models.Diagnosis),
             (records.CaseResult, models.CaseResult), (records.ExerciseResult, models.ExerciseResult),
             (records.RunResult, models.RunResult)]
    for plain, model in pairs:
        assert [f.name for f in dataclasses.fields(plain)] == list(model.model_fields), plain.__name__
    case = records.CaseResult(name="a", points=1.0, max_points=2.0, verdict=records.Verdict.WRONG_VALUE,
                              mistake=records.Diagnosis(id="m", title="t", hint="h"))
    run = records.RunResult(grader_version="0", exercises=[records.ExerciseResult(
        exercise="knn", title="K", submission="knn.py", cases=[case])])
    validated = models.RunResult.of(run)
    assert (validated.score, validated.max_score, validated.exit_code) == (1.0, 2.0, 1)
    assert validated.exercises[0].cases[0].mistake == models.Diagnosis(id="m", title="t", hint="h")
