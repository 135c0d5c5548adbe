"""GitHub Classroom: the template repository's workflow, its grading step run for real."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine.manifest import Manifest
from grader.platforms.github_classroom import main as classroom_main
from tests.support.helpers import reference_text


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("classroom") / "template"
    result = CliRunner().invoke(app, ["assign", "--autograder", "github-classroom", "--out", str(out),
                                      "--exercises", "knn,softmax,adam", "--points", "10"])
    assert result.exit_code == 0, result.output
    return out


def step_script(workflow: str, step_id: str) -> str:
    """The ``run: |`` block of the step with ``id: step_id`` (the workflow is ours: simple YAML)."""
    block = workflow.split(f"id: {step_id}\n", 1)[1]
    lines = block.split("run: |\n", 1)[1].splitlines()
    script = []
    for line in lines:
        if not line.startswith(" " * 10):
            break
        script.append(line[10:])
    return "\n".join(script) + "\n"


def test_workflow_wires_dlgrade_to_the_reporter(repo: Path) -> None:
    text = (repo / ".github" / "workflows" / "classroom.yml").read_text()
    assert "dlgrade check --all --format json" in text
    assert "classroom-resources/autograding-grading-reporter@v1" in text and "runners: dlgrade" in text
    assert 'DLGRADE_RESULTS: "${{ steps.dlgrade.outputs.result }}"' in text
    assert "${{ secrets.DLGRADE_SECRET }}" in text and "${{ github.repository }}" in text
    wheel = re.search(r"pip install -q \./(\S+\.whl)", text)
    assert wheel and (repo / wheel.group(1)).is_file()  # the public grader is in the repository
    assert "\t" not in text


@pytest.mark.slow
def test_grading_step_reports_points(repo: Path, tmp_path: Path) -> None:
    """Run the workflow's own grading commands on a student's repository state."""
    (repo / "exercises" / "knn.py").write_text(reference_text("knn"))  # done
    (repo / "exercises" / "adam.py").unlink()  # deleted by the student; softmax left as the stub
    script = step_script((repo / ".github" / "workflows" / "classroom.yml").read_text(), "dlgrade")
    output = tmp_path / "github_output"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLGRADE_")}
    env |= {"GITHUB_OUTPUT": str(output), "DLGRADE_STUDENT": "org/hw1-alice", "DLGRADE_SECRET": "s",
            "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, check=True, timeout=300)
    line = output.read_text().strip()
    assert line.startswith("result=")
    data = json.loads(base64.b64decode(line.removeprefix("result=")))
    assert data["version"] == 1 and data["status"] == "fail"
    assert data["max_score"] == pytest.approx(30.0)  # --points 10 for each of three exercises
    by_ex: dict[str, float] = {}
    for test in data["tests"]:
        by_ex[test["name"].split(":")[0]] = by_ex.get(test["name"].split(":")[0], 0) + test["score"]
    assert by_ex["knn"] == pytest.approx(10.0) and by_ex["softmax"] == 0 and by_ex["adam"] == 0
    assert any(t["name"] == "adam: missing" for t in data["tests"])


def test_converter_reports_an_error_when_grading_failed(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "results.json").write_text("")  # dlgrade exited 2 or 3 before writing JSON
    Manifest(grader_version="0", exercises=[{"id": "knn", "points": 5}]).save(  # type: ignore[list-item]
        tmp_path / "m.json")
    assert classroom_main([str(tmp_path / "results.json"), "--manifest", str(tmp_path / "m.json")]) == 0
    data = json.loads(base64.b64decode(capsys.readouterr().out.strip().removeprefix("result=")))
    assert data["status"] == "error" and data["max_score"] == 5 and data["tests"][0]["score"] == 0
