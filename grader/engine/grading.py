"""Grading a submission: build inputs, get expected values, run, judge, diagnose.

The engine's entry points are ``grade_exercise`` and ``grade_submission``: for
each case they draw the inputs (``grader.engine.seeds``), ask the
``Expectations`` for the expected outputs, run the submission through a
``Runner`` (the sandbox: one child per exercise), and judge the outputs with
``grader.engine.judging``, which on a failure asks the expectations which known
mistake the outputs show.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from grader.engine import feedback, registry
from grader.engine.expectations import Expectations, Reference
from grader.engine.hints import numpy_version
from grader.engine.judging import judge_case
from grader.engine.seeds import case_seed
from grader.engine.suite import Case, Exercise, Outputs
from grader.records import CaseResult, ExerciseResult
from grader.sandbox.budget import Runner, TimeoutBudget
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


def grade_case(exercise: Exercise, case: Case, source: Source, sandbox: Runner,
               opts: Options) -> CaseResult:
    """Grade one case of ``source`` in ``sandbox`` (in a child of its own).

    Always a result, never an exception for anything the submission does.
    """
    return _grade_cases(exercise, [case], source, sandbox, opts)[0]


def _grade_cases(exercise: Exercise, cases: Sequence[Case], source: Source, runner: Runner,
                 opts: Options) -> list[CaseResult]:
    """Grade ``cases`` of ``source``: one child runs them in order while the expected values are computed."""
    return _Batch(exercise, cases, source, opts).run(runner).judge()


class _Batch:
    """One exercise's cases of one submission: drawn, then run in one child, then judged."""

    def __init__(self, exercise: Exercise, cases: Sequence[Case], source: Source, opts: Options) -> None:
        self.exercise, self.cases, self.source = exercise, cases, source
        self.source_of = opts.expectations or Reference()
        self.start = time.perf_counter()
        self.calls = [c.build(np.random.default_rng(case_seed(exercise.id, c, opts.secret, opts.student,
                                                              opts.vary_public))) for c in cases]
        self.reference: list[Outputs | Exception | None] = []
        self.outcomes: list[ChildOutcome] = []

    def _expected(self) -> None:  # while the child runs: never raises into the runner
        for case, calls in zip(self.cases, self.calls, strict=True):
            try:
                self.reference.append(self.source_of.expected(self.exercise, case, calls)
                                      if case.check.needs_expected else None)
            except Exception as exc:
                self.reference.append(exc)

    def run(self, runner: Runner, also: Callable[[], object] | None = None) -> _Batch:
        """Run the cases; the expected values, and ``also()``, are worked out while the child runs.

        ``also`` may not have run when this returns (a runner need not call ``meanwhile``).
        """
        def meanwhile() -> None:
            self._expected()
            if also is not None:
                also()

        cases = [(calls, case.timeout) for case, calls in zip(self.cases, self.calls, strict=True)]
        self.outcomes = TimeoutBudget(runner).run_all(self.source.text, self.source.filename,
                                                      self.exercise.id, cases, meanwhile)
        if not self.reference:  # the runner answered without calling ``meanwhile``
            self._expected()
        return self

    def judge(self) -> list[CaseResult]:
        """The case results (raises if the expected values could not be had: the grader's problem)."""
        shared = (time.perf_counter() - self.start) / max(len(self.cases), 1)  # drawing, references
        results = []
        for case, calls, out, expected in zip(self.cases, self.calls, self.outcomes, self.reference,
                                              strict=True):
            if isinstance(expected, Exception):
                raise expected  # e.g. no reference and no fixtures: not the student's problem
            results.append(judge_case(self.exercise, case, calls, out, expected, self.source_of,
                                  shared + out.wall))
        return results


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
    return submission_records([exercise.id], lambda _: source, sandbox, opts, [exercise])[0]


def submission_records(ids: Sequence[str], read: Callable[[str], Source | SourceProblem], sandbox: Runner,
                       opts: Options | None = None, exercises: Sequence[Exercise] = ()
                       ) -> list[ExerciseResult]:
    """As ``grade_submission``, as plain records (the ``dlgrade check`` path: no pydantic).

    Each exercise's cases run in one child; while it runs, the grader judges the previous
    exercise (and computes this one's expected values), so the two overlap.
    """
    opts = opts or Options()
    records: list[ExerciseResult | None] = []
    pending: _Judging | None = None  # judging the previous exercise
    for n, e in enumerate(ids):
        exercise = exercises[n] if exercises else registry.load(e)
        cases = exercise.cases if opts.hidden else exercise.public
        source = read(e)
        records.append(None)
        if isinstance(source, SourceProblem):
            results = [CaseResult(name=c.name, description=c.description, visibility=c.visibility,
                                  points=0.0, max_points=c.points, verdict=source.verdict,
                                  message=feedback.clean(source.message)) for c in cases]
            records[n] = ExerciseResult(exercise=exercise.id, title=exercise.title, submission="",
                                        cases=results, isolated=sandbox.isolated)
            continue
        batch = _Batch(exercise, cases, source, opts).run(sandbox, pending.soon if pending else None)
        if pending is not None:
            pending.done()  # if the runner did not call it meanwhile; raises what it raised
        pending = _Judging(batch, records, n, sandbox)
    if pending is not None:
        pending.done()
    return [r for r in records if r is not None]


class _Judging:
    """Judging a run batch into ``records[slot]``: soon (while the next child runs), or when done."""

    def __init__(self, batch: _Batch, records: list[ExerciseResult | None], slot: int,
                 sandbox: Runner) -> None:
        self.batch, self.records, self.slot, self.sandbox = batch, records, slot, sandbox
        self.ran = False
        self.error: Exception | None = None

    def soon(self) -> None:
        """Judge now; an exception is kept for ``done`` (never raised into the runner)."""
        if not self.ran:
            self.ran = True
            try:
                b, source = self.batch, self.batch.source
                self.records[self.slot] = ExerciseResult(
                    exercise=b.exercise.id, title=b.exercise.title, submission=source.filename,
                    submission_sha256=source.sha256, numpy_version=numpy_version(self.sandbox),
                    cases=b.judge(), isolated=self.sandbox.isolated)
            except Exception as exc:
                self.error = exc

    def done(self) -> None:
        """Judge if not judged yet; raise what judging raised."""
        self.soon()
        if self.error is not None:
            raise self.error


def grade_submission(ids: Sequence[str], read: Callable[[str], Source | SourceProblem], sandbox: Runner,
                     opts: Options | None = None, exercises: Sequence[Exercise] = ()
                     ) -> list[models.ExerciseResult]:
    """Grade the exercises ``ids`` of one submission, reading each one's source with ``read``.

    ``exercises``, if given, are the loaded exercises of ``ids`` (else the registry's).
    """
    from grader import models  # pydantic: not on the ``dlgrade check`` path

    return [models.ExerciseResult.of(r) for r in submission_records(ids, read, sandbox, opts, exercises)]
