"""A release notebook opened on its own (as on Colab): a folder with only the notebook and the wheel.

A real kernel in a fresh venv without dlgrade runs the notebook top to bottom: the
first cell installs the wheel beside it (pip without an index: no network), the
check cell grades from the fixtures inside the wheel, and the attempt is recorded
in the progress history. Also ``dlgrade collect`` and the wrong-assignment check.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from grader.check.collect import STAMP_FILE, assignment_key, wrong_assignment
from grader.cli.app import app
from grader.engine.manifest import Manifest
from grader.progress.store import Store
from tests.support.helpers import reference_text
from tests.support.release_env import fresh_venv


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rel") / "release"
    result = CliRunner().invoke(app, ["assign", "--out", str(out), "--exercises", "knn,adam",
                                      "--title", "HW 3"])
    assert result.exit_code == 0, result.output
    return out


def execute(path: Path, python: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    spec = tmp / "kernels" / "alone"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "alone", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp))
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # the wheel beside the notebook, nothing from the network
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="alone", timeout=300,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    assert not any(o["output_type"] == "error" for c in nb.cells for o in c.get("outputs", []))
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells for o in c.get("outputs", []))
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.slow
def test_notebook_alone_installs_the_grader_and_checks(release: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(release / "notebooks" / "knn.ipynb", alone / "knn.ipynb")
    shutil.copy(next(release.glob("dlgrade-*.whl")), alone)
    python = fresh_venv(tmp_path)  # no dlgrade: the first cell must install it
    store = tmp_path / "history.sqlite3"
    monkeypatch.setenv("DLGRADE_STORE", str(store))
    text = execute(alone / "knn.ipynb", python, tmp_path, monkeypatch)
    assert "is ready" in text and "Not started" in text
    nb = nbformat.read(alone / "knn.ipynb", as_version=4)
    next(c for c in nb.cells if c.get("id") == "knn-solution")["source"] = reference_text("knn")
    nbformat.write(nb, alone / "knn.ipynb")
    assert "All passed" in execute(alone / "knn.ipynb", python, tmp_path, monkeypatch)
    with Store(store) as history:  # notebook checks are recorded like terminal checks
        scores = [a.score for a in history.attempts("knn")]
    assert len(scores) == 2 and scores[0] == 0 and scores[1] > 0


def test_collect_zips_the_work_with_the_assignment_key(release: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(release, work)
    (work / "exercises" / "knn.py").write_text(reference_text("knn"))
    result = CliRunner().invoke(app, ["collect", "--release", str(work), "--out", str(tmp_path / "s.zip")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "s.zip") as zf:
        names = set(zf.namelist())
        stamp = json.loads(zf.read(STAMP_FILE))
        assert zf.read("exercises/knn.py").decode() == reference_text("knn")
    assert {"exercises/knn.py", "exercises/adam.py", "notebooks/knn.ipynb", STAMP_FILE} <= names
    manifest = Manifest.load(work)
    assert stamp["assignment"] == assignment_key(manifest)
    upload = tmp_path / "upload"
    zipfile.ZipFile(tmp_path / "s.zip").extractall(upload)
    assert wrong_assignment(upload, manifest) is None
    other = manifest.model_copy(update={"title": "HW 4"})
    message = wrong_assignment(upload, other)
    assert message is not None and "'HW 3'" in message and "dlgrade collect" in message


def test_collect_outside_a_release_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["collect", "--release", str(tmp_path)])
    assert result.exit_code == 2 and "dlgrade-manifest.json" in result.output


def test_a_linked_stamp_is_not_read(release: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"assignment": "0" * 16, "title": "Other"}))
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / STAMP_FILE).symlink_to(outside)  # a submission is read from regular files only
    manifest = Manifest.load(release)
    assert wrong_assignment(upload, manifest) is None
    (upload / STAMP_FILE).unlink()
    (upload / STAMP_FILE).write_text(outside.read_text())
    assert "'Other'" in (wrong_assignment(upload, manifest) or "")
