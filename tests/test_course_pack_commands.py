"""Every command on a course-pack exercise, exactly as on a built-in one.

The pack is the shipped ``courses/notes-extra``; submissions are its
references, stubs stripped from them, and a hand-written known mistake.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine import courses, registry
from grader.engine.stubs import strip_solutions
from tests.support.packs import NOTES_EXTRA, PACK_IDS, no_active_pack, pack_solution

__all__ = ["no_active_pack"]
runner = CliRunner()
PACK = ["--course", str(NOTES_EXTRA)]
# Dropout without the 1/p in training: the known mistake "not_inverted", written by hand.
NOT_INVERTED = pack_solution("dropout").replace(
    "mask = (rng.random(x.shape) < p) / p  # kept", "mask = (rng.random(x.shape) < p) * 1.0  # kept")


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_check_grades_a_pack_exercise(tmp_path: Path) -> None:
    (tmp_path / "dropout.py").write_text(pack_solution("dropout"))
    code, out = invoke("check", "dropout", "--submission", str(tmp_path), *PACK)
    assert code == 0, out
    assert "All passed" in out


def test_check_names_a_known_mistake(tmp_path: Path) -> None:
    assert pack_solution("dropout") != NOT_INVERTED
    (tmp_path / "dropout.py").write_text(NOT_INVERTED)
    code, out = invoke("check", "dropout", "--submission", str(tmp_path), "--format", "json", *PACK)
    assert code == 1
    cases = json.loads(out)["exercises"][0]["cases"]
    assert {c["mistake"]["id"] for c in cases if c["mistake"]} == {"not_inverted"}
    assert any(c["verdict"] == "passed" for c in cases)  # test mode is still right


@pytest.mark.slow
def test_selftest_passes_on_the_whole_pack() -> None:
    code, out = invoke("selftest", *PACK_IDS, *PACK)
    assert code == 0, out
    assert "0 failed" in out


def test_stubs_of_pack_exercises(tmp_path: Path) -> None:
    code, out = invoke("stubs", "--write", "--out", str(tmp_path), *PACK)
    assert code == 0, out
    for exercise in PACK_IDS:
        assert (tmp_path / f"{exercise}.py").read_text() == strip_solutions(pack_solution(exercise))
    assert (tmp_path / "softmax.py").is_file()  # the built-ins beside them
    code, out = invoke("stubs", "--out", str(tmp_path), *PACK)
    assert code == 0 and "up to date" in out


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "hw"
    courses.use(None)
    code, text = invoke("assign", "--out", str(out), "--exercises", "dropout,softmax,rnn_step", *PACK)
    courses.use(None)
    assert code == 0, text
    return out


def test_release_ships_the_public_part_only(release: Path) -> None:
    assert (release / "exercises" / "dropout.py").read_text() == strip_solutions(pack_solution("dropout"))
    assert (release / "course" / "dropout" / "suite.py").is_file()
    assert not list(release.rglob("solution.py")) and not list(release.rglob("instructor.py"))
    assert 'course = "course"' in (release / "dlgrade.toml").read_text()
    manifest = (release / "course" / "course.toml").read_text()
    assert 'exercises = ["dropout", "rnn_step"]' in manifest and 'builtin = ["softmax"]' in manifest
    assert (release / "fixtures" / "dropout.mistakes.json").is_file()  # sealed mistakes


def test_release_notebook_has_the_pack_intro(release: Path) -> None:
    from grader.quiz import notes

    nb = json.loads((release / "notebooks" / "dropout.ipynb").read_text())
    intro = "".join(next(c for c in nb["cells"] if c.get("id") == "dropout-intro")["source"])
    # the notes are cited by their title, as students know them (not by the file's name)
    assert "Inverted dropout" in intro and notes.quoted("002_8df49b0a5c64663c.txt", "en") in intro
    assert "3.2 正则化惩罚项" in intro


def test_student_checks_inside_the_release_from_fixtures(release: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No reference in the release: expected values and known mistakes come from its fixtures."""
    monkeypatch.chdir(release)  # the release's dlgrade.toml selects its course folder
    assert registry.reference("dropout") is None
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "dropout.py").write_text(pack_solution("dropout"))
    code, out = invoke("check", "dropout", "--submission", str(tmp_path / "good"))
    assert code == 0, out
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "dropout.py").write_text(NOT_INVERTED)
    code, out = invoke("check", "dropout", "--submission", str(tmp_path / "bad"), "--format", "json")
    assert code == 1
    named = {c["mistake"]["id"] for c in json.loads(out)["exercises"][0]["cases"] if c["mistake"]}
    assert named == {"not_inverted"}  # from the sealed fingerprints
    code, out = invoke("check", "dropout", "--submission", str(tmp_path / "bad"), "--lang", "zh")
    assert "训练时保留的单元没有除以 p" in out  # the pack's Chinese, sealed into the release
    code, out = invoke("check", "dropout", "--submission", "exercises")
    assert code == 1 and "not implemented" in out.lower()


def test_gradescope_bundle_holds_the_whole_pack(tmp_path: Path) -> None:
    code, out = invoke("assign", "--autograder", "gradescope", "--out", str(tmp_path / "gs"),
                       "--exercises", "batchnorm", *PACK)
    assert code == 0, out
    with zipfile.ZipFile(tmp_path / "gs" / "gradescope-autograder.zip") as zf:
        names = set(zf.namelist())
        run = zf.read("run_autograder").decode()
    assert {"course/course.toml", "course/batchnorm/solution.py", "course/batchnorm/instructor.py",
            "course/batchnorm/suite.py"} <= names
    assert 'DLGRADE_COURSE="$ROOT/source/course"' in run


def test_grade_a_class_on_a_pack_exercise(tmp_path: Path, release: Path) -> None:
    for student, text in (("alice", pack_solution("dropout")), ("bob", NOT_INVERTED)):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "dropout.py").write_text(text)
    shutil.copy(release / "dlgrade-manifest.json", tmp_path / "manifest.json")
    code, out = invoke("grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--jobs", "1",
                       "--manifest", str(tmp_path / "manifest.json"), *PACK)
    assert code in (0, 1), out
    rows = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()
    scores = {r.split(",")[0]: r.split(",")[-1] for r in rows[1:]}
    total = sum(registry.load(e).points for e in ("dropout", "softmax", "rnn_step"))
    assert float(scores["alice"]) == pytest.approx(registry.load("dropout").points)  # only dropout handed in
    assert 0 < float(scores["bob"]) < float(scores["alice"]) < total


def test_progress_remembers_pack_attempts(tmp_path: Path) -> None:
    (tmp_path / "rnn_step.py").write_text(pack_solution("rnn_step"))
    code, _ = invoke("check", "rnn_step", "--submission", str(tmp_path), *PACK)
    assert code == 0
    code, out = invoke("progress", "--json", *PACK)
    assert code == 0, out
    assert "rnn_step" in out


def test_list_shows_pack_points() -> None:
    code, out = invoke("list", *PACK)
    assert code == 0
    assert f"{registry.load('batchnorm').points:g}" in out.split("batchnorm")[1].split("\n")[0]


@pytest.mark.slow
def test_gradescope_bundle_grades_a_pack_exercise_for_real(tmp_path: Path) -> None:
    """setup.sh's install (the bundle's wheel in a fresh venv), then run_autograder on a submission."""
    import os
    import stat
    import subprocess

    from grader.platforms.gradescope import GSResults
    from tests.support.release_env import fresh_venv, pip_install

    code, out = invoke("assign", "--autograder", "gradescope", "--out", str(tmp_path / "gs"),
                       "--exercises", "rnn_step", "--secret", "s3cret", *PACK)
    assert code == 0, out
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "gs" / "gradescope-autograder.zip") as zf:
        zf.extractall(root / "source")
    wheel = next((root / "source").glob("*.whl"))
    python = fresh_venv(tmp_path)
    pip_install(python, wheel)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(stat.S_IRWXU)
    (root / "submission").mkdir()
    (root / "submission" / "rnn_step.py").write_text(pack_solution("rnn_step").replace(
        "da = dnext_h * (1 - next_h**2)", "da = dnext_h * (1 - next_h)"))  # tanh_grad_1_minus_h
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON"))}
    env |= {"DLGRADE_AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": str(python)}
    proc = subprocess.run([str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = GSResults.model_validate_json((root / "results" / "results.json").read_text())
    by_name = {t.name: t for t in results.tests}
    hidden = [t for t in results.tests if "hidden" in t.tags]
    assert hidden  # the instructor part of the pack reached the autograder
    assert by_name["rnn_step: batch_forward"].status == "passed"
    assert by_name["rnn_step: batch_backward"].status == "failed"
    assert "1 - h instead of 1 - h²" in by_name["rnn_step: batch_backward"].output
