"""Comparison in the parent and the checks on what the child sends back."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

from grader.engine.compare import compare_array, rel_error
from grader.models import Verdict
from grader.sandbox.execute import to_arrays
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



def test_a_right_value_passes_whatever_its_container() -> None:
    # Issue 13: CS231n's starter code allocates y_pred = np.zeros(num_test), float64 labels.
    labels = compare_array("y", np.array([1.0, 2.0]), np.array([1, 2]), 0)
    assert labels.passed and "float64" in labels.message  # a note, not a failure
    # float32 distances: right to float32's precision (eps 1.2e-7 > the 1e-7 tolerance)
    exp = np.array([0.1, 1.0 / 3.0, 2.0 / 3.0, 12.345678])
    single = compare_array("d", exp.astype(np.float32), exp, 1e-7)
    assert single.passed and "float32" in single.message
    assert not compare_array("d", (exp * 1.001).astype(np.float32), exp, 1e-7).passed


def test_values_are_judged_before_form() -> None:
    # A wrong label held as a float is a wrong value, reported where it is, not "expected integers".
    j = compare_array("y", np.array([1.0, 3.0]), np.array([1, 2]), 0)
    assert j.verdict is Verdict.WRONG_VALUE and j.detail is not None and j.detail.index == [1]


def test_absolute_tolerance_near_zero() -> None:
    # Issue 13: an exact-zero distance computed as 4.2e-8 has rel_error 1 (the 1e-8 floor);
    # numpy.allclose accepts it through its absolute tolerance, and so does atol here.
    exp, got = np.array([0.0, 2.5]), np.array([4.2e-8, 2.5])
    assert not compare_array("d", got, exp, 1e-6).passed
    assert compare_array("d", got, exp, 1e-6, atol=1e-5).passed
    assert np.allclose(got, exp, rtol=1e-6, atol=1e-5)  # the same rule, as numpy states it
    assert not compare_array("d", np.array([1e-3, 2.5]), exp, 1e-6, atol=1e-5).passed


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix itself warns
def test_a_matrix_comes_back_as_a_plain_array() -> None:
    arrays, invalid = to_arrays({"dists": np.matrix([[1.0, 2.0], [3.0, 4.0]])})
    assert not invalid and type(arrays["dists"]) is np.ndarray and arrays["dists"].shape == (2, 2)


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
