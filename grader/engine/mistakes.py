"""Known mistakes: trusted runs of the reference and of its named variants.

``diagnose`` tells which named mistake a student's outputs reproduce by
running each variant (the reference with some functions replaced) on the
same calls, in the trusted parent.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from types import ModuleType, SimpleNamespace

import numpy as np

from grader.engine import registry
from grader.engine.compare import compare_array
from grader.engine.inputs import calls_digest
from grader.engine.suite import Call, Exercise, Mistake, Outputs
from grader.sandbox.execute import run_calls, to_arrays

DIAGNOSIS_TOL = 1e-6
_VARIANT_MEMO: OrderedDict[str, list[tuple[Mistake, Outputs]]] = OrderedDict()
MEMO_SIZE = 256  # distinct inputs remembered: a class's public cases are the same for everyone


def run_trusted(module: ModuleType | SimpleNamespace, calls: Sequence[Call]) -> Outputs:
    """Outputs of trusted code (reference, mistake variant), on copies of the inputs."""
    arrays, _ = to_arrays(run_calls(module, list(calls), copy_inputs=True))
    return arrays


def variant(reference: ModuleType, mistake: Mistake) -> SimpleNamespace:
    """The reference with the mistake's functions in place of its own."""
    return SimpleNamespace(**{**vars(reference), **mistake.functions})


def variant_outputs(exercise: Exercise, calls: list[Call]) -> list[tuple[Mistake, Outputs]]:
    """Each known mistake's outputs on these calls (remembered by input, never modified)."""
    ref = registry.reference(exercise.id)
    if ref is None:
        return []
    key = calls_digest(f"{exercise.id}|{[m.id for m in exercise.mistakes]}", calls)
    if key in _VARIANT_MEMO:
        _VARIANT_MEMO.move_to_end(key)
        return _VARIANT_MEMO[key]
    found: list[tuple[Mistake, Outputs]] = []
    for mistake in exercise.mistakes:
        try:
            found.append((mistake, run_trusted(variant(ref, mistake), calls)))
        except Exception:
            continue
    _VARIANT_MEMO[key] = found
    if len(_VARIANT_MEMO) > MEMO_SIZE:
        _VARIANT_MEMO.popitem(last=False)
    return found


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


