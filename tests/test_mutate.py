"""``dlgrade mutate``: killed, surviving and equivalent mutants, and the kill rates of the suites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.authoring.analysis import analyse_exercise
from grader.cli.app import app
from grader.engine import courses, registry
from tests.support.packs import NOTES_EXTRA, PACK_IDS, no_active_pack, scaffold

__all__ = ["no_active_pack"]
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def weak_pack(root: Path) -> Path:
    """The scaffold with only its forward case: no backward mutant can be caught."""
    folder = scaffold(root, "affine")
    suite = folder / "suite.py"
    suite.write_text(suite.read_text().replace("public=(FORWARD, GRADCHECK)", "public=(FORWARD,)"))
    (folder / "instructor.py").unlink()
    return root


def test_survivors_are_shown_as_diffs(tmp_path: Path) -> None:
    code, out = invoke("mutate", "affine", "--course", str(weak_pack(tmp_path / "p")))
    assert code == 1, out  # below the 95% default
    assert "survived" in out and "--- a/affine.py" in out
    assert "-    db = dout.sum(axis=0)" in out  # a backward line: the forward case cannot see it
    assert "no case runs this line" in out


def test_json_for_ci(tmp_path: Path) -> None:
    code, out = invoke("mutate", "affine", "--format", "json", "--fail-under", "0",
                       "--course", str(weak_pack(tmp_path / "p")))
    assert code == 0
    report = json.loads(out)
    statuses = {o["status"] for o in report["outcomes"]}
    assert statuses <= {"killed", "survived", "equivalent"} and "survived" in statuses
    assert report["kill_rate"] == pytest.approx(report["killed"] / (report["killed"] + report["survived"]))
    killed = [o for o in report["outcomes"] if o["status"] == "killed"]
    assert killed and all(o["case"] == "batch_forward" for o in killed)


def test_equivalent_mutants_are_reported_as_such(tmp_path: Path) -> None:
    """``dw = zeros; dw += g``: '+=' -> '=' and '-zeros' change nothing anyone can observe."""
    folder = scaffold(tmp_path / "p", "affine")
    solution = folder / "solution.py"
    solution.write_text(solution.read_text().replace(
        "    dw = x.T @ dout\n", "    dw = np.zeros_like(w)\n    dw += x.T @ dout\n"))
    courses.use(tmp_path / "p")
    report = analyse_exercise("affine")
    equivalent = {o.description.split(": ", 1)[1] for o in report.outcomes if o.status == "equivalent"}
    assert "'+=' became '='" in equivalent
    assert "'np.zeros_like(w)' became '-np.zeros_like(w)'" in equivalent
    assert report.survived == 0 and report.kill_rate == 1.0
    assert report.killed == report.mutants - report.equivalent


def test_a_broken_reference_is_one_line(tmp_path: Path) -> None:
    folder = scaffold(tmp_path / "p", "affine")
    solution = folder / "solution.py"
    text = solution.read_text()
    solution.write_text(text.replace("    db = dout.sum(axis=0)", "    db = dout.sum(axis=7)"))
    code, out = invoke("mutate", "affine", "--course", str(tmp_path / "p"))
    assert code == 2
    assert "solution.py: the reference raised AxisError on case 'batch_gradcheck'" in out


def test_operators_can_be_chosen(tmp_path: Path) -> None:
    pack = str(weak_pack(tmp_path / "p"))
    code, out = invoke("mutate", "affine", "--operator", "axis", "--operator", "keepdims",
                       "--format", "json", "--fail-under", "0", "--course", pack)
    assert code == 0
    assert {o["operator"] for o in json.loads(out)["outcomes"]} == {"axis", "keepdims"}
    code, out = invoke("mutate", "affine", "--operator", "typo", "--course", pack)
    assert code == 2 and "unknown mutation operator 'typo'" in out


def test_mutate_needs_an_exercise() -> None:
    code, out = invoke("mutate")
    assert code == 2 and "name an exercise" in out


@pytest.mark.slow
@pytest.mark.parametrize("exercise", [*registry.builtin(), *PACK_IDS])
def test_kill_rate_is_at_least_95_percent(exercise: str) -> None:
    courses.use(NOTES_EXTRA)
    report = analyse_exercise(exercise)
    assert report.mutants >= 10
    survivors = [o.description for o in report.outcomes if o.status == "survived"]
    assert report.kill_rate >= 0.95, survivors
