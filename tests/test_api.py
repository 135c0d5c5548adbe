"""The public suite API: the example in grader.api's docstring is real and grades."""

from __future__ import annotations

import re
import types
from typing import Any

import numpy as np
import pytest

import grader.api as api
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.mistakes import diagnose, run_trusted
from grader.engine.suite import Call, Case, Exercise, Mistake, Outputs
from grader.models import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source

RELU = '''
import numpy as np

def relu_forward(x):
    out = np.maximum(0, x)
    return out, x

def relu_backward(dout, cache):
    return dout * (cache > 0)
'''
WRONG_GRAD = RELU.replace("dout * (cache > 0)", "dout * (cache >= 0) * 0.5")


def _example_blocks() -> list[str]:
    """The indented code blocks that follow '::' in the module docstring."""
    doc = api.__doc__ or ""
    blocks = re.findall(r"::\n\n((?:    .*\n|\n)+)", doc)
    return [re.sub(r"^    ", "", b, flags=re.M) for b in blocks]


def _module(text: str) -> types.ModuleType:
    mod = types.ModuleType("relu")
    exec(compile(text, "relu.py", "exec"), mod.__dict__)
    return mod


class FromModule:
    """Expectations from a reference module given directly (not installed)."""

    def __init__(self, module: types.ModuleType, exercise: Exercise) -> None:
        self.module, self.exercise = module, exercise

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        return run_trusted(self.module, calls)

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        return None


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    suite, instructor = _example_blocks()
    ns: dict[str, Any] = {}
    exec(suite, ns)
    leaky = "def _leaky(x):\n    return np.where(x > 0, x, 0.1 * x), x"
    inst = instructor.replace("def _leaky(x): ...", leaky)
    exec("import numpy as np\n" + inst, ns)
    return ns


def test_the_docstring_example_declares_a_typed_exercise(example: dict[str, Any]) -> None:
    ex = example["EXERCISE"].with_instructor(example["INSTRUCTOR"])
    assert isinstance(ex, api.Exercise) and ex.id == "relu"
    assert [c.name for c in ex.cases] == ["forward", "gradcheck", "hidden_big"]
    assert ex.points == 6 and ex.mistakes[0].id == "leaky"


def test_the_example_grades_a_right_and_a_wrong_submission(example: dict[str, Any]) -> None:
    ex = example["EXERCISE"]
    opts = Options(hidden=False, expectations=FromModule(_module(RELU), ex))
    with Sandbox() as box:
        right = grade_exercise(ex, Source("relu", RELU, "relu.py"), box, opts)
        wrong = grade_exercise(ex, Source("relu", WRONG_GRAD, "relu.py"), box, opts)
    assert right.passed, [c.message for c in right.cases]
    verdicts = {c.name: c.verdict for c in wrong.cases}
    assert verdicts == {"forward": Verdict.PASSED, "gradcheck": Verdict.GRADIENT_MISMATCH}


def test_the_example_mistake_is_named_by_its_variant(example: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ex = example["EXERCISE"].with_instructor(example["INSTRUCTOR"])
    ref = _module(RELU)
    monkeypatch.setattr(registry, "reference", lambda _id: ref)
    calls = ex.public[0].build(np.random.default_rng(0))
    leaky = run_trusted(types.SimpleNamespace(**{**vars(ref), **ex.mistakes[0].functions}), calls)
    assert diagnose(ex, calls, leaky, run_trusted(ref, calls)) == ex.mistakes[0]
