"""Classroom 50: the bundle's autograder.py run as Classroom 50's runner runs it, in a fake Actions job.

The result is checked against a model written here from Classroom 50's documentation
(wiki "Advanced Autograding", section "The result.json contract", and the checks of
its runner's ``validate_result``), not from dlgrade's own model.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator
from typer.testing import CliRunner

from grader.cli.app import app
from grader.platforms.scoring import apportion
from tests.support.helpers import reference_text
from tests.support.release_env import fresh_venv, pip_install

SLUG = "hw-1"


class DocTest(BaseModel):
    """A ``tests[]`` row: test-name (non-empty), passed (bool), integer score <= max-score."""

    model_config = ConfigDict(extra="allow", strict=True)  # extra diagnostic fields are kept verbatim

    test_name: str = Field(alias="test-name", min_length=1)
    passed: bool
    score: int = Field(ge=0)
    max_score: int = Field(alias="max-score", ge=0)

    @model_validator(mode="after")
    def _bounded(self) -> DocTest:
        assert self.score <= self.max_score
        return self


class DocResult(BaseModel):
    """The documented result.json (owner / assignment_type are stamped by the runner anyway)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    schema_: Literal["classroom50/result/v1"] = Field(alias="schema")
    classroom: str = Field(min_length=1)
    assignment: str = Field(min_length=1)
    assignment_type: Literal["individual", "group", "team"]
    owner: str = Field(min_length=1)
    submission: str = Field(pattern=r"^submit/")
    commit: str = Field(min_length=1)
    release: str = Field(min_length=1)
    review: str = Field(min_length=1)
    datetime: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    graded_at: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    score: int = Field(ge=0)
    max_score: int = Field(alias="max-score", ge=0)
    tests: list[DocTest]

    @model_validator(mode="after")
    def _sums(self) -> DocResult:  # "score / max-score: sum of test scores / max-scores"
        assert self.score == sum(t.score for t in self.tests)
        assert self.max_score == sum(t.max_score for t in self.tests)
        assert self.score <= self.max_score
        return self


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the autograders/<slug>/ folder, python of a venv with its wheel installed)."""
    tmp = tmp_path_factory.mktemp("c50")
    result = CliRunner().invoke(app, ["assign", "--autograder", "classroom50", "--out", str(tmp / "out"),
                                      "--exercises", "knn,softmax", "--points", "knn=10,softmax=5",
                                      "--title", "HW 1"])
    assert result.exit_code == 0, result.output
    folder = tmp / "out" / "autograders" / SLUG
    python = fresh_venv(tmp)
    pip_install(python, next(folder.glob("dlgrade-*.whl")))  # what autograder.py does, minus the network
    return folder, python


def checkout(root: Path, files: dict[str, str], date: str = "2026-06-01T14:32:01+02:00") -> tuple[Path, str]:
    """A git repository as actions/checkout leaves it; returns (path, the graded SHA)."""
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git = ["git", "-C", str(root), "-c", "user.name=s", "-c", "user.email=s@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "work"], check=True, env=os.environ | {"GIT_COMMITTER_DATE": date})
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return root, head.stdout.strip()


def autograde(bundle: tuple[Path, Path], workspace: Path, sha: str) -> DocResult:
    """Run autograder.py as runner.py does: cwd = the checkout, the runner's environment."""
    folder, python = bundle
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON", "GITHUB_"))}
    env |= {"CLASSROOM": "dl-2026", "ASSIGNMENT": "hw-1", "SUBMISSION_TAG": "submit/2026-06-01T12-32-05Z-abc",
            "COMMIT_URL": f"https://github.com/org/r/commit/{sha}", "RELEASE_URL": "https://github.com/org/r/rel",
            "USERNAME": "alice", "OWNER": "alice", "ASSIGNMENT_TYPE": "individual", "GITHUB_SHA": sha,
            "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "org/dl-2026-hw-1-alice",
            "CLASSROOM50_BUNDLE_DIR": str(folder), "RUNNER_TEMP": str(workspace.parent),
            "DLGRADE_PYTHON": str(python)}
    proc = subprocess.run([sys.executable, str(folder / "autograder.py")], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr  # non-zero would be an infrastructure error
    return DocResult.model_validate_json((workspace / "result.json").read_text())


HOSTILE = {  # a student's own copies of what a careless runner would import from the checkout
    "grader/__init__.py": "",
    "grader/platforms/__init__.py": "",
    "grader/platforms/classroom50.py": "import pathlib\npathlib.Path('result.json').write_text("
                                       "'{\"score\": 15, \"max-score\": 15}')\n",
    "grader/__main__.py": "raise SystemExit(0)\n",
    "solutions/__init__.py": "",
    "sitecustomize.py": "raise SystemExit('imported the checkout')\n",
}


@pytest.mark.slow
def test_reference_scores_the_manifest_total_and_datetime_is_the_commit(bundle: tuple[Path, Path],
                                                                       tmp_path: Path) -> None:
    ws, sha = checkout(tmp_path / "ws", {"exercises/knn.py": reference_text("knn"),
                                         "exercises/softmax.py": reference_text("softmax")})
    first = autograde(bundle, ws, sha)
    assert (first.score, first.max_score) == (15, 15)  # --points knn=10,softmax=5
    assert all(t.passed for t in first.tests)
    assert first.datetime == "2026-06-01T12:32:01Z"  # 14:32:01+02:00, the committer date, in UTC
    again = autograde(bundle, ws, sha)  # a regrade of the same commit
    assert again.datetime == first.datetime
    assert "15/15" in (ws / "release-body.md").read_text()


@pytest.mark.slow
def test_hostile_checkout_is_never_imported(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    stub = (bundle[0].parent.parent / "template" / "exercises" / "knn.py").read_text()
    ws, sha = checkout(tmp_path / "ws", {"exercises/knn.py": stub, "solutions/knn.py": stub, **HOSTILE})
    res = autograde(bundle, ws, sha)
    assert res.score == 0 and res.max_score == 15
    knn = [t for t in res.tests if t.test_name.startswith("knn:")]
    assert knn and sum(t.max_score for t in knn) == 10
    assert all("NotImplementedError" in str(t.model_extra["message"]) for t in knn)
    missing = [t for t in res.tests if t.test_name.startswith("softmax:")]  # file deleted: 0 of 5
    assert missing and sum(t.max_score for t in missing) == 5 and not any(t.passed for t in missing)


@pytest.mark.slow
def test_fixtures_come_from_the_bundle_not_the_checkout(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    ws, sha = checkout(tmp_path / "ws", {"exercises/knn.py": reference_text("knn"),
                                         "dlgrade-manifest.json": "{not json", "fixtures/knn.npz": "junk"})
    res = autograde(bundle, ws, sha)
    assert sum(t.score for t in res.tests if t.test_name.startswith("knn:")) == 10


@pytest.mark.parametrize(("weights", "total"), [([2.5, 2.5], 5), ([1, 1, 1], 10), ([3, 1, 1, 1, 1, 1, 1], 5),
                                                ([0.4, 0.3, 0.3], 1), ([10, 20], 30)])
def test_apportion_keeps_the_total_and_each_part_within_one_of_its_share(weights: list[float],
                                                                         total: int) -> None:
    parts = apportion(weights, total)
    assert sum(parts) == total  # nothing lost, nothing invented
    for w, p in zip(weights, parts, strict=True):
        assert abs(p - w * total / sum(weights)) < 1


def test_apportion_known_values() -> None:
    # Largest remainder by hand: quotas 3.33, 3.33, 3.33 -> floors 3,3,3 and the one left goes to the first.
    assert apportion([1, 1, 1], 10) == [4, 3, 3]
    # Exact shares stay exact.
    assert apportion([10, 20], 30) == [10, 20]


@pytest.mark.slow
def test_github_classroom_is_a_deprecated_alias(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["assign", "--autograder", "github-classroom",
                                      "--out", str(tmp_path / "o"), "--exercises", "knn"])
    assert result.exit_code == 0, result.output
    assert re.search(r"deprecated.*classroom50", result.output, re.S)
    assert (tmp_path / "o" / "autograders").is_dir() and not (tmp_path / "o" / ".github").exists()


@pytest.mark.slow
def test_a_course_pack_exercise_is_graded_from_the_bundles_copy(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pack = Path(__file__).resolve().parent.parent / "courses" / "notes-extra"
    monkeypatch.setenv("DLGRADE_COURSE", str(pack))
    result = CliRunner().invoke(app, ["assign", "--autograder", "classroom50", "--out", str(tmp_path / "out"),
                                      "--exercises", "dropout", "--points", "5", "--title", "HW 1"])
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("DLGRADE_COURSE")
    folder = tmp_path / "out" / "autograders" / SLUG
    assert (folder / "course" / "dropout" / "suite.py").is_file()
    assert not (folder / "course" / "dropout" / "solution.py").exists()  # the bundle is served publicly
    python = fresh_venv(tmp_path)
    pip_install(python, next(folder.glob("dlgrade-*.whl")))
    # The student's own copy of the pack would stop the grader: it must never be imported.
    lying = "raise SystemExit('imported the student copy')\n"
    reference = (pack / "dropout" / "solution.py").read_text()
    ws, sha = checkout(tmp_path / "ws", {"exercises/dropout.py": reference, "course/dropout/suite.py": lying,
                                         "dlgrade.toml": 'course = "course"\n'})
    res = autograde((folder, python), ws, sha)
    assert (res.score, res.max_score) == (5, 5) and all(t.passed for t in res.tests)
