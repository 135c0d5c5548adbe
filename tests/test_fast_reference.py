"""Vectorised reference functions (``Instructor.fast``) against the naive reference they stand in for.

The naive reference in ``solutions/`` is what stubs, mistakes and mutants are made of; the
expected outputs come from the instructor's vectorised equivalents where declared. They must
agree on every case, public and hidden, for any student's inputs: the naive loops are the
independent reference here (the course's own definition of the layer).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.engine import registry
from grader.engine.expectations import Reference
from grader.engine.mistakes import run_trusted
from grader.engine.seeds import case_seed

FAST = [e for e in registry.available() if registry.load(e).fast]


def test_conv_declares_its_vectorised_reference() -> None:
    if registry.reference("conv") is None:
        pytest.skip("the reference solutions are not installed")
    assert {f.__name__ for f in registry.load("conv").fast} == {"conv_forward_naive", "conv_backward_naive"}


@pytest.mark.parametrize("exercise", FAST)
def test_vectorised_reference_agrees_with_the_naive_one(exercise: str) -> None:
    ex, naive = registry.load(exercise), registry.reference(exercise)
    assert naive is not None
    for student in ("s0001", "s0002", "s0003"):
        for case in ex.cases:
            calls = case.build(np.random.default_rng(case_seed(ex.id, case, b"course-secret", student)))
            slow = run_trusted(naive, calls)
            fast = Reference().expected(ex, case, calls)
            assert fast is not None and fast.keys() == slow.keys(), case.name
            for key, want in slow.items():
                got = fast[key]
                assert got.dtype == want.dtype and got.shape == want.shape, (case.name, key)
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=f"{case.name} {key}")


EXACT = [e for e in FAST if all(f.__module__ == "solutions.instructor.exact" for f in registry.load(e).fast)]


def test_softmax_lstm_and_pooling_have_exact_stand_ins() -> None:
    if registry.reference("softmax") is None:
        pytest.skip("the reference solutions are not installed")
    assert set(EXACT) == {"softmax", "lstm_cell", "max_pool"}


@pytest.mark.parametrize("exercise", EXACT)
def test_exact_stand_ins_equal_the_naive_reference_bit_for_bit(exercise: str) -> None:
    # Their outputs reach results byte for byte (a failing case's expected value in full):
    # the stand-ins must not change a single bit, signed zeros included.
    ex, naive = registry.load(exercise), registry.reference(exercise)
    assert naive is not None
    for student in [f"s{n:04d}" for n in range(20)]:
        for case in ex.cases:
            calls = case.build(np.random.default_rng(case_seed(ex.id, case, b"course-secret", student, True)))
            slow = run_trusted(naive, calls)
            fast = Reference().expected(ex, case, calls)
            assert fast is not None and fast.keys() == slow.keys(), case.name
            for key, want in slow.items():
                got = fast[key]
                assert (got.dtype, got.shape) == (want.dtype, want.shape), (case.name, key)
                assert got.tobytes() == want.tobytes(), (case.name, key, student)
