"""Grading one exercise: build inputs, get expected values, run, judge, diagnose."""

from __future__ import annotations

import hashlib
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace

import numpy as np

from grader import registry
from grader.compare import Judgement, compare_array
from grader.models import CaseResult, ExerciseResult, Verdict
from grader.sandbox.execute import run_calls, to_arrays
from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.runner import MEMORY_LIMIT, Sandbox
from grader.seeds import case_seed
from grader.submission import Source, SourceProblem
from grader.suite import Call, Case, Exercise, Mistake, Outputs
from grader.texts import diagnosis

ExpectedFn = Callable[[Exercise, Case, list[Call]], "Outputs | None"]
DiagnoseFn = Callable[[Exercise, Case, list[Call], Outputs, "Outputs | None"], "Mistake | None"]
DIAGNOSIS_TOL = 1e-6


def run_trusted(module: ModuleType | SimpleNamespace, calls: Sequence[Call]) -> Outputs:
    """Outputs of trusted code (reference, mistake variant), on copies of the inputs."""
    arrays, _ = to_arrays(run_calls(module, list(calls), copy_inputs=True))
    return arrays


def from_reference(exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
    ref = registry.reference(exercise.id)
    return None if ref is None else run_trusted(ref, calls)


@dataclass
class Options:
    """How to grade: with hidden cases, for which student, from where expected values come."""

    hidden: bool = True
    secret: bytes | None = None
    student: str | None = None
    expected: ExpectedFn = from_reference
    diagnose: DiagnoseFn | None = None  # None: run the mistake variants (instructor data)


SIGNAL_MEANING = {"SIGSEGV": "segmentation fault", "SIGABRT": "aborted", "SIGBUS": "bus error",
                  "SIGFPE": "arithmetic error", "SIGILL": "illegal instruction", "SIGKILL": "killed",
                  "SIGXFSZ": "file size limit", "SIGTERM": "terminated", "SIGSYS": "bad system call"}


def _crash_message(out: ChildOutcome) -> Judgement:
    code = out.exit_code
    if out.message:
        return Judgement(Verdict.CRASH, out.message)
    if code < 0 and -code in {s.value for s in signal.Signals}:
        name = signal.Signals(-code).name
        if name == "SIGXCPU":
            return Judgement(Verdict.TIMEOUT, f"used up its CPU time limit ({out.cpu:g}s of CPU)")
        return Judgement(Verdict.CRASH, f"crashed: killed by {name} ({SIGNAL_MEANING.get(name, 'a signal')})")
    return Judgement(Verdict.CRASH, f"exited before answering (exit code {code}): "
                     "os._exit, or a crash in C code?")


def outcome_judgement(out: ChildOutcome, case: Case) -> Judgement | None:
    """The verdict when the child did not return usable outputs."""
    if out.status == "timeout":
        return Judgement(Verdict.TIMEOUT, f"timed out after {case.timeout:g}s "
                         "(an infinite loop, or far too slow?)")
    if out.status == "crash":
        return _crash_message(out)
    if out.status == "syntax_error":
        return Judgement(Verdict.SYNTAX_ERROR, f"SyntaxError at {out.where}: {out.message}")
    if out.status in ("invalid", "bad_return"):
        return Judgement(Verdict.INVALID_OUTPUT, out.message)
    if out.status == "exception":
        where = f" at {out.where}" if out.where else ""
        if out.exc_type == "MemoryError":
            return Judgement(Verdict.MEMORY_LIMIT, f"ran out of memory: the limit is "
                             f"{MEMORY_LIMIT / 1024**3:g} GB (MemoryError{where})")
        if out.exc_type == "NotImplementedError":
            return Judgement(Verdict.NOT_IMPLEMENTED, "still raises NotImplementedError")
        if out.exc_type == "AttributeError" and out.message.startswith("function '") \
                and out.message.endswith("is not defined"):
            return Judgement(Verdict.MISSING_FUNCTION, out.message)
        return Judgement(Verdict.EXCEPTION, f"{out.exc_type}{where}: {out.message}")
    if out.invalid:
        key, kind = next(iter(out.invalid.items()))
        return Judgement(Verdict.INVALID_OUTPUT, f"{key}: returned {kind}, expected a numpy array")
    return None


def _mutation_note(out: ChildOutcome) -> str:
    if not out.mutated:
        return ""
    return (f"note: changed its input {', '.join(out.mutated)} in place; "
            "work on a copy (the reference got pristine inputs)")


def _hidden_message(j: Judgement, out: ChildOutcome) -> str:
    if j.verdict is Verdict.EXCEPTION:
        return out.exc_type
    if j.verdict in (Verdict.WRONG_VALUE, Verdict.GRADIENT_MISMATCH, Verdict.DISAGREE, Verdict.NOT_FINITE):
        return j.message.split(":")[0] + ": wrong values"
    return j.message


def diagnose(exercise: Exercise, calls: list[Call], got: Outputs,
             expected: Outputs | None) -> Mistake | None:
    """The known mistake whose outputs the student's reproduce, if any."""
    ref = registry.reference(exercise.id)
    if ref is None or not exercise.mistakes:
        return None
    expected = expected if expected is not None else run_trusted(ref, calls)
    keys = [k for k in expected if k in got and not _is_probe(k, calls)]
    for mistake in exercise.mistakes:
        variant = SimpleNamespace(**{**vars(ref), **mistake.functions})
        try:
            theirs = run_trusted(variant, calls)
        except Exception:
            continue
        if not all(k in theirs for k in keys):
            continue
        same = all(_same(got[k], theirs[k]) for k in keys)
        differs = any(not _same(theirs[k], expected[k]) for k in keys)
        if same and differs:
            return mistake
    return None


def output_digest(outputs: Outputs) -> str:
    """A short hash of a case's outputs (names, dtypes, shapes and bytes)."""
    if not outputs:
        return ""
    h = hashlib.sha256()
    for key in sorted(outputs):
        arr = np.ascontiguousarray(outputs[key])
        h.update(f"{key}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(arr.tobytes())
    return h.hexdigest()[:16]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal within the diagnosis tolerance, NaN and Inf included (an overflow
    mistake gives NaN, and the student who makes it gets the same NaN)."""
    if a.shape != b.shape:
        return False
    fa, fb = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(fa, fb) or not np.array_equal(a[~fa], b[~fb], equal_nan=True):
        return False
    return compare_array("", a[fa], b[fb], DIAGNOSIS_TOL, False).passed


def _is_probe(key: str, calls: list[Call]) -> bool:
    return any(c.probe is not None and key.startswith(f"{c.label}.") for c in calls)


def grade_case(exercise: Exercise, case: Case, source: Source, sandbox: Sandbox,
               opts: Options) -> CaseResult:
    start = time.perf_counter()
    rng = np.random.default_rng(case_seed(exercise.id, case, opts.secret, opts.student))
    calls = case.build(rng)
    expected = opts.expected(exercise, case, calls) if case.check.needs_expected else None
    out = sandbox.run(source.text, source.filename, exercise.id, calls, case.timeout)
    public = not case.hidden
    judgement = outcome_judgement(out, case)
    mistake = None
    if judgement is None:
        if case.check.needs_expected and expected is None:
            judgement = Judgement(Verdict.MISSING_OUTPUT, "no expected values for this case")
        else:
            judgement = case.check.judge(out.outputs, expected, calls, public)
            if not judgement.passed:
                mistake = (opts.diagnose(exercise, case, calls, out.outputs, expected) if opts.diagnose
                           else diagnose(exercise, calls, out.outputs, expected))
    return CaseResult(
        name=case.name, description=case.description, visibility=case.visibility,
        points=case.points if judgement.passed else 0.0, max_points=case.points,
        verdict=judgement.verdict,
        message="; ".join(filter(None, [judgement.message, _mutation_note(out)])) if public
        else _hidden_message(judgement, out),
        detail=judgement.detail if public else None,
        mistake=diagnosis(exercise.id, mistake) if mistake else None,
        stdout=out.stdout[-2000:] if public else "",
        duration_ms=round((time.perf_counter() - start) * 1000, 2),
        output_digest=output_digest(out.outputs),
    )


def grade_exercise(exercise: Exercise, source: Source | SourceProblem, sandbox: Sandbox,
                   opts: Options | None = None) -> ExerciseResult:
    opts = opts or Options()
    cases = exercise.cases if opts.hidden else exercise.public
    if isinstance(source, SourceProblem):
        results = [CaseResult(name=c.name, description=c.description, visibility=c.visibility,
                              points=0.0, max_points=c.points, verdict=source.verdict,
                              message=source.message) for c in cases]
        return ExerciseResult(exercise=exercise.id, title=exercise.title, submission="",
                              cases=results, isolated=sandbox.isolated)
    results = [grade_case(exercise, c, source, sandbox, opts) for c in cases]
    return ExerciseResult(exercise=exercise.id, title=exercise.title, submission=source.filename,
                          submission_sha256=source.sha256,
                          cases=results, isolated=sandbox.isolated)
