"""The sandbox runner's failure modes: each costs its case, never the grader."""

from __future__ import annotations

import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source, decode_source
from tests.support.helpers import reference_text, with_functions

DIST = "compute_distances_no_loops"


def grade(sandbox: Sandbox, text: str) -> ExerciseResult:
    return grade_exercise(registry.load("knn"), Source("knn", text, "knn.py"), sandbox, Options())


def by_name(result: ExerciseResult) -> dict[str, Verdict]:
    return {c.name: c.verdict for c in result.cases}


def test_reference_scores_full_marks(sandbox: Sandbox) -> None:
    result = grade(sandbox, reference_text("knn"))
    assert result.passed and result.score == result.max_score > 0


@pytest.mark.parametrize(("body", "verdict", "words"), [
    ("raise ValueError('boom')", Verdict.EXCEPTION, "ValueError"),
    ("return np.zeros((2, 2))", Verdict.WRONG_SHAPE, "expected shape"),
    ("return np.full((X.shape[0], X_train.shape[0]), np.nan)", Verdict.NOT_FINITE, "NaN"),
    ("return 'distances'", Verdict.INVALID_OUTPUT, "str"),
    ("return [[0.0]]", Verdict.INVALID_OUTPUT, "list"),
    ("return np.zeros((X.shape[0], X_train.shape[0]), dtype=object)", Verdict.INVALID_OUTPUT, "object"),
    ("return np.sqrt(np.sum((X[:, None] - X_train[None]) ** 2, -1)) * 1.01", Verdict.WRONG_VALUE,
     "rel_error"),
])
def test_one_bad_function_costs_only_its_cases(sandbox: Sandbox, body: str, verdict: Verdict,
                                               words: str) -> None:
    text = with_functions("knn", f"def {DIST}(X_train, X):\n    import numpy as np\n    {body}\n")
    verdicts = by_name(grade(sandbox, text))
    assert verdicts["no_loops"] is verdict
    assert verdicts["two_loops"] is Verdict.PASSED  # the rest of the submission still scores
    result = grade(sandbox, text)
    message = next(c.message for c in result.cases if c.name == "no_loops")
    assert words in message


def test_wrong_value_names_worst_index_on_public_cases(sandbox: Sandbox) -> None:
    text = with_functions("knn", f"""
_good = {DIST}
def {DIST}(X_train, X):
    d = _good(X_train, X)
    d[2, 5] += 1.0
    return d
""")
    case = next(c for c in grade(sandbox, text).cases if c.name == "no_loops")
    assert case.detail is not None and case.detail.index == [2, 5]
    assert case.detail.mismatched == 1


def test_timeout_is_a_verdict(sandbox: Sandbox) -> None:
    text = with_functions("knn", f"def {DIST}(X_train, X):\n    while True:\n        pass\n")
    ex = registry.load("knn")
    case = next(c for c in ex.public if c.name == "no_loops")
    import dataclasses

    quick = dataclasses.replace(ex, public=(dataclasses.replace(case, timeout=0.5),), hidden=())
    result = grade_exercise(quick, Source("knn", text, "knn.py"), sandbox, Options())
    assert result.cases[0].verdict is Verdict.TIMEOUT
    assert grade(sandbox, reference_text("knn")).passed  # the sandbox still works afterwards


@pytest.mark.parametrize(("extra", "verdict", "words"), [
    ("import os\nos._exit(3)", Verdict.CRASH, "exit code 3"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", Verdict.CRASH, "SIGSEGV"),
    ("raise SystemExit(0)", Verdict.EXCEPTION, "SystemExit"),
    ("def broken(:\n    pass", Verdict.SYNTAX_ERROR, "line"),
    (f"del {DIST}", Verdict.MISSING_FUNCTION, DIST),
])
def test_module_level_failures(sandbox: Sandbox, extra: str, verdict: Verdict, words: str) -> None:
    result = grade(sandbox, with_functions("knn", extra))
    touched = [c for c in result.cases if c.verdict is verdict]
    assert touched, by_name(result)
    assert words in touched[0].message
    if verdict is not Verdict.MISSING_FUNCTION:
        assert all(c.verdict is verdict for c in result.cases)
    else:
        assert by_name(result)["two_loops"] is Verdict.PASSED


def test_printed_output_is_shown_for_public_cases_only(sandbox: Sandbox) -> None:
    text = with_functions("knn", f"""
def {DIST}(X_train, X):
    print("debugging here")
    raise RuntimeError("nope")
""")
    ex = registry.load("knn")
    result = grade_exercise(ex, Source("knn", text, "knn.py"), sandbox, Options())
    public = next(c for c in result.cases if c.name == "no_loops")
    assert "debugging here" in public.stdout and "nope" in public.message
    hidden = next(c for c in result.cases if c.name == "hidden_duplicates")
    assert hidden.stdout == "" and hidden.message == "RuntimeError"


def test_source_problems_are_verdicts() -> None:
    nul = decode_source("knn", b"x = 1\x00", "a.py")
    latin = decode_source("knn", "x = 'é'".encode("latin-1"), "a.py")
    bom = decode_source("knn", b"\xef\xbb\xbfx = 1\r\n", "a.py")
    assert not isinstance(nul, Source) and nul.verdict is Verdict.BAD_SOURCE
    assert not isinstance(latin, Source) and "UTF-8" in latin.message
    assert isinstance(bom, Source) and bom.text == "x = 1\n"


def test_dead_zygote_is_restarted() -> None:
    with Sandbox() as box:
        proc = box._proc
        assert proc is not None
        proc.kill()
        proc.wait()
        assert grade(box, reference_text("knn")).passed
