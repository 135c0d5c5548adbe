"""The grader's own shortcuts on a class run (issue 16) give what the long way gives.

Mistake variants share the reference's calls that use no replaced function; the
expected-value cache stops hashing inputs that never repeat; a gradient check that
passes is judged in one go; the bits of distinct floats come from a memo; trusted calls
get quick deep copies.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from grader.engine import compare, mistakes, registry
from grader.engine.compare import GradCheck
from grader.engine.expectations import Cached, Reference
from grader.engine.information import array_bits
from grader.engine.seeds import case_seed
from grader.engine.suite import Call, Case, Exercise, Outputs
from grader.engine.trusted import _copied, run_trusted

STUDENTS = ("s0001", "s0002")


def _installed() -> None:
    if registry.reference("conv") is None:
        pytest.skip("the reference solutions are not installed")


def _cases(exercise: str) -> list[tuple[Exercise, Case, list[Call]]]:
    ex = registry.load(exercise)
    return [(ex, case, case.build(np.random.default_rng(case_seed(ex.id, case, b"secret", s, True))))
            for s in STUDENTS for case in ex.cases]


def _same_outputs(a: Outputs, b: Outputs) -> bool:
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and a[k].tobytes() == b[k].tobytes() for k in a)


@pytest.mark.parametrize("exercise", registry.available())
def test_shared_variant_runs_equal_each_variant_run_alone(exercise: str) -> None:
    _installed()
    for ex, case, calls in _cases(exercise):
        mistakes._VARIANT_MEMO.clear()
        shared = mistakes.variant_runs(ex, calls)
        ref = registry.reference(ex.id)
        assert [m.id for m, _ in shared] == [m.id for m in ex.mistakes]
        for (mistake, got), alone in zip(shared, ex.mistakes, strict=True):
            try:
                want: Any = run_trusted(mistakes.variant(ref, alone), calls)
            except Exception as exc:
                want = (type(exc).__name__, str(exc)[:500])
            if isinstance(want, dict):
                assert isinstance(got, dict) and _same_outputs(got, want), (case.name, mistake.id)
            else:
                assert got == want, (case.name, mistake.id)


def test_a_backward_mistake_does_not_rerun_the_forward_probes() -> None:
    _installed()
    ex = registry.load("conv")
    case = next(c for c in ex.cases if c.name == "gradcheck")
    calls = case.build(np.random.default_rng(case_seed(ex.id, case)))
    backward_only = [m for m in ex.mistakes if set(m.functions) == {"conv_backward_naive"}]
    assert backward_only
    plan = mistakes._shared(calls, set(backward_only[0].functions))
    # the forward, then the backward (on the forward's cache), then the probes of the forward
    assert plan[0] and not plan[1] and all(plan[2:])


class Counting:
    """An Expectations that counts how often it is asked."""

    def __init__(self) -> None:
        self.asked = 0

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        self.asked += 1
        return {"out": np.asarray(float(calls[0].args[0][0]))}

    def diagnose(self, *args: Any) -> None:
        return None


def test_the_cache_gives_up_on_inputs_that_never_repeat_and_keeps_those_that_do() -> None:
    ex = registry.load("softmax")
    varied, fixed = ex.cases[0], ex.cases[1]
    inner = Counting()
    cache = Cached(inner, give_up=3)
    for n in range(10):  # one student after another: varied draws new inputs, fixed repeats them
        assert cache.expected(ex, varied, [Call("f", (np.array([float(n)]),))]) == {"out": float(n)}
        assert cache.expected(ex, fixed, [Call("f", (np.array([7.0]),))]) == {"out": 7.0}
    assert inner.asked == 10 + 1
    assert len(cache._memo) == 3 + 1  # the varied case was hashed three times, then no more


def test_a_passing_gradient_check_is_judged_as_the_loop_judges_it() -> None:
    _installed()
    for exercise in ("lstm_cell", "conv", "softmax"):
        for ex, case, calls in _cases(exercise):
            checks = [c for c in getattr(case.check, "checks", (case.check,)) if isinstance(c, GradCheck)]
            if not checks:
                continue
            got = Reference().expected(ex, case, calls)
            assert got is not None
            gradients = compare.numerical_gradients(got, calls)
            assert compare._forwards_pass(got, got, calls, checks[0].forward_tol)
            assert compare._gradients_pass(got, gradients, checks[0].tol)
            grad, index, _ = gradients[0]
            wrong = dict(got)
            wrong[grad] = got[grad].copy()
            wrong[grad][index] += 1.0
            assert not compare._gradients_pass(wrong, gradients, checks[0].tol)
            slow = checks[0].judge(wrong, got, calls, True)  # the loop names the element
            assert slow.verdict.value == "gradient_mismatch" and f"{grad}{list(index)}" in slow.message
            nan = dict(got)
            key = next(c.key("f") for c in calls if c.probe is not None)
            nan[key] = np.full_like(got[key], np.nan)
            assert not compare._forwards_pass(nan, got, calls, checks[0].forward_tol)
            assert checks[0].judge(nan, got, calls, True).verdict.value == "not_finite"


def _unique_bits(a: np.ndarray) -> float:
    flat = np.asarray(a).ravel()
    if flat.size < 2:
        return 0.0
    _, counts = np.unique(flat, return_counts=True)
    p = counts / flat.size
    return float(flat.size * -np.sum(p * np.log2(p)))


@pytest.mark.parametrize("values", [
    np.random.default_rng(0).normal(size=(5, 10)), np.arange(128.0), np.arange(129.0),
    np.array([0.0, -0.0, 1.0]), np.array([np.nan, np.nan, 1.0]), np.array([np.inf, -np.inf]),
    np.float32([1, 2, 3]), np.array([1.0, 1.0, 2.0]), np.array([3, 1, 2]), np.array([True, False]),
])
def test_bits_of_distinct_values_equal_the_unique_formula(values: np.ndarray) -> None:
    assert array_bits(values) == _unique_bits(values)


def test_quick_copies_are_deep_copies() -> None:
    a = np.arange(12.0).reshape(3, 4).T  # Fortran order is kept, as ndarray.__deepcopy__ keeps it
    loop: list[Any] = [1]
    loop.append(loop)
    value = [a, {"w": a, "n": 2}, (a, 3), (1, "x"), np.float64(2.0), [a], loop]
    got, want = _copied(value, {}), copy.deepcopy(value)
    assert got[0] is not a and got[0].flags.f_contiguous and np.array_equal(got[0], a)
    assert got[1]["w"] is got[0] and got[2][0] is got[0] and got[5][0] is got[0]  # one copy per object
    assert got[3] is value[3] and want[3] is value[3]  # an immutable tuple is kept, as deepcopy keeps it
    assert got[6][1] is got[6] and got[6] is not loop
    got[0][0, 0] = 99.0
    assert a[0, 0] == 0.0


def test_trusted_calls_cannot_change_the_inputs() -> None:
    calls = [Call("f", (np.zeros(3),), returns=("out",), single=True)]

    def f(x: np.ndarray) -> np.ndarray:
        x += 1.0  # a variant that changes its input in place
        return x

    first = run_trusted(type("M", (), {"f": staticmethod(f)}), calls)
    assert np.array_equal(first["out"], np.ones(3)) and np.array_equal(calls[0].args[0], np.zeros(3))
