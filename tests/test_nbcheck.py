"""The notebook check cell: which code it grades, and that it reports instead of raising."""

from __future__ import annotations

from pathlib import Path

import nbformat
from rich.console import Console

from grader.check.notebook import check, history_source
from grader.engine import registry
from grader.models import Verdict
from grader.submission.source import Source, SourceProblem
from tests.support.helpers import reference_text

STUB = "def predict_labels(dists, y_train, k=1):\n    raise NotImplementedError\n"


def test_latest_run_of_each_function_is_graded() -> None:
    ex = registry.load("knn")
    history = ["", reference_text("knn"), "x = 1", STUB, "print(x)"]
    src = history_source(ex, history)
    assert isinstance(src, Source)
    assert src.text.index("compute_distances_two_loops") < src.text.index("raise NotImplementedError\n")
    assert "x = 1" not in src.text and "print(x)" not in src.text
    fixed = history_source(ex, [*history, reference_text("knn")])  # ran the full cell again
    assert isinstance(fixed, Source) and "raise NotImplementedError\n" not in fixed.text


def test_nothing_run_yet_is_a_clear_problem() -> None:
    src = history_source(registry.load("knn"), ["", "import numpy as np"])
    assert isinstance(src, SourceProblem) and src.verdict is Verdict.MISSING_FUNCTION
    assert "run the cell tagged solution-knn first" in src.message


def test_check_outside_a_kernel_prints_an_error_not_a_traceback(tmp_path: Path) -> None:
    console = Console(record=True, width=120)
    check("knn", console=console)
    assert "not running in a notebook" in console.export_text()
    check("nope", console=console)
    assert "unknown exercise 'nope'" in console.export_text()


def test_check_a_saved_notebook(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(reference_text("knn"), metadata={"tags": ["solution-knn"]})]
    nbformat.write(nb, tmp_path / "hw.ipynb")
    console = Console(record=True, width=160)
    check("knn", notebook=tmp_path / "hw.ipynb", console=console)
    out = console.export_text()
    assert "All passed: 12/12 points" in out and "hidden" not in out  # public cases only


def test_cli_notebook_errors_are_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from grader.cli.app import app

    runner = CliRunner()
    missing = runner.invoke(app, ["check", "--notebook", str(tmp_path / "none.ipynb")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    nb = nbformat.v4.new_notebook()
    nbformat.write(nb, tmp_path / "empty.ipynb")
    untagged = runner.invoke(app, ["check", "--notebook", str(tmp_path / "empty.ipynb")])
    assert untagged.exit_code == 2 and "has no cell tagged solution-<exercise>" in untagged.output
