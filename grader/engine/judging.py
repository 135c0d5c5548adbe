"""Judging one case: the verdict, the message and the named mistakes from the child's outcome.

``judge_case`` turns what the sandbox's child sent for a case, and the expected
outputs, into a ``CaseResult``: the check's verdict, a diagnosis of a failure
(the known mistake its outputs show, or their signature), and feedback bounded
and cleaned for the student (a fixed vocabulary on hidden cases).
"""

from __future__ import annotations

import hashlib
import signal
import time

import numpy as np

from grader.engine import feedback
from grader.engine.expectations import Expectations
from grader.engine.hints import mutation_note, numpy_hint
from grader.engine.information import output_bits
from grader.engine.naming import Named, explain_exception, explain_failure, unexplained
from grader.engine.suite import Call, Case, Exercise, Judgement, Outputs
from grader.records import CaseResult, Verdict
from grader.sandbox.limits import MEMORY_LIMIT
from grader.sandbox.outcome import ChildOutcome

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
    if out.status == "timeout":  # the timeout budget names the function; a bare runner does not
        return Judgement(Verdict.TIMEOUT, out.message or f"timed out after {case.timeout:g}s "
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
    if out.mutated and case.check.forbid_mutation:
        return Judgement(Verdict.WRONG_VALUE, f"{', '.join(out.mutated)}: changed in place; the caller's "
                         "array must come back unchanged (work on a copy)")
    return None


def _hidden_message(j: Judgement, out: ChildOutcome) -> str:
    text = feedback.hidden_message(j.verdict, j.compared, out.exc_type)
    hint = numpy_hint(out.exc_type, out.message) if j.verdict is Verdict.EXCEPTION else ""
    return "; ".join(filter(None, [text, hint]))


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


def judge_case(exercise: Exercise, case: Case, calls: list[Call], out: ChildOutcome,
           expected: Outputs | None, source_of: Expectations, seconds: float) -> CaseResult:
    """The result of one case from the child's outcome and the expected outputs.

    ``seconds`` spent on the case before judging (its share of the batch) count in its duration.
    """
    begun = time.perf_counter()
    public = not case.hidden
    judgement = outcome_judgement(out, case)
    named: list[Named] = []
    if judgement is None:
        if case.check.needs_expected and expected is None:
            judgement = Judgement(Verdict.MISSING_OUTPUT, "no expected values for this case")
        else:
            judgement = case.check.judge(out.outputs, expected, calls, public)
            if not judgement.passed:
                mistake = source_of.diagnose(exercise, case, calls, out.outputs, expected)
                named = explain_failure(exercise, calls, out.outputs, expected, mistake)
    elif judgement.verdict is Verdict.EXCEPTION:
        named = explain_exception(exercise, calls, out.exc_type, out.message)
    notes = [judgement.message, numpy_hint(out.exc_type, out.message), mutation_note(out.mutated),
             unexplained(named, out.outputs, expected, calls)]
    return CaseResult(
        name=case.name, description=case.description, visibility=case.visibility,
        points=case.points if judgement.passed else 0.0, max_points=case.points,
        verdict=judgement.verdict,
        message=("; ".join(feedback.clean(n) for n in notes if n) if public
                 else _hidden_message(judgement, out)),
        detail=judgement.detail if public else None,
        mistake=named[0].diagnosis(exercise.id) if named else None,
        also=[n.diagnosis(exercise.id) for n in named[1:]],
        stdout=feedback.clean(out.stdout, feedback.STDOUT_LIMIT, keep_end=True) if public else "",
        duration_ms=round((seconds + time.perf_counter() - begun) * 1000, 2),
        output_digest=output_digest(out.outputs),
        output_bits=output_bits(out.outputs),
    )
