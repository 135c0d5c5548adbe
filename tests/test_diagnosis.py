"""Every known mistake, written as a real submission, is caught and named."""

from __future__ import annotations

import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.suite import Mistake
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import all_mistakes, mistake_source


@pytest.mark.parametrize(("exercise", "mistake"), all_mistakes(),
                         ids=[f"{e}-{m.id}" for e, m in all_mistakes()])
def test_mistake_is_named(sandbox: Sandbox, exercise: str, mistake: Mistake) -> None:
    source = Source(exercise, mistake_source(exercise, mistake), f"{exercise}.py")
    result = grade_exercise(registry.load(exercise), source, sandbox, Options())
    failed = [c for c in result.cases if not c.passed]
    assert failed, "the mistake must fail at least one case"
    named = {c.mistake.id for c in failed if c.mistake}
    assert mistake.id in named, [(c.name, c.verdict.value, c.message) for c in failed]
    for case in failed:
        if case.mistake:  # the hint is plain words a student can act on
            assert case.mistake.title and len(case.mistake.hint) > 15


def test_mistakes_have_unique_ids() -> None:
    for exercise in registry.available():
        ids = [m.id for m in registry.load(exercise).mistakes]
        assert len(ids) == len(set(ids)), exercise
