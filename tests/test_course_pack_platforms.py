"""A course-pack exercise graded for real by the Classroom 50 and PrairieLearn bundles.

Each bundle is set up as its platform does (a fresh venv with the bundle's wheel),
then run on a student's file holding a known mistake of the pack.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from tests.support.packs import NOTES_EXTRA, no_active_pack, pack_solution
from tests.support.release_env import fresh_venv, pip_install

__all__ = ["no_active_pack"]
# rnn_step with tanh' taken as 1 - h: the pack's known mistake "tanh_grad_1_minus_h"
WRONG = pack_solution("rnn_step").replace("da = dnext_h * (1 - next_h**2)", "da = dnext_h * (1 - next_h)")


def assign(tmp_path: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["assign", "--out", str(tmp_path / "out"), "--exercises", "rnn_step",
                                      "--title", "HW 3", "--course", str(NOTES_EXTRA), *args])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON", "GITHUB_"))}
    return env | extra


@pytest.mark.slow
def test_prairielearn_grades_a_pack_exercise_with_its_hidden_cases(tmp_path: Path) -> None:
    out = assign(tmp_path, "--autograder", "prairielearn")
    python = fresh_venv(tmp_path)
    pip_install(python, next(out.glob("dlgrade-*.whl")))  # the grading image's grader
    root = tmp_path / "grade"
    shutil.copytree(out / "serverFilesCourse", root / "serverFilesCourse")
    (root / "student").mkdir()
    (root / "student" / "rnn_step.py").write_text(WRONG)
    info = json.loads((out / "questions" / "hw-3" / "rnn_step" / "info.json").read_text())
    entry = info["externalGradingOptions"]["entrypoint"]
    command = [str(root / entry[0].removeprefix("/grade/")), *entry[1:]]
    proc = subprocess.run(command, env=clean_env(DLGRADE_PL_ROOT=str(root), DLGRADE_PYTHON=str(python)),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    results: dict[str, Any] = json.loads((root / "results" / "results.json").read_text())
    assert results["gradable"] and 0 < results["score"] < 1
    names = " ".join(t["name"] for t in results["tests"])
    assert "hidden_square_backward" in names  # the pack's instructor part reached the grader
    assert any("1 - h" in t.get("output", "") + t.get("message", "") for t in results["tests"])


@pytest.mark.slow
def test_classroom50_grades_a_pack_exercise(tmp_path: Path) -> None:
    out = assign(tmp_path, "--autograder", "classroom50")
    folder = out / "autograders" / "hw-3"
    assert (folder / "course" / "rnn_step" / "suite.py").is_file()
    assert not (folder / "course" / "rnn_step" / "solution.py").exists()  # public part only
    python = fresh_venv(tmp_path)
    pip_install(python, next(folder.glob("dlgrade-*.whl")))
    work = tmp_path / "checkout"
    shutil.copytree(out / "template", work)
    (work / "exercises" / "rnn_step.py").write_text(WRONG)
    git = ["git", "-C", str(work), "-c", "user.name=s", "-c", "user.email=s@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "work"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    sha = head.stdout.strip()
    env = clean_env(CLASSROOM="dl", ASSIGNMENT="hw-3", SUBMISSION_TAG="submit/x", USERNAME="ana", OWNER="ana",
                    COMMIT_URL=f"https://github.com/o/r/commit/{sha}", RELEASE_URL="https://github.com/o/r/r",
                    ASSIGNMENT_TYPE="individual", GITHUB_SHA=sha, GITHUB_ACTIONS="true",
                    GITHUB_REPOSITORY="o/r", CLASSROOM50_BUNDLE_DIR=str(folder),
                    RUNNER_TEMP=str(tmp_path), DLGRADE_PYTHON=str(python))
    proc = subprocess.run([sys.executable, str(folder / "autograder.py")], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((work / "result.json").read_text())
    assert 0 < result["score"] < result["max-score"]
