"""The student release installs into a fresh venv and grades there from the fixtures alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from grader.cli.app import app
from tests.support.helpers import ROOT, reference_text
from tests.support.release_env import fresh_venv, pip_install

pytestmark = pytest.mark.slow  # real releases, classes, kernels or browsers

EXERCISES = ("knn", "conv", "lstm_cell")  # distances, dict parameters, caches through Ref


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(release folder, python of a fresh venv where only the release's wheel is installed)."""
    tmp = tmp_path_factory.mktemp("release")
    out = tmp / "release"
    result = CliRunner().invoke(app, ["assign", "--out", str(out), "--exercises", ",".join(EXERCISES)])
    assert result.exit_code == 0, result.output
    python = fresh_venv(tmp)
    pip_install(python, next(out.glob("dlgrade-*.whl")))
    return out, python


def dlgrade(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON"))}
    return subprocess.run([str(python.parent / "dlgrade"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_fresh_venv_has_no_solutions(installed: tuple[Path, Path]) -> None:
    release, python = installed
    probe = subprocess.run([str(python), "-c", "import grader, importlib.util as u; print(grader.__file__);"
                            "print(u.find_spec('solutions'))"], capture_output=True, text=True, check=True,
                           cwd=release)  # not the repository root: python -c imports from the cwd
    where, solutions = probe.stdout.split()
    assert "site-packages" in where and str(ROOT) not in where
    assert solutions == "None"


def test_correct_submission_full_public_marks_stub_zero(installed: tuple[Path, Path], tmp_path: Path) -> None:
    release, python = installed
    stub = dlgrade(python, release, "check", "--all", "--format", "json")
    assert stub.returncode == 1, stub.stderr
    data = json.loads(stub.stdout)
    assert [e["exercise"] for e in data["exercises"]] == list(EXERCISES)
    assert data["score"] == 0 and data["max_score"] > 0
    assert all(c["visibility"] == "public" for e in data["exercises"] for c in e["cases"])
    work = tmp_path / "exercises"
    work.mkdir()
    for ex in EXERCISES:
        (work / f"{ex}.py").write_text(reference_text(ex))
    good = dlgrade(python, release, "check", "--all", "--submission", str(work), "--format", "json")
    assert good.returncode == 0, good.stdout + good.stderr
    done = json.loads(good.stdout)
    assert done["score"] == done["max_score"] == data["max_score"]


def test_mistake_named_in_the_release(installed: tuple[Path, Path], tmp_path: Path) -> None:
    release, python = installed
    wrong = reference_text("knn").replace("np.sqrt(np.sum((X[i] - X_train[j]) ** 2))",
                                          "np.sum((X[i] - X_train[j]) ** 2)")
    assert wrong != reference_text("knn")
    (tmp_path / "knn.py").write_text(wrong)
    out = dlgrade(python, release, "check", "knn", "--submission", str(tmp_path / "knn.py"),
                  "--format", "json")
    cases = {c["name"]: c for c in json.loads(out.stdout)["exercises"][0]["cases"]}
    assert cases["two_loops"]["mistake"]["id"] == "no_sqrt"
    assert cases["one_loop"]["verdict"] == "passed"


def test_check_notebook_from_a_terminal(installed: tuple[Path, Path], tmp_path: Path) -> None:
    release, python = installed
    nb = nbformat.read(release / "notebooks" / "knn.ipynb", as_version=4)
    nb.cells.append(nb.cells.pop(3))  # the student moved the solution cell to the end
    nb.cells[-1]["source"] = reference_text("knn")
    path = tmp_path / "my_knn.ipynb"
    nbformat.write(nb, path)
    ok = dlgrade(python, release, "check", "--notebook", str(path))
    assert ok.returncode == 0 and "All passed" in ok.stdout, ok.stdout + ok.stderr
    nb.cells.pop()  # ... and then deleted it
    nbformat.write(nb, path)
    gone = dlgrade(python, release, "check", "knn", "--notebook", str(path))
    assert gone.returncode == 1 and "solution-knn" in gone.stdout


def test_outside_the_release_the_wheels_own_fixtures_grade(installed: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    release, python = installed
    shutil.copy(release / "exercises" / "knn.py", tmp_path / "knn.py")  # outside the release
    out = dlgrade(python, tmp_path, "check", "knn", "--submission", "knn.py")
    assert out.returncode == 1 and "Not started" in out.stdout, out.stdout + out.stderr
    (tmp_path / "knn.py").write_text(reference_text("knn"))  # e.g. a notebook opened alone on Colab
    solved = dlgrade(python, tmp_path, "check", "knn", "--submission", "knn.py")
    assert solved.returncode == 0 and "All passed" in solved.stdout, solved.stdout + solved.stderr


def _kernel(tmp: Path, python: Path) -> dict[str, str]:
    spec = tmp / "kernels" / "release"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "release", "language": "python"}))
    return {"JUPYTER_PATH": str(tmp)}


def run_notebook(path: Path, python: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for key, value in _kernel(tmp, python).items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="release", timeout=120,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = next(c for c in nb.cells if c.get("id") == "knn-check")["outputs"]
    assert not any(o["output_type"] == "error" for c in nb.cells for o in c.get("outputs", []))
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                      for o in outputs)
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # rich colours the report


def test_notebook_executed_by_a_real_kernel(installed: tuple[Path, Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The release's own notebook, run top to bottom in a kernel of the fresh venv:
    the stub reports failures without erroring; with the solution pasted in, all pass."""
    release, python = installed
    path = release / "notebooks" / "knn.ipynb"
    text = run_notebook(path, python, tmp_path, monkeypatch)
    assert "Not started: 0/12 points" in text and "not implemented" in text
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.get("id") == "knn-solution")["source"] = reference_text("knn")
    pasted = release / "notebooks" / "pasted.ipynb"
    nbformat.write(nb, pasted)
    try:
        text = run_notebook(pasted, python, tmp_path / "k2", monkeypatch)
    finally:
        pasted.unlink()
    assert "All passed: 12/12 points, 7/7 cases passed" in text
