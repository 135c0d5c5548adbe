"""Files that must not crash, hang or swell the trusted grader (issue 12, item 5): FIFOs,
devices, links to /dev/zero, sparse giants, malformed notebooks, 0-d gradients."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.manifest import ExerciseEntry, Manifest
from grader.models import Verdict
from grader.platforms import gradescope
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission, read_notebook
from grader.submission.source import Source, SourceProblem
from tests.support.helpers import reference_text, with_functions
from tests.support.paths import ROOT

GIANT = 1536 * 1024**2  # 1.5 GB, sparse: reading it whole is what must not happen


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev_zero_link":
        path.symlink_to("/dev/zero")
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # the /dev/zero device itself
    elif kind == "hard_fifo":
        os.mkfifo(path.with_name("pipe"))
        os.link(path.with_name("pipe"), path)
    elif kind == "hard_file":
        path.with_name("other").write_text(reference_text("knn"))
        os.link(path.with_name("other"), path)
    elif kind == "sparse":
        with path.open("wb") as fh:
            fh.truncate(GIANT)


SPECIAL = {"fifo": "a named pipe (FIFO)", "dev_zero_link": "a symbolic link", "device": "a device",
           "hard_fifo": "a named pipe (FIFO)", "hard_file": "a hard link",
           "sparse": f"{GIANT} bytes; the limit is"}


def _can_mknod(tmp: Path) -> bool:
    try:
        os.mknod(tmp / "probe", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        return False
    (tmp / "probe").unlink()
    return True


@pytest.mark.parametrize("name", ["knn.py", "hw.ipynb"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_special_files_are_bad_source_and_the_rest_still_reads(tmp_path: Path, kind: str, name: str) -> None:
    if kind == "device" and not _can_mknod(tmp_path):
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "adam.py").write_text(reference_text("adam"))
    _special(folder / name, kind)
    before = _peak_mb()
    with Submission(folder, label="student") as sub:
        knn, adam = sub.read("knn"), sub.read("adam")
    assert isinstance(knn, SourceProblem) and knn.verdict is Verdict.BAD_SOURCE
    assert knn.message.startswith(f"student/{name} is ") and SPECIAL[kind] in knn.message
    assert "\n" not in knn.message
    assert isinstance(adam, Source) and adam.text == reference_text("adam")
    assert _peak_mb() - before < 64  # nothing was read whole


@pytest.mark.parametrize("kind", ["fifo", "sparse", "device"])
def test_special_entry_of_its_own_is_bad_source(tmp_path: Path, kind: str) -> None:
    if kind == "device" and not _can_mknod(tmp_path):
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    for name in ("eve.py", "eve.ipynb", "eve.zip"):
        _special(tmp_path / name, kind)
        before = _peak_mb()
        with Submission(tmp_path / name, label=name) as sub:
            got = sub.read("knn")
        assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE, name
        assert got.message.startswith(f"{name} is "), got.message
        assert _peak_mb() - before < 64


def _nb(cells: Any, **extra: Any) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **extra})


GOOD_CELL = {"cell_type": "code", "metadata": {"tags": ["solution-knn"]}, "source": "x = 1\n"}
MALFORMED = {
    "metadata_is_a_list": _nb([{**GOOD_CELL, "metadata": ["tags"]}]),  # AttributeError before
    "tags_is_a_dict": _nb([{**GOOD_CELL, "metadata": {"tags": {"solution-knn": 1}}}]),
    "cell_is_a_number": _nb([7, None, "cell"]),
    "source_is_a_number": _nb([{**GOOD_CELL, "source": 12}]),
    "worksheets_not_a_list": json.dumps({"worksheets": {"cells": []}, "nbformat": 3}),
    "deep_arrays": "[" * 100_000,  # RecursionError in the JSON reader before
    "deep_objects": '{"a":' * 5_000 + "1" + "}" * 5_000,
    "nested_cells": _nb([[[[GOOD_CELL]]]]),
}


@pytest.mark.parametrize("content", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_notebooks_are_a_verdict(tmp_path: Path, content: str) -> None:
    path = tmp_path / "hw.ipynb"
    path.write_text(content)
    got = read_notebook(path, "knn")
    assert isinstance(got, SourceProblem)
    assert got.verdict in (Verdict.BAD_SOURCE, Verdict.MISSING_MODULE)
    assert "hw.ipynb" in got.message and "\n" not in got.message


def test_zero_d_gradient_is_wrong_shape_not_a_crash(sandbox: Sandbox) -> None:
    source = with_functions("hinge_loss", (
        "def svm_loss_vectorized(W, X, y, reg):\n"
        "    loss, _ = svm_loss_naive(W, X, y, reg)\n"
        "    return loss, np.array(0.0)\n"))
    ex = registry.load("hinge_loss")
    result = grade_exercise(ex, Source("hinge_loss", source, "hinge_loss.py"), sandbox, Options(hidden=False))
    cases = {c.name: c for c in result.cases}
    assert cases["gradcheck"].verdict is Verdict.WRONG_SHAPE
    assert "shape () cannot be the gradient" in cases["gradcheck"].message
    assert cases["naive_no_reg"].passed and cases["naive_reg"].passed  # the correct parts still score


def test_gradescope_broken_notebook_does_not_zero_a_correct_adam(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    Manifest(grader_version=gradescope.__version__, exercises=[
        ExerciseEntry(id="knn", points=10), ExerciseEntry(id="adam", points=5)]).save(
        root / "source" / "dlgrade-manifest.json")
    (root / "submission").mkdir()
    (root / "submission" / "adam.py").write_text(reference_text("adam"))
    (root / "submission" / "knn.ipynb").write_text(MALFORMED["metadata_is_a_list"])
    monkeypatch.delenv("DLGRADE_SECRET", raising=False)
    res = gradescope.run(root)
    assert sum(t.score for t in res.tests if t.name.startswith("adam")) == pytest.approx(5.0)
    knn = [t for t in res.tests if t.name.startswith("knn")]
    assert knn and all(t.score == 0 and t.status == "failed" for t in knn)


@pytest.mark.slow
def test_class_run_goes_on_past_every_hostile_file(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    for sid, (name, kind) in {"pipe": ("hw.ipynb", "fifo"), "zero": ("hw.ipynb", "dev_zero_link"),
                              "giant": ("knn.py", "sparse"), "pipe_py": ("knn.py", "fifo")}.items():
        (subs / sid).mkdir()
        (subs / sid / "adam.py").write_text(reference_text("adam"))
        _special(subs / sid / name, kind)
    (subs / "broken").mkdir()
    (subs / "broken" / "adam.py").write_text(reference_text("adam"))
    (subs / "broken" / "hw.ipynb").write_text(MALFORMED["deep_arrays"])
    _special(subs / "eve.py", "sparse")
    (subs / "good").mkdir()
    (subs / "good" / "adam.py").write_text(reference_text("adam"))
    (subs / "good" / "knn.py").write_text(reference_text("knn"))
    manifest = tmp_path / "m.json"
    Manifest(grader_version=gradescope.__version__, exercises=[
        ExerciseEntry(id="knn", points=10), ExerciseEntry(id="adam", points=5)]).save(manifest)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "grader", "grade", str(subs), "--out", str(out),
                           "--manifest", str(manifest), "--jobs", "1", "--allow-unisolated"],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # this checkout's grader
    assert proc.returncode == 0, proc.stderr[-2000:]
    book = {s["id"]: s for s in json.loads((out / "gradebook.json").read_text())["students"]}
    assert set(book) == {"pipe", "zero", "giant", "pipe_py", "broken", "eve", "good"}
    assert book["good"]["total"] == 15
    for sid in ("pipe", "zero", "giant", "pipe_py", "broken"):
        assert book[sid]["points"] == {"knn": 0.0, "adam": 5.0}, sid
        verdicts = {c["verdict"] for c in book[sid]["exercises"]["knn"]["cases"]}
        assert verdicts == {"bad_source"}, sid
    assert book["eve"]["total"] == 0.0


@pytest.mark.parametrize(("content", "words"), [
    ("[" * 100_000, "nested deeper than"),
    (json.dumps({"metadata": {"dlgrade": {"quiz": "q", "student": "s"}}, "nbformat": 4,
                 "cells": [{"metadata": {"dlgrade": 5}, "source": 1}, 7]}), ""),
], ids=["deep", "odd_fields"])
def test_quiz_answer_notebooks_are_read_with_limits(tmp_path: Path, content: str, words: str) -> None:
    from grader.errors import UsageError
    from grader.quiz.answers import read_answers

    path = tmp_path / "answers.ipynb"
    path.write_text(content)
    if words:
        with pytest.raises(UsageError, match=words):
            read_answers(path)
    else:  # odd cells are skipped, not a crash (TypeError before)
        assert read_answers(path).answers == {}
