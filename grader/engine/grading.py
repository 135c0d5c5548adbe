"""Grading one exercise: build inputs, get expected values, run, judge, diagnose.

The engine's entry point is ``grade_exercise``: for each case it draws the
inputs (``grader.engine.seeds``), asks the ``Expectations`` for the expected
outputs, runs the submission through a ``Runner`` (the sandbox), judges the
outputs with the case's ``Check`` and, on a failure, asks the expectations
which known mistake the outputs show.
"""

from __future__ import annotations

import hashlib
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from grader.engine import feedback, registry
from grader.engine.expectations import Expectations, Reference
from grader.engine.hints import mutation_note, numpy_hint, numpy_version
from grader.engine.information import output_bits
from grader.engine.naming import Named, explain_exception, explain_failure, unexplained
from grader.engine.seeds import case_seed
from grader.engine.suite import Call, Case, Exercise, Judgement, Outputs
from grader.records import CaseResult, ExerciseResult, Verdict
from grader.sandbox.budget import Runner, TimeoutBudget
from grader.sandbox.limits import MEMORY_LIMIT
from grader.sandbox.outcome import ChildOutcome
from grader.submission.source import Source, SourceProblem

if TYPE_CHECKING:
    from grader import models


@dataclass
class Options:
    """How to grade: with hidden cases, for which student, from where expected values come.

    ``expectations`` None means the installed reference (``Reference``). ``vary_public``
    (grading for credit) draws public cases per student too, when there is a secret.
    """

    hidden: bool = True
    secret: bytes | None = None
    student: str | None = None
    expectations: Expectations | None = None
    vary_public: bool = False


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


def grade_case(exercise: Exercise, case: Case, source: Source, sandbox: Runner,
               opts: Options) -> CaseResult:
    """Grade one case of ``source`` in ``sandbox`` (in a child of its own).

    Always a result, never an exception for anything the submission does.
    """
    return _grade_cases(exercise, [case], source, sandbox, opts)[0]


def _grade_cases(exercise: Exercise, cases: Sequence[Case], source: Source, runner: Runner,
                 opts: Options) -> list[CaseResult]:
    """Grade ``cases`` of ``source``: one child runs them in order while the expected values are computed."""
    source_of = opts.expectations or Reference()
    start = time.perf_counter()
    calls = [c.build(np.random.default_rng(case_seed(exercise.id, c, opts.secret, opts.student,
                                                     opts.vary_public))) for c in cases]
    reference: list[Outputs | Exception | None] = []

    def compute_expected() -> None:  # while the child runs: never raises into the runner
        for case, case_calls in zip(cases, calls, strict=True):
            try:
                reference.append(source_of.expected(exercise, case, case_calls)
                                 if case.check.needs_expected else None)
            except Exception as exc:
                reference.append(exc)

    batch = TimeoutBudget(runner).run_all if not isinstance(runner, TimeoutBudget) else runner.run_all
    outcomes = batch(source.text, source.filename, exercise.id,
                     [(c, case.timeout) for case, c in zip(cases, calls, strict=True)], compute_expected)
    if not reference:  # the runner answered without running the child's cases meanwhile
        compute_expected()
    shared = (time.perf_counter() - start) / max(len(cases), 1)  # drawing and the references
    results = []
    for case, case_calls, out, expected in zip(cases, calls, outcomes, reference, strict=True):
        if isinstance(expected, Exception):
            raise expected  # e.g. no reference and no fixtures: the grader's problem, not the student's
        results.append(_judge(exercise, case, case_calls, out, expected, source_of, shared + out.wall))
    return results


def _judge(exercise: Exercise, case: Case, calls: list[Call], out: ChildOutcome,
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


def grade_exercise(exercise: Exercise, source: Source | SourceProblem, sandbox: Runner,
                   opts: Options | None = None) -> models.ExerciseResult:
    """Grade every case of one exercise, as the validated model (see ``exercise_record``)."""
    from grader import models  # pydantic: not on the ``dlgrade check`` path

    return models.ExerciseResult.of(exercise_record(exercise, source, sandbox, opts))


def exercise_record(exercise: Exercise, source: Source | SourceProblem, sandbox: Runner,
                    opts: Options | None = None) -> ExerciseResult:
    """Grade every case of one exercise (public only unless ``opts.hidden``), as a plain record.

    A function that times out is not called again in later cases of this exercise.
    """
    opts = opts or Options()
    cases = exercise.cases if opts.hidden else exercise.public
    if isinstance(source, SourceProblem):
        results = [CaseResult(name=c.name, description=c.description, visibility=c.visibility,
                              points=0.0, max_points=c.points, verdict=source.verdict,
                              message=feedback.clean(source.message)) for c in cases]
        return ExerciseResult(exercise=exercise.id, title=exercise.title, submission="",
                              cases=results, isolated=sandbox.isolated)
    results = _grade_cases(exercise, cases, source, sandbox, opts)
    return ExerciseResult(exercise=exercise.id, title=exercise.title, submission=source.filename,
                          submission_sha256=source.sha256, numpy_version=numpy_version(sandbox),
                          cases=results, isolated=sandbox.isolated)


def submission_records(ids: Sequence[str], read: Callable[[str], Source | SourceProblem], sandbox: Runner,
                       opts: Options | None = None) -> list[ExerciseResult]:
    """As ``grade_submission``, as plain records (the ``dlgrade check`` path: no pydantic)."""
    return [exercise_record(registry.load(e), read(e), sandbox, opts) for e in ids]


def grade_submission(ids: Sequence[str], read: Callable[[str], Source | SourceProblem], sandbox: Runner,
                     opts: Options | None = None) -> list[models.ExerciseResult]:
    """Grade the exercises ``ids`` of one submission, reading each one's source with ``read``."""
    from grader import models  # pydantic: not on the ``dlgrade check`` path

    return [models.ExerciseResult.of(r) for r in submission_records(ids, read, sandbox, opts)]
