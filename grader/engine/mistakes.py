"""Known mistakes: trusted runs of the reference and of its named variants.

``diagnose`` tells which named mistake a student's outputs reproduce by
running each variant (the reference with some functions replaced) on the
same calls, in the trusted parent. The calls before a variant's first replaced
function are the reference's own: they run once for all variants (``variant_runs``).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np

from grader.engine import registry
from grader.engine.compare import compare_array
from grader.engine.inputs import calls_digest
from grader.engine.suite import Call, Exercise, Mistake, Outputs, Ref
from grader.engine.trusted import run_trusted

__all__ = ["DIAGNOSIS_TOL", "diagnose", "run_trusted", "variant", "variant_outputs", "variant_runs"]

DIAGNOSIS_TOL = 1e-6
Failure = tuple[str, str]  # (exception type, message cut to 500 characters), as explain_exception compares
_VARIANT_MEMO: OrderedDict[str, list[tuple[Mistake, Outputs | Failure]]] = OrderedDict()
MEMO_SIZE = 256  # distinct inputs remembered: a class's public cases are the same for everyone


def variant(reference: ModuleType, mistake: Mistake) -> SimpleNamespace:
    """The reference with the mistake's functions in place of its own."""
    return SimpleNamespace(**{**vars(reference), **mistake.functions})


def variant_outputs(exercise: Exercise, calls: list[Call]) -> list[tuple[Mistake, Outputs]]:
    """Each known mistake's outputs on these calls (remembered by input, never modified)."""
    return [(m, run) for m, run in variant_runs(exercise, calls) if isinstance(run, dict)]


def variant_runs(exercise: Exercise, calls: list[Call]) -> list[tuple[Mistake, Outputs | Failure]]:
    """Each known mistake's outputs on these calls, or the exception it raised (remembered by input).

    A call of a variant that neither calls a replaced function nor uses the result of such a
    call is the reference's own: those calls run once, for all variants (a gradient check's
    probes of the forward, for a mistake in the backward).
    """
    ref = registry.reference(exercise.id)
    if ref is None:
        return []
    key = calls_digest(f"{exercise.id}|{[m.id for m in exercise.mistakes]}", calls)
    if key in _VARIANT_MEMO:
        _VARIANT_MEMO.move_to_end(key)
        return _VARIANT_MEMO[key]
    plans = [_shared(calls, set(m.functions)) for m in exercise.mistakes]
    shared: list[Any] = []  # the reference's raw results, call by call, as far as it got
    if any(any(plan) for plan in plans):
        with contextlib.suppress(Exception):  # a variant that reaches the failing call fails there
            run_trusted(ref, calls, record=shared)
    found: list[tuple[Mistake, Outputs | Failure]] = []
    for mistake, plan in zip(exercise.mistakes, plans, strict=True):
        replay = {i: shared[i] for i, same in enumerate(plan) if same and i < len(shared)}
        try:
            found.append((mistake, run_trusted(variant(ref, mistake), calls, replay=replay)))
        except Exception as exc:
            found.append((mistake, _failure(exc)))
    _VARIANT_MEMO[key] = found
    if len(_VARIANT_MEMO) > MEMO_SIZE:
        _VARIANT_MEMO.popitem(last=False)
    return found


def _shared(calls: list[Call], replaced: set[str]) -> list[bool]:
    """Per call: whether a variant replacing ``replaced`` makes it exactly as the reference does."""
    same: list[bool] = []
    for call in calls:
        same.append(call.func not in replaced and all(same[i] for i in _refs([call.args, call.kwargs])))
    return same


def _refs(value: Any) -> list[int]:
    """The calls whose results ``value`` takes (``Ref``), however deep."""
    if isinstance(value, Ref):
        return [value.call]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [i for v in value for i in _refs(v)]
    return []


def _failure(exc: Exception) -> Failure:
    return type(exc).__name__, str(exc)[:500]


def diagnose(exercise: Exercise, calls: list[Call], got: Outputs,
             expected: Outputs | None) -> Mistake | None:
    """The known mistake whose outputs the student's reproduce, if any."""
    ref = registry.reference(exercise.id)
    if ref is None or not exercise.mistakes:
        return None
    expected = expected if expected is not None else run_trusted(ref, calls)
    keys = [k for k in expected if k in got and not _is_probe(k, calls)]
    for mistake, theirs in variant_outputs(exercise, calls):
        if not all(k in theirs for k in keys):
            continue
        same = all(_same(got[k], theirs[k]) for k in keys)
        differs = any(not _same(theirs[k], expected[k]) for k in keys)
        if same and differs:
            return mistake
    return None


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal within the diagnosis tolerance, NaN and Inf included.

    An overflow mistake gives NaN, and the student who makes it gets the same NaN.
    """
    if a.shape != b.shape:
        return False
    fa, fb = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(fa, fb) or not np.array_equal(a[~fa], b[~fb], equal_nan=True):
        return False
    return compare_array("", a[fa], b[fb], DIAGNOSIS_TOL, False).passed


def _is_probe(key: str, calls: list[Call]) -> bool:
    return any(c.probe is not None and key.startswith(f"{c.label}.") for c in calls)


