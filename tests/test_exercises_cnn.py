"""The sigmoid_graph, conv and max_pool suites are sound, graded through the real sandbox.

The reference passes every case, the committed stub fails every case as "not
implemented", every known mistake is caught and named, and submissions written
the way students write them get the verdict and the diagnosis they deserve.
The references' backward passes are checked against centred differences
computed here, over every element.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from grader.check.selftest import mistake_finding
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.variants import mistake_source
from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.reader import read_source
from grader.submission.source import Source
from solutions import conv, max_pool, sigmoid_graph
from tests.support.helpers import ROOT, with_functions

EXERCISES = ("sigmoid_graph", "conv", "max_pool")
MISTAKES = [(e, m) for e in EXERCISES for m in registry.load(e).mistakes]


def grade(exercise: str, text: str, sandbox: Sandbox) -> ExerciseResult:
    return grade_exercise(registry.load(exercise), Source(exercise, text, f"{exercise}.py"), sandbox,
                          Options())


def case(result: ExerciseResult, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.cases if c.name == name)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_passes_every_case(sandbox: Sandbox, exercise: str) -> None:
    result = grade_exercise(registry.load(exercise), read_source(ROOT / "solutions", exercise), sandbox)
    assert [c.name for c in result.cases if not c.passed] == []
    assert result.cases and sum(c.points for c in result.cases) == registry.load(exercise).points
    assert any(c.hidden for c in registry.load(exercise).cases)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_committed_stub_fails_every_case_as_not_implemented(sandbox: Sandbox, exercise: str) -> None:
    result = grade_exercise(registry.load(exercise), read_source(ROOT / "exercises", exercise), sandbox)
    assert {c.verdict for c in result.cases} == {Verdict.NOT_IMPLEMENTED}


@pytest.mark.parametrize(("exercise", "mistake"), MISTAKES, ids=[f"{e}-{m.id}" for e, m in MISTAKES])
def test_every_mistake_is_caught_and_named(exercise: str, mistake) -> None:  # type: ignore[no-untyped-def]
    finding = mistake_finding(registry.load(exercise), mistake)
    assert finding.ok, finding.detail


def test_issue_mistakes_are_all_known() -> None:
    # The known mistakes issue 3 names for these three exercises, at least.
    ids = {e: {m.id for m in registry.load(e).mistakes} for e in EXERCISES}
    assert {"reciprocal_sign", "bias_gradient_missing"} <= ids["sigmoid_graph"]
    assert {"flipped_kernel", "padding_missing", "padding_on_output", "bias_once_per_image",
            "db_not_summed_over_n"} <= ids["conv"]
    assert {"ties_every_maximum", "averaged_gradient", "overlap_overwritten"} <= ids["max_pool"]


# ------------------------------------------------------- submissions written like a student's

STAGED_SIGMOID = '''
import math

def sigmoid_graph_forward(w, x):
    z = sum(w[i] * x[i] for i in range(len(x))) + w[-1]
    e = np.exp(-z)
    f = 1.0 / (1.0 + e)
    return f, (w, x, e)

def sigmoid_graph_backward(df, cache):
    w, x, e = cache
    d_recip = df * ({sign}1.0 / (1.0 + e) ** 2)   # the 1/x gate
    d_exp = d_recip * e                           # the exp gate
    dz = -d_exp                                   # the *-1 gate
    dw = np.array([dz * xi for xi in x] + [dz])
    dx = np.array([dz * wi for wi in w[:-1]])
    return dw, dx
'''


def test_gate_by_gate_circuit_passes_but_overflows_at_large_z(sandbox: Sandbox) -> None:
    result = grade("sigmoid_graph", with_functions("sigmoid_graph", STAGED_SIGMOID.format(sign="-")),
                   sandbox)
    failed = [c for c in result.cases if not c.passed]
    # Right on every ordinary circuit; at z = -800, exp(800) = inf and inf * 0 gives NaN.
    assert [c.name for c in failed] == ["hidden_saturated"]
    assert failed[0].verdict is Verdict.NOT_FINITE


def test_gate_by_gate_circuit_without_the_minus_is_named(sandbox: Sandbox) -> None:
    result = grade("sigmoid_graph", with_functions("sigmoid_graph", STAGED_SIGMOID.format(sign="")),
                   sandbox)
    notes = case(result, "notes_circuit")
    assert notes.verdict is Verdict.WRONG_VALUE
    assert notes.mistake is not None and notes.mistake.id == "reciprocal_sign"
    assert "-0.53" in notes.mistake.hint


TRUE_CONVOLUTION = '''
def conv_forward_naive(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    F, C, HH, WW = w.shape
    Ho, Wo = (xp.shape[2] - HH) // s + 1, (xp.shape[3] - WW) // s + 1
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for n in range(x.shape[0]):
        for f in range(F):
            k = w[f, :, ::-1, ::-1]   # "convolution" flips the kernel
            for i in range(Ho):
                for j in range(Wo):
                    out[n, f, i, j] = np.sum(xp[n, :, i*s:i*s+HH, j*s:j*s+WW] * k) + b[f]
    return out, (x, w, b, conv_param)
'''


def test_true_convolution_is_named_flipped_kernel(sandbox: Sandbox) -> None:
    result = grade("conv", with_functions("conv", TRUE_CONVOLUTION), sandbox)
    notes = case(result, "notes_4x4")
    assert notes.verdict is Verdict.WRONG_VALUE
    assert notes.mistake is not None and notes.mistake.id == "flipped_kernel"
    # A gradient check first checks the forward it differentiates (issue 12): this one is wrong.
    check = case(result, "gradcheck")
    assert check.verdict is Verdict.WRONG_VALUE and "a gradient check needs a right forward" in check.message


def test_db_of_one_image_fails_the_gradient_check(sandbox: Sandbox) -> None:
    mistake = next(m for m in registry.load("conv").mistakes if m.id == "db_not_summed_over_n")
    result = grade("conv", mistake_source("conv", mistake), sandbox)
    gradcheck = case(result, "gradcheck")
    assert gradcheck.verdict is Verdict.GRADIENT_MISMATCH and gradcheck.message.startswith("db[")
    assert case(result, "notes_4x4").passed and case(result, "forward_pad1").passed


MASK_POOL_BACKWARD = '''
def max_pool_backward_naive(dout, cache):
    x, p = cache
    ph, pw, s = p["pool_height"], p["pool_width"], p["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            win = x[:, :, i*s:i*s+ph, j*s:j*s+pw]
            mask = win == win.max(axis=(2, 3), keepdims=True)
            dx[:, :, i*s:i*s+ph, j*s:j*s+pw] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
'''


def test_mask_backward_is_named_on_ties(sandbox: Sandbox) -> None:
    result = grade("max_pool", with_functions("max_pool", MASK_POOL_BACKWARD), sandbox)
    failed = {c.name: c for c in result.cases if not c.passed}
    assert set(failed) == {"ties_first_max", "hidden_ties_overlap"}  # right whenever maxima are unique
    assert all(c.mistake is not None and c.mistake.id == "ties_every_maximum" for c in failed.values())
    assert failed["ties_first_max"].detail is not None  # public: worst index, expected and got
    assert failed["hidden_ties_overlap"].detail is None  # hidden: no values shown


# ------------------------------------------------------- the references' gradients, numerically


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


@pytest.mark.parametrize(("stride", "pad"), [(1, 1), (2, 2), (2, 0)])
def test_conv_backward_matches_centred_differences(stride: int, pad: int) -> None:
    rng = np.random.default_rng(stride * 10 + pad)
    x, w, b = rng.standard_normal((2, 2, 5, 6)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    p = {"stride": stride, "pad": pad}
    out, cache = conv.conv_forward_naive(x, w, b, p)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv.conv_backward_naive(dout, cache)
    loss = {"x": lambda v: float(np.sum(conv.conv_forward_naive(v, w, b, p)[0] * dout)),
            "w": lambda v: float(np.sum(conv.conv_forward_naive(x, v, b, p)[0] * dout)),
            "b": lambda v: float(np.sum(conv.conv_forward_naive(x, w, v, p)[0] * dout))}
    for name, analytic, at in (("x", dx, x), ("w", dw, w), ("b", db, b)):
        np.testing.assert_allclose(analytic, numerical_gradient(loss[name], at), rtol=1e-6, atol=1e-8,
                                   err_msg=name)


@pytest.mark.parametrize(("ph", "pw", "stride"), [(2, 2, 2), (3, 3, 2), (2, 3, 1)])
def test_max_pool_backward_matches_centred_differences(ph: int, pw: int, stride: int) -> None:
    rng = np.random.default_rng(ph * 100 + pw * 10 + stride)
    x = rng.permutation(2 * 2 * 6 * 7).reshape(2, 2, 6, 7) * 0.01  # distinct values: no ties
    p = {"pool_height": ph, "pool_width": pw, "stride": stride}
    out, cache = max_pool.max_pool_forward_naive(x, p)
    dout = rng.standard_normal(out.shape)
    dx = max_pool.max_pool_backward_naive(dout, cache)
    numeric = numerical_gradient(lambda v: float(np.sum(max_pool.max_pool_forward_naive(v, p)[0] * dout)),
                                 x)
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-8)


def test_sigmoid_graph_backward_matches_centred_differences() -> None:
    rng = np.random.default_rng(5)
    w, x, df = rng.standard_normal(5), rng.standard_normal(4), -1.7
    _, cache = sigmoid_graph.sigmoid_graph_forward(w, x)
    dw, dx = sigmoid_graph.sigmoid_graph_backward(df, cache)
    np.testing.assert_allclose(
        dw, numerical_gradient(lambda v: df * float(sigmoid_graph.sigmoid_graph_forward(v, x)[0]), w),
        rtol=1e-7)
    np.testing.assert_allclose(
        dx, numerical_gradient(lambda v: df * float(sigmoid_graph.sigmoid_graph_forward(w, v)[0]), x),
        rtol=1e-7)
