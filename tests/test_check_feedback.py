"""What ``check`` tells a student (issue 13): a hanging function costs one timeout and is
named; "Try next" repeats the command the student ran; hints wrap, never cut; selftest
and ``stubs`` never suggest overwriting a student's work."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.check.stubsync import changed_lines, sync_detail, written
from grader.cli.app import app
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.stubs import strip_solutions
from grader.models import CaseResult, Verdict
from grader.progress.history import where_from
from grader.progress.records import one_line
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import reference_text, with_functions
from tests.support.spies import Children

runner = CliRunner()
LOOP = "def predict_labels(dists, y_train, k=1):\n    while True:\n        pass\n"


@pytest.mark.slow
def test_a_hanging_function_costs_one_timeout_and_is_named(sandbox: Sandbox) -> None:
    ex = registry.load("knn")
    quick = dataclasses.replace(ex, public=tuple(dataclasses.replace(c, timeout=1.0) for c in ex.public))
    box = Children(sandbox)
    result = grade_exercise(quick, Source("knn", with_functions("knn", LOOP), "knn.py"), box,
                            Options(hidden=False))
    votes = [c for c in result.cases if c.name.startswith("vote")]
    assert len(votes) == 3 and all(c.verdict is Verdict.TIMEOUT for c in votes)
    assert box.timeouts == 1  # the child ran out of time once; the other vote cases were not run
    assert votes[0].message.startswith("predict_labels() timed out after 1s")
    later = "not run: predict_labels() timed out in an earlier case"
    assert all(c.message.startswith(later) for c in votes[1:])
    assert all(c.passed for c in result.cases if c not in votes)  # the distances are still graded


# ---- "Try next" -------------------------------------------------------------------------------

@pytest.mark.parametrize(("recorded", "options"), [
    ("exercises/knn.py", ""),  # the default folder: plain 'dlgrade check knn'
    ("hw1/knn.py", " --submission hw1"),
    ("knn.py", " --submission ."),
    ("my solution.py", " --submission 'my solution.py'"),  # one file of another name, quoted
    ("hw1.zip/knn.py", " --submission hw1.zip"),
    ("notebooks/knn.ipynb[solution-knn]", " --notebook notebooks/knn.ipynb"),
    ("notebook[solution-knn]", ""),  # the notebook's own check cell
])
def test_try_next_points_where_the_attempt_was_made(recorded: str, options: str) -> None:
    assert where_from("knn", recorded) == options


@pytest.mark.slow
def test_try_next_repeats_the_submission_the_student_checked(tmp_path: Path) -> None:
    work = tmp_path / "hw 1"
    work.mkdir()
    mistake = next(m for m in registry.load("knn").mistakes if m.id == "tie_largest")
    from grader.engine.variants import mistake_source

    (work / "knn.py").write_text(mistake_source("knn", mistake), encoding="utf-8")
    store = tmp_path / "p.sqlite3"
    res = runner.invoke(app, ["check", "knn", "--submission", str(work), "--store", str(store), "-f", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(runner.invoke(app, ["progress", "--store", str(store), "--json"]).output)
    commands = [s["command"] for s in data["next"]]
    assert commands[0] == f"dlgrade check knn --submission '{work}'"
    assert all(c.endswith(f"--submission '{work}'") for c in commands)  # not-started ones too


# ---- hints wrap -------------------------------------------------------------------------------

LONG_HINT = ("Use np.bincount(closest_y).argmax(): argmax picks the first, that is the smallest, maximum; "
             "a tie between two labels therefore goes to the smaller one, as the exercise's docstring "
             "and the notes' K近邻 example ask, whatever order the labels were seen in while voting.")


def test_the_stored_diagnosis_keeps_the_whole_hint() -> None:
    from grader.models import Diagnosis

    case = CaseResult(name="vote_k5", points=0, max_points=2, verdict=Verdict.WRONG_VALUE,
                      mistake=Diagnosis(id="tie_largest", title="A tied vote goes to the largest label",
                                        hint=LONG_HINT))
    text = one_line(case)
    assert text.endswith(LONG_HINT) and "…" not in text and len(text) > 160


@pytest.mark.slow
def test_hints_wrap_in_the_terminal_and_the_html(tmp_path: Path) -> None:
    work = tmp_path / "hw"
    work.mkdir()
    ex = registry.load("knn")
    mistake = next(m for m in ex.mistakes if m.id == "tie_largest")
    from grader.engine.variants import mistake_source

    (work / "knn.py").write_text(mistake_source("knn", mistake), encoding="utf-8")
    store = tmp_path / "p.sqlite3"
    assert runner.invoke(app, ["check", "knn", "-s", str(work), "--store", str(store)]).exit_code == 1
    html = tmp_path / "p.html"
    out = runner.invoke(app, ["progress", "--store", str(store), "--html", str(html)], env={"COLUMNS": "60"})
    squashed = re.sub(r"[\s│]+", " ", out.output)
    assert " ".join(mistake.hint.split()) in squashed and "…" not in out.output
    assert mistake.hint in html.read_text(encoding="utf-8").replace("&#39;", "'")


# ---- selftest and stubs leave a student's work alone ------------------------------------------

def test_selftest_names_the_files_that_hold_work_and_never_suggests_overwriting(tmp_path: Path) -> None:
    stub = strip_solutions(reference_text("knn"))
    work = tmp_path / "knn.py"
    work.write_text(reference_text("knn"), encoding="utf-8")  # a student who finished
    assert written(work.read_text(), stub) == ["compute_distances_two_loops", "compute_distances_one_loop",
                                               "compute_distances_no_loops", "predict_labels"]
    ok, detail = sync_detail(work, stub)
    assert ok and str(work) in detail and "holds work" in detail and "lines " in detail
    assert "--out stubs.new" in detail and "stubs --write'" not in detail  # never the overwriting command
    older = tmp_path / "old.py"
    older.write_text(stub.replace("Euclidean", "euclidean", 1), encoding="utf-8")  # an older stub
    ok, detail = sync_detail(older, stub)
    assert not ok and "older stub" in detail and changed_lines(older.read_text(), stub) in detail


def test_stubs_write_leaves_work_alone_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "exercises"
    assert runner.invoke(app, ["stubs", "--write", "--out", str(out)]).exit_code == 0
    (out / "knn.py").write_text(reference_text("knn"), encoding="utf-8")
    res = runner.invoke(app, ["stubs", "--write", "--out", str(out)])
    assert res.exit_code == 1 and "left alone (they hold work)" in res.output and "knn.py" in res.output
    assert (out / "knn.py").read_text(encoding="utf-8") == reference_text("knn")  # untouched
    assert runner.invoke(app, ["stubs", "--write", "--out", str(out), "--force"]).exit_code == 0
    assert (out / "knn.py").read_text(encoding="utf-8") == strip_solutions(reference_text("knn"))
