"""The Gradescope bundle, run for real against a fake /autograder tree."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.stubs import strip_solutions
from grader.engine.suite import Call, Case, Exercise
from grader.platforms.gradescope import GSResults
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import reference_text
from tests.support.release_env import fresh_venv, pip_install
from tests.support.snoop import snooper

pytestmark = pytest.mark.slow  # real releases, classes, kernels or browsers


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the bundle zip, python of a fresh venv set up as setup.sh would, from the bundle's wheel)."""
    tmp = tmp_path_factory.mktemp("gradescope")
    result = CliRunner().invoke(app, ["assign", "--autograder", "gradescope", "--out", str(tmp / "gs"),
                                      "--exercises", "knn,conv", "--points", "knn=10,conv=20",
                                      "--secret", "course-secret"])
    assert result.exit_code == 0, result.output
    zipped = tmp / "gs" / "gradescope-autograder.zip"
    with zipfile.ZipFile(zipped) as zf:
        names = zf.namelist()
        wheel = next(n for n in names if n.endswith(".whl"))
        zf.extract(wheel, tmp)
    assert {"setup.sh", "run_autograder", "dlgrade-manifest.json", "dlgrade-secret"} <= set(names)
    python = fresh_venv(tmp)
    pip_install(python, tmp / wheel)  # what setup.sh does, minus apt and the network
    return zipped, python


def autograde(bundle: tuple[Path, Path], root: Path, files: dict[str, str],
              users: list[dict[str, object]] | None = None,
              extra_env: dict[str, str] | None = None) -> tuple[int, GSResults]:
    zipped, python = bundle
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(stat.S_IRWXU)
    for name, text in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_text(text)
    if users is not None:
        (root / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": users}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON"))}
    env |= {"DLGRADE_AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": str(python)} | (extra_env or {})
    proc = subprocess.run([str(root / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=300)
    raw = json.loads((root / "results" / "results.json").read_text())
    return proc.returncode, GSResults.model_validate(raw)  # the documented schema, extra keys refused


def test_correct_submission_scores_the_manifest_points(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "id": "a", "metadata": {"tags": ["solution-conv"]},
                     "source": reference_text("conv"), "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    code, res = autograde(bundle, tmp_path, {"hw/knn.py": reference_text("knn"),
                                             "conv.ipynb": json.dumps(nb)},
                          users=[{"id": 42, "email": "a@uni.edu", "name": "A"}])
    assert code == 0
    assert res.score == pytest.approx(30.0)
    assert sum(t.max_score for t in res.tests) == pytest.approx(30.0)
    assert all(t.status == "passed" for t in res.tests)
    hidden = [t for t in res.tests if "hidden" in t.tags]
    assert hidden and all(t.visibility == "after_published" for t in hidden)
    knn = [t for t in res.tests if t.name.startswith("knn:")]
    assert len(knn) == len(registry.load("knn").cases)
    level = res.extra_data.pop("sandbox")
    assert res.extra_data == {"student": "42", "hidden_inputs": "per-student"}
    assert level in ("bwrap", "unshare", "process") and f"sandbox: {level} (" in res.output


def test_wrong_and_missing_work_is_graded_not_crashed(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    wrong = reference_text("knn").replace("np.sqrt(np.sum((X[i] - X_train[j]) ** 2))",
                                          "np.sum((X[i] - X_train[j]) ** 2)")
    code, res = autograde(bundle, tmp_path, {"knn.py": wrong})
    assert code == 0 and 0 < (res.score or 0) < 10
    by_name = {t.name: t for t in res.tests}
    assert "Known mistake" in by_name["knn: two_loops"].output
    assert all(t.score == 0 and "no conv.py" in t.output for n, t in by_name.items() if n.startswith("conv"))
    assert res.extra_data["hidden_inputs"] == "fixed"  # no submission_metadata.json: no student id


def test_stub_scores_zero(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    files = {f"{e}.py": strip_solutions(reference_text(e)) for e in ("knn", "conv")}
    code, res = autograde(bundle, tmp_path, files)
    assert code == 0 and res.score == 0 and len(res.tests) > 10


def test_a_broken_bundle_still_writes_results(bundle: tuple[Path, Path], tmp_path: Path) -> None:
    _, python = bundle
    (tmp_path / "submission").mkdir()
    env = {**os.environ, "DLGRADE_AUTOGRADER_ROOT": str(tmp_path)}
    proc = subprocess.run([str(python), "-m", "grader.platforms.gradescope"], env=env, cwd=tmp_path)
    res = GSResults.model_validate_json((tmp_path / "results" / "results.json").read_text())
    assert proc.returncode == 1 and res.score == 0 and "autograder failed" in res.output


def inputs_for(secret: bytes | None, student: str | None, box: Sandbox) -> dict[str, np.ndarray]:
    """Each knn case's input arrays when graded for this student (seen by the expected-values hook)."""
    seen: dict[str, np.ndarray] = {}

    class Spy:
        def expected(self, ex: Exercise, case: Case, calls: list[Call]) -> None:
            seen[case.name] = np.concatenate([np.ravel(a) for c in calls for a in c.args
                                              if isinstance(a, np.ndarray)])
            return None

        def diagnose(self, *args: object) -> None:
            return None

    grade_exercise(registry.load("knn"), Source("knn", "", "empty.py"), box,
                   Options(secret=secret, student=student, expectations=Spy()))
    return seen


def test_per_student_hidden_inputs(sandbox: Sandbox) -> None:
    ex = registry.load("knn")
    alice, bob = inputs_for(b"s3", "alice", sandbox), inputs_for(b"s3", "bob", sandbox)
    again, other_secret = inputs_for(b"s3", "alice", sandbox), inputs_for(b"other", "alice", sandbox)
    fixed = inputs_for(None, "alice", sandbox)
    for case in ex.cases:
        if case.name not in alice:
            continue
        if case.hidden:
            assert not np.array_equal(alice[case.name], bob[case.name]), case.name
            assert not np.array_equal(alice[case.name], other_secret[case.name]), case.name
            assert not np.array_equal(alice[case.name], fixed[case.name]), case.name
        else:  # public cases are the same for everyone (they match the release fixtures)
            assert np.array_equal(alice[case.name], bob[case.name]), case.name
        assert np.array_equal(alice[case.name], again[case.name]), case.name


@pytest.mark.skipif(not (sys.platform.startswith("linux") and os.geteuid() == 0),
                    reason="needs root on Linux: the child runs as a dropped uid")
def test_below_isolation_the_bundle_and_its_secret_are_unreadable(bundle: tuple[Path, Path]) -> None:
    """As in a container where bubblewrap cannot start: the process level, root, /autograder
    readable by everyone. The submission tries to read the secret file and the wheel (which
    holds the solutions); it must read nothing, and results.json says the level."""
    root = Path(tempfile.mkdtemp(prefix="dlgrade-autograder-"))
    try:
        root.chmod(0o755)
        targets = [str(root / "source" / "dlgrade-secret"), str(next(
            (root / "source" / n) for n in zipfile.ZipFile(bundle[0]).namelist() if n.endswith(".whl")))]
        code, res = autograde(bundle, root, {"knn.py": snooper(targets, "course-secret")},
                              users=[{"id": 7}], extra_env={"DLGRADE_SANDBOX": "process"})
        assert code == 0
        knn = {t.name: t for t in res.tests if t.name.startswith("knn:")}
        assert all(t.status == "passed" for t in knn.values()), [t.output for t in knn.values()]
        assert res.extra_data["sandbox"] == "process"
        assert "sandbox: process (not isolated" in res.output
        assert "course-secret" not in res.model_dump_json()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_bundle_without_a_secret_says_so_when_built(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["assign", "--autograder", "gradescope", "--out", str(tmp_path / "gs"),
                                      "--exercises", "knn"], env={"DLGRADE_SECRET": ""})
    assert result.exit_code == 0, result.output
    assert "warning: this bundle has no course secret" in result.output
