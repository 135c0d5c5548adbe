"""PrairieLearn: the question bundle's entrypoint run against a fake /grade root.

results.json is checked against a model written here from PrairieLearn's
docs/externalGrading.md ("Grading results"), not from dlgrade's own model.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field
from typer.testing import CliRunner

from grader.cli.app import app
from tests.support.helpers import reference_text
from tests.support.release_env import fresh_venv, pip_install


class DocTest(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    description: str = ""
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    message: str = ""
    output: str = ""


class DocResults(BaseModel):
    """'score ... a floating point number in the range [0.0, 1.0]'; 'gradable' a boolean."""

    model_config = ConfigDict(extra="allow")

    gradable: bool = True
    score: float | None = Field(default=None, ge=0, le=1)
    format_errors: str | list[str] = []
    tests: list[DocTest] = []


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the generated folder, python of a venv set up as the Dockerfile does, from the student wheel)."""
    tmp = tmp_path_factory.mktemp("pl")
    result = CliRunner().invoke(app, ["assign", "--autograder", "prairielearn", "--out", str(tmp / "pl"),
                                      "--exercises", "knn,conv", "--points", "knn=10,conv=20",
                                      "--secret", "course-secret", "--title", "HW 2"])
    assert result.exit_code == 0, result.output
    python = fresh_venv(tmp)
    pip_install(python, next((tmp / "pl").glob("dlgrade-*.whl")))
    return tmp / "pl", python


def grade(course: tuple[Path, Path], root: Path, exercise: str, files: dict[str, str],
          instructor: bool = True) -> DocResults:
    """Lay out /grade as PrairieLearn does and run the question's entrypoint."""
    folder, python = course
    shutil.copytree(folder / "serverFilesCourse", root / "serverFilesCourse")
    if not instructor:
        for wheel in (root / "serverFilesCourse" / "dlgrade").glob("*.whl"):
            wheel.unlink()
    for name, text in files.items():
        (root / "student" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "student" / name).write_text(text)
    info = json.loads((folder / "questions" / "hw-2" / exercise / "info.json").read_text())
    entry = info["externalGradingOptions"]["entrypoint"]
    assert entry[0].startswith("/grade/")
    command = [str(root / entry[0].removeprefix("/grade/")), *entry[1:]]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON"))}
    env |= {"DLGRADE_PL_ROOT": str(root), "DLGRADE_PYTHON": str(python)}
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    raw = (root / "results" / "results.json").read_text()
    assert len(raw.encode()) < 1_000_000  # the documented size limit
    return DocResults.model_validate_json(raw)


def test_questions_have_the_documented_settings(course: tuple[Path, Path]) -> None:
    folder, _ = course
    files = folder / "serverFilesCourse" / "dlgrade"
    # The wheel with the solutions has its own name; the student wheel (for the image) has none of them.
    assert [w.name.split("-")[0] for w in files.glob("*.whl")] == ["dlgrade_autograder"]
    import zipfile

    student = zipfile.ZipFile(next(folder.glob("dlgrade-*.whl"))).namelist()
    assert not any(n.startswith("solutions/") for n in student)
    for ex in ("knn", "conv"):
        q = folder / "questions" / "hw-2" / ex
        info = json.loads((q / "info.json").read_text())
        opts = info["externalGradingOptions"]
        assert info["gradingMethod"] == "External" and opts["enabled"] is True
        assert opts["image"] and opts["serverFilesCourse"] == ["dlgrade/"] and opts["timeout"] <= 600
        html = (q / "question.html").read_text()
        assert f'file-name="{ex}.py"' in html and "<pl-external-grader-results>" in html
        assert "NotImplementedError" in (q / "starter.py").read_text()
        assert "BEGIN SOLUTION" not in (q / "starter.py").read_text()


@pytest.mark.slow
def test_reference_scores_one_with_hidden_cases(course: tuple[Path, Path], tmp_path: Path) -> None:
    res = grade(course, tmp_path, "knn", {"knn.py": reference_text("knn")})
    assert res.gradable and res.score == 1.0
    assert sum(t.max_points for t in res.tests) == pytest.approx(10)  # the manifest's points
    assert any(t.name.startswith("hidden_") for t in res.tests)


@pytest.mark.slow
def test_stub_scores_zero_with_feedback(course: tuple[Path, Path], tmp_path: Path) -> None:
    stub = (course[0] / "questions" / "hw-2" / "conv" / "starter.py").read_text()
    res = grade(course, tmp_path, "conv", {"conv.py": stub}, instructor=False)
    assert res.gradable and res.score == 0.0 and res.tests
    assert not any(t.name.startswith("hidden_") for t in res.tests)  # public fixtures only
    assert all("NotImplementedError" in t.output for t in res.tests)


@pytest.mark.slow
def test_missing_file_is_not_gradable(course: tuple[Path, Path], tmp_path: Path) -> None:
    res = grade(course, tmp_path, "knn", {"notes.txt": "hello"})
    assert res.gradable is False and res.format_errors


@pytest.mark.slow
def test_uploaded_packages_are_never_imported(course: tuple[Path, Path], tmp_path: Path) -> None:
    stub = (course[0] / "questions" / "hw-2" / "knn" / "starter.py").read_text()
    evil = "import json, pathlib\npathlib.Path('results.json').write_text(json.dumps({'score': 1.0}))\n"
    res = grade(course, tmp_path, "knn", {"knn.py": stub, "grader/__init__.py": "",
                                          "grader/platforms/__init__.py": "",
                                          "grader/platforms/prairielearn.py": evil,
                                          "solutions/__init__.py": "", "solutions/knn.py": stub,
                                          "sitecustomize.py": evil})
    assert res.score == 0.0 and res.tests
