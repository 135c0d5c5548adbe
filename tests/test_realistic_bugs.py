"""Realistic buggy submissions are named: that name, and no other (issue 13).

The submissions in ``tests/data/realistic_bugs/`` were written the way students
write CS231n / CS224n code (loops, ``np.dot``, ``Counter``, ``config['t'] += 1``),
one bug each, independently of the variants in ``solutions/instructor/``: the
variant a name comes from computes the same wrong thing in its own way. A
submission with two bugs on different outputs gets both names, each for the
outputs it explains, and the rest reported as unexplained.
"""

from __future__ import annotations

import numpy as np
import pytest

from bench.realistic_bugs import Bug, grade_bug, load_bugs
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.signatures import signature
from grader.engine.suite import Call
from grader.models import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source

BUGS = load_bugs()


def test_the_set_is_large_and_covers_every_exercise() -> None:
    assert len(BUGS) >= 30
    assert {b.exercise for b in BUGS} == set(registry.available())
    for exercise in registry.available():  # the correct base each bug starts from
        assert not any(b.id.startswith("_") for b in BUGS if b.exercise == exercise)


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.exercise}-{b.id}" for b in BUGS])
def test_realistic_bug_gets_its_name_and_no_other(sandbox: Sandbox, bug: Bug) -> None:
    outcome = grade_bug(bug, sandbox)
    assert outcome.failed, "the bug must fail at least one case"
    assert set(outcome.named) == set(bug.expected), (bug.expected, outcome.named)


def test_the_correct_bases_pass_everything(sandbox: Sandbox) -> None:
    for exercise in registry.available():
        base = (BUGS[0].path.parent.parent / exercise / "_base.py").read_text(encoding="utf-8")
        result = grade_exercise(registry.load(exercise), Source(exercise, base, f"{exercise}.py"),
                                sandbox, Options())
        assert result.passed, [(c.name, c.message) for c in result.cases if not c.passed]


def test_two_bugs_are_named_output_by_output(sandbox: Sandbox) -> None:
    bug = next(b for b in BUGS if b.id == "no_correction_t_never_incremented")
    result = grade_exercise(registry.load("adam"), Source("adam", bug.source(), "adam.py"), sandbox,
                            Options(hidden=False))
    case = next(c for c in result.cases if c.name == "several_steps")
    assert case.mistake is not None and case.also
    by_output = {d.id: d.outputs for d in (case.mistake, *case.also)}
    assert by_output == {"no_bias_correction": ["next_w"], "t_not_stored": ["config.t"]}
    assert "config.t" in case.message and "next_w" in case.message


def test_no_clip_gives_every_student_the_same_verdict(sandbox: Sandbox) -> None:
    """Per-student seeds of the zero-distance case all reveal the missing clip."""
    bug = next(b for b in BUGS if b.id == "no_clip_before_sqrt")
    exercise = registry.load("knn")
    for student in ("ada", "bo", "chen", "dana", "eli", "fei", "gus", "hana"):
        result = grade_exercise(exercise, Source("knn", bug.source(), "knn.py"), sandbox,
                                Options(secret=b"course secret", student=student))
        case = next(c for c in result.cases if c.name == "hidden_duplicates")
        assert case.verdict is Verdict.NOT_FINITE, student
        assert case.message.endswith("not finite (NaN or Inf)")  # not "wrong values"
        assert case.mistake is not None and case.mistake.id == "no_clip_before_sqrt"


def _call(W: np.ndarray, reg: float) -> list[Call]:
    X, y = np.ones((4, W.shape[0])), np.zeros(4, dtype=np.int64)
    return [Call("svm_loss_vectorized", (W, X, y, reg), returns=("loss", "dW"))]


def test_structural_signatures() -> None:
    rng = np.random.default_rng(0)
    exp = rng.standard_normal((4, 6))
    calls = [Call("f", (rng.standard_normal((40, 3)),), single=True)]
    assert signature("d", exp.T.copy(), exp, calls).id == "transposed"  # type: ignore[union-attr]
    assert signature("d", -exp, exp, calls).id == "sign_flipped"  # type: ignore[union-attr]
    by_n = signature("dW", 40 * exp, exp, calls)
    assert by_n is not None and by_n.id == "scaled_by_n" and "N = 40" in by_n.title
    assert signature("dW", 3.5 * exp, exp, calls).id == "scaled"  # type: ignore[union-attr]
    assert signature("d", exp + 0.01 * rng.standard_normal(exp.shape), exp, calls) is None
    # The regulariser: dW = data + 2 reg W; missing it leaves the data part alone.
    W = rng.standard_normal((5, 3))
    data = rng.standard_normal((5, 3))
    missing = signature("dW", data, data + 2 * 0.3 * W, _call(W, 0.3))
    assert missing is not None and missing.id == "reg_scaled" and "misses" in missing.title
    # One number is a multiple of any other: only the usual slips count for a scalar loss.
    assert signature("loss", np.array(1.234), np.array(1.0), _call(W, 0.3)) is None


def test_nan_where_the_answer_is_zero() -> None:
    exp = np.array([[0.0, 1.5], [2.0, 0.0]])
    got = np.array([[np.nan, 1.5], [2.0, 0.0]])
    found = signature("dists", got, exp, [])
    assert found is not None and found.id == "no_clip_before_sqrt"
    assert signature("dists", np.full((2, 2), np.nan), exp, []) is None  # all NaN: an overflow
