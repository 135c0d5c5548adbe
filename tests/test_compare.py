"""Comparison in the parent and the checks on what the child sends back."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

from grader.engine.compare import compare_array, rel_error
from grader.models import Verdict
from grader.sandbox.outcome import UnsafeOutput, load_untrusted


def test_rel_error_is_the_cs231n_metric() -> None:
    # CS231n: max(|x - y| / max(1e-8, |x| + |y|)), element-wise: 1 vs 3 -> 2/4
    assert rel_error(np.array([1.0]), np.array([3.0]))[0] == pytest.approx(0.5)
    assert rel_error(np.array([0.0]), np.array([0.0]))[0] == 0.0
    assert rel_error(np.array([1e-9]), np.array([0.0]))[0] == pytest.approx(0.1)


def test_compare_reports_kind_and_place() -> None:
    exp = np.arange(6.0).reshape(2, 3)
    assert compare_array("x", exp.copy(), exp, 1e-9).passed
    assert compare_array("x", exp.T, exp, 1e-9).verdict is Verdict.WRONG_SHAPE
    got = exp.copy()
    got[1, 2] = np.inf
    assert "Inf" in compare_array("x", got, exp, 1e-9).message
    got[1, 2] = 7.0
    j = compare_array("x", got, exp, 1e-9)
    assert j.verdict is Verdict.WRONG_VALUE and j.detail is not None
    assert j.detail.index == [1, 2] and j.detail.expected == 5.0 and j.detail.got == 7.0
    hidden = compare_array("x", got, exp, 1e-9, show=False)
    assert hidden.detail is None and "got" not in hidden.message and "(1, 2)" not in hidden.message
    ints = compare_array("y", np.array([1.0, 2.0]), np.array([1, 2]), 0)
    assert ints.verdict is Verdict.WRONG_DTYPE


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def test_untrusted_blobs_are_checked_before_loading() -> None:
    assert load_untrusted(_npy(np.arange(3.0))).tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(UnsafeOutput):
        load_untrusted(_npy(np.array([object()], dtype=object)))
    with pytest.raises(UnsafeOutput):
        load_untrusted(_npy(np.zeros(2, dtype=[("a", "f8")])))
    with pytest.raises(UnsafeOutput):
        load_untrusted(pickle.dumps([1, 2]))
    with pytest.raises(UnsafeOutput):
        load_untrusted(_npy(np.array(["a"])))
