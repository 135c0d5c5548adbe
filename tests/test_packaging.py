"""Packaging: what 'pip install .' installs, the packaged stubs and fixtures, 'dlgrade init'.

The wheel is built the standard way (``pip wheel .``, setuptools' backend, build isolation),
installed into a fresh venv, and used from an empty folder as a student would.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from grader.assign.packaged import refresh
from grader.check.selftest import reference_source
from grader.cli.app import app
from grader.engine import registry
from grader.engine.expectations import Fixtures
from grader.engine.mistakes import run_trusted
from grader.engine.seeds import case_seed
from grader.engine.stubs import strip_solutions
from tests.support.helpers import ROOT, reference_text
from tests.support.release_env import fresh_venv, pip_install

DATA = ROOT / "grader" / "data"


def build(out: Path) -> Path:
    """``pip wheel .`` with a fixed SOURCE_DATE_EPOCH, as a packager builds it."""
    env = os.environ | {"SOURCE_DATE_EPOCH": "1767225600"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                   check=True, env=env, capture_output=True, timeout=600)
    return next(out.glob("dlgrade-*.whl"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("wheel"))


def test_packaged_data_is_what_the_reference_generates_now(tmp_path: Path) -> None:
    """Byte for byte (generation is deterministic): stale data fails here, with the fix named."""
    refresh(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    packaged = sorted(p.relative_to(DATA) for p in DATA.rglob("*")
                      if p.is_file() and p.parent.name in ("stubs", "fixtures"))
    assert fresh == packaged
    stale = [str(r) for r in fresh if (tmp_path / r).read_bytes() != (DATA / r).read_bytes()]
    assert not stale, f"stale packaged data {stale}: run python -m grader.assign.packaged"


def test_packaged_stubs_are_the_generated_stubs() -> None:
    for ex in registry.available():
        stub = (DATA / "stubs" / f"{ex}.py").read_text(encoding="utf-8")
        assert stub == strip_solutions(reference_source(ex).text)
        assert stub == (ROOT / "exercises" / f"{ex}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("exercise", registry.available())
def test_packaged_fixtures_hold_the_references_outputs(exercise: str) -> None:
    """Stale fixtures (a suite or reference changed) fail here: rerun python -m grader.assign.packaged."""
    ex, ref = registry.load(exercise), registry.reference(exercise)
    fixtures = Fixtures(DATA / "fixtures")
    for case in ex.public:
        if not case.check.needs_expected:
            continue
        calls = case.build(np.random.default_rng(case_seed(ex.id, case)))
        got = fixtures.expected(ex, case, calls)
        want = run_trusted(ref, calls)
        assert got is not None and set(want) <= set(got), case.name
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=0, atol=0, err_msg=f"{case.name} {key}")


@pytest.mark.slow
def test_the_wheel_holds_only_the_grader_and_is_reproducible(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"grader", "dlgrade-0.1.0.dist-info"}  # no solutions, no exercises
    assert "dlgrade-0.1.0.dist-info/licenses/LICENSE" in names
    assert {f"grader/data/stubs/{e}.py" for e in registry.available()} <= set(names)
    meta = zipfile.ZipFile(wheel).read("dlgrade-0.1.0.dist-info/METADATA").decode()
    requires = {line.split(":", 1)[1].strip().split(">=")[0] for line in meta.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    # Every third-party package grader/ imports, with a lower bound.
    assert requires >= {"numpy", "typer", "pydantic", "nbformat", "jinja2", "rich"}
    assert all(">=" in line for line in meta.splitlines()
               if line.startswith("Requires-Dist:") and "extra ==" not in line)
    assert "License-Expression: MIT" in meta
    assert "Classifier: Operating System :: Microsoft :: Windows" in meta
    again = build(tmp_path)  # SOURCE_DATE_EPOCH makes the bytes reproducible
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(wheel.read_bytes()).digest()


@pytest.mark.slow
def test_fresh_venv_init_and_check_in_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    python = fresh_venv(tmp_path)
    pip_install(python, wheel)
    probe = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.run([str(python), "-c", probe], capture_output=True, text=True,
                               check=True).stdout.strip())
    assert not (site / "solutions").exists() and not (site / "exercises").exists()
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE_", "PYTHON"))}

    def dlgrade(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python.parent / "dlgrade"), *args], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)

    init = dlgrade("init")
    assert init.returncode == 0, init.stderr
    assert sorted(p.stem for p in (work / "exercises").glob("*.py")) == sorted(registry.available())
    stub = dlgrade("check", "knn")
    assert stub.returncode == 1 and "Not started" in stub.stdout, stub.stdout + stub.stderr
    (work / "exercises" / "knn.py").write_text(reference_text("knn"))
    solved = dlgrade("check", "knn")
    assert solved.returncode == 0 and "All passed" in solved.stdout, solved.stdout + solved.stderr
    again = dlgrade("init")  # the student's work is never overwritten
    assert again.returncode == 2 and "--force" in again.stderr
    assert (work / "exercises" / "knn.py").read_text() == reference_text("knn")
    helped = dlgrade("--help")
    assert "--install-completion" in helped.stdout


def test_init_writes_named_stubs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "hw"), "--exercises", "knn,max-pool"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "hw" / "exercises").iterdir()) == ["knn.py", "max_pool.py"]
    assert "NotImplementedError" in (tmp_path / "hw" / "exercises" / "max_pool.py").read_text()
