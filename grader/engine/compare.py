"""Comparing outputs in the trusted parent: shape, dtype, finiteness, rel_error.

Every function here returns a ``Judgement``; a wrong answer is never an
exception. ``rel_error`` is the CS231n metric, element-wise:
``max |a - b| / max(1e-8, |a| + |b|)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from grader.engine.suite import PASS, Call, Check, Judgement, Outputs
from grader.frozen import frozen
from grader.records import Detail, Verdict


def rel_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise relative error (CS231n), same shape as the inputs."""
    a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    err: np.ndarray = np.abs(a64 - b64) / np.maximum(1e-8, np.abs(a64) + np.abs(b64))
    return err


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _form_note(key: str, got: np.ndarray, expected: np.ndarray) -> str:
    """A note on a right value in another container (float labels, float32)."""
    if expected.dtype.kind in "biu" and got.dtype.kind not in "biu":
        return f"note: {key} holds integer values as {got.dtype}; labels are integers (np.int64)"
    if got.dtype.kind == "f" and got.dtype.itemsize < expected.dtype.itemsize:
        return f"note: {key} is {got.dtype}; float64 keeps full precision"
    return ""


def compare_array(key: str, got: np.ndarray, expected: np.ndarray, tol: float,
                  show: bool = True, atol: float = 0.0) -> Judgement:
    """Judge one output; ``show`` adds the worst index and values (public cases).

    Values are judged before form: a right value passes whatever its dtype (integer
    labels held as floats, float32 within its precision) with a note. An element
    passes when its ``rel_error`` is within ``tol`` or, as ``numpy.allclose`` does near
    zero, its absolute error is within ``atol``.
    """
    if got.shape != expected.shape:
        return Judgement(Verdict.WRONG_SHAPE,
                         f"{key}: expected shape {expected.shape}, got {got.shape}", compared=(key,))
    if got.dtype.kind == "f" and not np.isfinite(got).all():
        bad = np.argwhere(~np.isfinite(got))
        where = f" at index {tuple(int(i) for i in bad[0])}" if show and got.ndim else ""
        what = "NaN" if np.isnan(got).any() else "Inf"
        return Judgement(Verdict.NOT_FINITE,
                         f"{key}: {bad.shape[0]} value(s) are {what}{where}", compared=(key,))
    note = _form_note(key, got, expected)
    if got.size == 0:
        return Judgement(Verdict.PASSED, note, compared=(key,))
    if got.dtype.kind == "f" and got.dtype.itemsize < 8:  # float32 is judged at its own precision
        tol = max(tol, 8 * float(np.finfo(got.dtype).eps))
    err = rel_error(got, expected)
    if atol > 0:
        err = np.where(np.abs(np.asarray(got, np.float64) - np.asarray(expected, np.float64)) <= atol,
                       0.0, err)
    if err.max() <= tol:  # NaN fails here as below
        return Judgement(Verdict.PASSED, note, compared=(key,))
    worst = int(np.argmax(err))
    worst_err = float(err.flat[worst])
    if worst_err <= tol:
        return Judgement(Verdict.PASSED, note, compared=(key,))
    index = tuple(int(i) for i in np.unravel_index(worst, err.shape))
    detail = None
    message = f"{key}: rel_error {worst_err:.2e} > {tol:.0e}"
    if show:
        exp_v, got_v = float(expected.flat[worst]), float(got.flat[worst])
        detail = Detail(key=key, index=list(index), expected=exp_v, got=got_v,
                        rel_error=worst_err, mismatched=int(np.sum(err > tol)), size=err.size)
        at = f" at {index}" if index else ""
        message += f"{at}: expected {_fmt(exp_v)}, got {_fmt(got_v)}"
    return Judgement(Verdict.WRONG_VALUE, message, detail, compared=(key,))


def passed(notes: Sequence[str]) -> Judgement:
    """A pass, carrying the notes of the outputs that passed in another container."""
    text = "; ".join(dict.fromkeys(n for n in notes if n))
    return Judgement(Verdict.PASSED, text) if text else PASS


def missing(key: str) -> Judgement:
    """The judgement for an output the student did not return."""
    return Judgement(Verdict.MISSING_OUTPUT, f"{key}: no value was returned", compared=(key,))


@frozen
class MatchReference(Check):
    """Every output the reference produced must match within ``tol``."""

    tol: float = 1e-7
    keys: tuple[str, ...] = ()  # empty: all of the reference's outputs
    atol: float = 0.0  # absolute tolerance, for outputs that can be exactly 0

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """Each compared output against the expected one; the first that differs fails the case."""
        assert expected is not None
        notes = []
        for key in self.keys or tuple(expected):
            if key not in got:
                return missing(key)
            verdict = compare_array(key, got[key], expected[key], self.tol, public, self.atol)
            if not verdict.passed:
                return verdict
            notes.append(verdict.message)
        return passed(notes)


@frozen
class Agree(Check):
    """Two of the student's own outputs must agree (naive vs vectorized)."""

    pairs: tuple[tuple[str, str], ...]
    tol: float = 1e-7
    atol: float = 0.0
    needs_expected = False

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """Each pair of the student's own outputs against each other; the first that differs fails."""
        for a, b in self.pairs:
            if a not in got or b not in got:
                return missing(a if a not in got else b)
            verdict = compare_array(f"{b} vs {a}", got[b], got[a], self.tol, public, self.atol)
            if not verdict.passed:
                return Judgement(Verdict.DISAGREE, verdict.message, verdict.detail, (a, b))
        return PASS


@frozen
class GradCheck(Check):
    """The student's analytic gradients against centred differences.

    The differences are of the student's own forward, from the probe calls of
    ``grader.engine.gradcheck``. A gradient check alone is fooled by a forward
    that is zero, constant or answers the probes differently from graded calls:
    where the expected outputs are known, the forward at every probe point must
    also match the reference within ``forward_tol`` (tight enough that the
    centred differences are the reference's to ``forward_tol / h``).
    """

    tol: float = 1e-5
    forward_tol: float = 1e-9

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """Each probed gradient element against its centred difference; the first that differs fails."""
        gradients = numerical_gradients(got, calls)
        if (expected is None or _forwards_pass(got, expected, calls, self.forward_tol)) \
                and _gradients_pass(got, gradients, self.tol):
            return PASS  # at once: what the loops below find, when nothing fails
        if expected is not None:
            forward = self._forward(got, expected, calls, public)
            if not forward.passed:
                return forward
        for grad, index, numeric in gradients:
            if grad not in got:
                return missing(grad)
            if numeric is None:
                return missing(f"{grad} probe")
            analytic = got[grad]
            if analytic.ndim != len(index) or any(  # a 0-d answer cannot be indexed either
                    i >= n for i, n in zip(index, analytic.shape, strict=False)):
                return Judgement(Verdict.WRONG_SHAPE,
                                 f"{grad}: shape {analytic.shape} cannot be the gradient",
                                 compared=(grad,))
            verdict = compare_array(f"{grad}{list(index)} vs numerical gradient",
                                    np.asarray(analytic[index]), np.asarray(numeric),
                                    self.tol, public)
            if not verdict.passed:
                return Judgement(Verdict.GRADIENT_MISMATCH, verdict.message, verdict.detail,
                                 (grad,))
        return PASS


    def _forward(self, got: Outputs, expected: Outputs, calls: Sequence[Call], public: bool) -> Judgement:
        for call in calls:
            key = call.key("f")
            if call.probe is None or key not in expected:
                continue
            if key not in got:
                return missing(f"{call.func} (the forward, at a gradient-check point)")
            verdict = compare_array(f"{call.func} (the forward, at a gradient-check point)", got[key],
                                    expected[key], self.forward_tol, public)
            if not verdict.passed:
                return Judgement(verdict.verdict, verdict.message + "; a gradient check needs a "
                                 "right forward", verdict.detail, (call.func,))
        return PASS


def _forwards_pass(got: Outputs, expected: Outputs, calls: Sequence[Call], tol: float) -> bool:
    """True only when ``GradCheck._forward`` passes, judged in one go.

    Every probed forward must be float64, finite and within ``tol`` of the expected one;
    False lets the loop say what failed.
    """
    keys = [k for k in (c.key("f") for c in calls if c.probe is not None) if k in expected]
    if not keys:
        return True
    if any(k not in got or got[k].dtype != np.float64 or got[k].shape != expected[k].shape for k in keys):
        return False
    a = np.concatenate([got[k].ravel() for k in keys])
    b = np.concatenate([np.asarray(expected[k], np.float64).ravel() for k in keys])
    return a.size == 0 or bool(np.isfinite(a).all() and rel_error(a, b).max() <= tol)


def _gradients_pass(got: Outputs, gradients: list[tuple[str, tuple[int, ...], float | None]],
                    tol: float) -> bool:
    """True only when every probed gradient element passes against its centred difference.

    As ``compare_array`` would judge it, with Python floats (the same IEEE doubles).
    """
    for grad, index, numeric in gradients:
        analytic = got.get(grad)
        if analytic is None or numeric is None or analytic.ndim != len(index) or any(
                i >= n for i, n in zip(index, analytic.shape, strict=False)):
            return False
        limit = tol
        if analytic.dtype.kind == "f" and analytic.dtype.itemsize < 8:
            limit = max(tol, 8 * float(np.finfo(analytic.dtype).eps))
        a = float(analytic[index])
        if not abs(a - numeric) / max(1e-8, abs(a) + abs(numeric)) <= limit:  # NaN fails too
            return False
    return True


def numerical_gradients(got: Outputs, calls: Sequence[Call]
                        ) -> list[tuple[str, tuple[int, ...], float | None]]:
    """(gradient key, index, centred difference) for every probe pair."""
    values: dict[tuple[str, tuple[int, ...]], dict[int, float | None]] = defaultdict(dict)
    steps: dict[tuple[str, tuple[int, ...]], float] = {}
    for call in calls:
        probe = call.probe
        if probe is None:
            continue
        out = got.get(call.key("f"))
        f: float | None = None
        if out is not None and out.dtype.kind == "f":
            if probe.weight is None and out.size == 1:
                f = float(out.reshape(()))
            elif probe.weight is not None and out.shape == probe.weight.shape:
                f = float(np.sum(out * probe.weight))
        values[(probe.grad, probe.index)][probe.sign] = f
        steps[(probe.grad, probe.index)] = probe.h
    result: list[tuple[str, tuple[int, ...], float | None]] = []
    for (grad, index), pair in values.items():
        plus, minus = pair.get(1), pair.get(-1)
        numeric = None if plus is None or minus is None else (plus - minus) / (2 * steps[(grad, index)])
        result.append((grad, index, numeric))
    return result


@frozen
class All(Check):
    """Several checks; the first failure is the verdict."""

    checks: tuple[Check, ...]

    @property
    def needs_expected(self) -> bool:  # type: ignore[override]
        """Whether any of the checks needs the expected outputs."""
        return any(c.needs_expected for c in self.checks)

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """Each check in order; the first that fails decides."""
        notes = []
        for check in self.checks:
            verdict = check.judge(got, expected, calls, public)
            if not verdict.passed:
                return verdict
            notes.append(verdict.message)
        return passed(notes)
