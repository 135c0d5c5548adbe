"""Reading solution cells out of student notebooks (the API the batch grader uses)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.models import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.reader import read_notebook, tagged_exercises
from grader.submission.source import Source, SourceProblem
from tests.support.helpers import reference_text

v4 = nbformat.v4


def write(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def code(text: str, *tags: str) -> nbformat.NotebookNode:
    return v4.new_code_cell(text, metadata={"tags": list(tags)} if tags else {})


def test_tagged_cell_is_found_wherever_it_moved(tmp_path: Path) -> None:
    nb = write(tmp_path / "hw.ipynb", [
        v4.new_markdown_cell("intro"), code("x = 1"),
        code("def predict_labels(d, y, k=1):\n    return 7\n", "solution-knn"),
        code("def softmax(x):\n    return x\n", "solution-softmax"),
    ])
    got = read_notebook(nb, "knn")
    assert isinstance(got, Source)
    assert "return 7" in got.text and "softmax" not in got.text and "x = 1" not in got.text
    assert got.filename.endswith("hw.ipynb[solution-knn]")
    assert tagged_exercises(nb) == ["knn", "softmax"]


def test_copies_are_joined_in_notebook_order_so_the_last_definition_wins(tmp_path: Path,
                                                                         sandbox: Sandbox) -> None:
    # A student copied the solution cell, then fixed the copy further down: the kernel
    # runs both top to bottom and keeps the later definition; grading must do the same.
    stub = "def predict_labels(dists, y_train, k=1):\n    raise NotImplementedError\n"
    nb = write(tmp_path / "hw.ipynb", [
        code(reference_text("knn"), "solution-knn"),
        code(stub, "solution-knn"),
    ])
    src = read_notebook(nb, "knn")
    assert isinstance(src, Source)
    result = grade_exercise(registry.load("knn"), src, sandbox, Options(hidden=False))
    verdicts = {c.name: c.verdict for c in result.cases}
    assert verdicts["vote_k1"] is Verdict.NOT_IMPLEMENTED  # the later stub replaced predict_labels
    assert verdicts["two_loops"] is Verdict.PASSED  # the distances still come from the first cell
    # Re-ordered (fixed copy last): everything passes.
    nb2 = write(tmp_path / "hw2.ipynb", [code(stub, "solution-knn"), code(reference_text("knn"),
                                                                           "solution-knn")])
    src2 = read_notebook(nb2, "knn")
    assert isinstance(src2, Source)
    assert grade_exercise(registry.load("knn"), src2, sandbox, Options(hidden=False)).passed


def test_deleted_cell_is_a_clear_missing_module(tmp_path: Path) -> None:
    nb = write(tmp_path / "hw.ipynb", [code("def sigmoid(x):\n    return x\n", "solution-sigmoid-graph")])
    got = read_notebook(nb, "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.MISSING_MODULE
    assert "solution-knn" in got.message and "deleted" in got.message
    assert "sigmoid_graph" in got.message  # what the notebook does hold
    # Dash and underscore spellings of the tag are the same exercise.
    assert isinstance(read_notebook(nb, "sigmoid_graph"), Source)


def test_markdown_cell_with_the_tag_is_not_code(tmp_path: Path) -> None:
    md = v4.new_markdown_cell("def f(): pass", metadata={"tags": ["solution-knn"]})
    got = read_notebook(write(tmp_path / "hw.ipynb", [md]), "knn")
    assert isinstance(got, SourceProblem) and "no tagged solution cells" in got.message


@pytest.mark.parametrize(("content", "words"), [
    (b'{"cells": [', "broken JSON at line 1"),
    (b"[1, 2]", "not a Jupyter notebook"),
    (b"\xff\xfe\x00garbage", "NUL bytes"),
])
def test_broken_files_are_bad_source(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "hw.ipynb"
    path.write_bytes(content)
    got = read_notebook(path, "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    assert words in got.message


def test_missing_file_and_old_nbformat(tmp_path: Path) -> None:
    got = read_notebook(tmp_path / "nope.ipynb", "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.MISSING_MODULE
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "def f():\n    return 3\n", "language": "python",
         "metadata": {"tags": ["solution-knn"]}, "outputs": []}]}]}
    (tmp_path / "old.ipynb").write_text(json.dumps(v3))
    old = read_notebook(tmp_path / "old.ipynb", "knn")
    assert isinstance(old, Source) and "return 3" in old.text


def test_magics_are_commented_out_keeping_line_numbers(tmp_path: Path) -> None:
    nb = write(tmp_path / "hw.ipynb", [code("%%time\nimport numpy as np\n!ls\ndef f():\n    return 1",
                                            "solution-knn")])
    got = read_notebook(nb, "knn")
    assert isinstance(got, Source)
    lines = got.text.splitlines()
    assert lines[0] == "# %%time" and lines[2] == "# !ls" and lines[3] == "def f():"
    compile(got.text, "x", "exec")
