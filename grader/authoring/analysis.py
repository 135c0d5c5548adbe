"""Mutation analysis: grade every mutant of the reference with the exercise's own suite.

A mutant is *killed* when some case fails on it (any verdict but passed),
*equivalent* when some case runs the changed line and every output of every
case matches the reference's within ``EQUIVALENCE_TOL`` (no case as written
could tell it apart: the bug is invisible on these inputs, or is no bug), and
*survived* otherwise: its outputs differ somewhere yet every check passes, or
no case even runs the line (found by tracing the reference on every case),
so a case is missing.
The kill rate leaves the equivalent mutants out: killed / (killed + survived).

Mutants run in the real sandbox, one zygote per worker thread, in parallel;
a mutant stops at the first case that kills it. Expected values come from the
reference in this (trusted) process, once per case.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType, ModuleType
from typing import Any, Literal

import numpy as np

from grader.authoring.mutants import Mutant, generate
from grader.authoring.operators import OPERATORS
from grader.engine.compare import compare_array
from grader.engine.judging import outcome_judgement
from grader.engine.mistakes import run_trusted
from grader.engine.seeds import case_seed
from grader.engine.suite import Call, Case, Exercise, Outputs
from grader.errors import UsageError
from grader.models import Frozen
from grader.sandbox.budget import TimeoutBudget
from grader.sandbox.runner import Sandbox

EQUIVALENCE_TOL = 1e-7
Status = Literal["killed", "survived", "equivalent"]


class MutantOutcome(Frozen):
    """What the suite did to one mutant."""

    id: str
    operator: str
    line: int
    description: str
    status: Status
    case: str = ""  # killed: the killing case; survived: the first case whose outputs differ
    verdict: str = ""  # killed: the verdict of that case
    reached: bool = True  # False: no case runs the changed line
    diff: str


class MutationReport(Frozen):
    """The kill rate of one exercise's suite, with every mutant's outcome."""

    exercise: str
    mutants: int
    killed: int
    survived: int
    equivalent: int
    seconds: float
    workers: int
    outcomes: list[MutantOutcome]

    @property
    def kill_rate(self) -> float:
        """The share of graded mutants killed: killed / (killed + survived), 1.0 if none."""
        graded = self.killed + self.survived
        return self.killed / graded if graded else 1.0


@dataclass(frozen=True)
class Prepared:
    """A case with its calls and the reference's outputs, built once for all mutants."""

    case: Case
    calls: list[Call]
    expected: Outputs


def _traced(reference: ModuleType, calls: list[Call], lines: set[int]) -> Outputs:
    """The reference's outputs, adding to ``lines`` every line of its file that ran."""
    path = reference.__file__

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != path:
            return None  # numpy and the grader are not traced line by line
        if event == "line":
            lines.add(frame.f_lineno)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return run_trusted(reference, calls)
    finally:
        sys.settrace(previous)


def prepare(exercise: Exercise, reference: ModuleType) -> tuple[list[Prepared], set[int]]:
    """Inputs from the cases' fixed seeds and the reference's outputs for them.

    Returns:
        The prepared cases, and the reference's lines that some case runs.
    """
    prepared = []
    lines: set[int] = set()
    for case in exercise.cases:
        calls = case.build(np.random.default_rng(case_seed(exercise.id, case)))
        try:
            expected = _traced(reference, calls, lines)
        except Exception as exc:  # the author's reference, not dlgrade, is broken
            raise UsageError(f"{reference.__file__}: the reference raised {type(exc).__name__} on "
                             f"case {case.name!r}: {exc}") from None
        prepared.append(Prepared(case, calls, expected))
    return prepared, lines


def _matches(got: Outputs, expected: Outputs) -> str:
    """The first output key that differs from the reference, or ``""``."""
    for key, want in expected.items():
        have = got.get(key)
        if have is None or not compare_array(key, have, want, EQUIVALENCE_TOL, False).passed:
            return key
    return ""


def grade_mutant(exercise: Exercise, mutant: Mutant, cases: Sequence[Prepared],
                 box: Sandbox, lines_run: set[int] | None = None) -> MutantOutcome:
    """Run the suite on one mutant in ``box``; the first failing case kills it.

    The first case runs in a child of its own, the others together in a second one.

    A mutant on a line no case runs (``lines_run``) survives without being run.
    """
    first_difference = ""

    def outcome(status: Status, case: str = "", verdict: str = "", reached: bool = True
                ) -> MutantOutcome:
        return MutantOutcome(id=mutant.id, operator=mutant.operator, line=mutant.line,
                             description=mutant.description, status=status, case=case,
                             verdict=verdict, reached=reached, diff=mutant.diff)

    first, last = mutant.statement
    if lines_run is not None and not lines_run.intersection(range(first, last + 1)):
        return outcome("survived", reached=False)

    budget = TimeoutBudget(box)
    for chunk in (cases[:1], cases[1:]):  # most mutants die in the first case: one child for it alone
        outs = budget.run_all(mutant.source, f"{exercise.id}.py", exercise.id,
                              [(item.calls, item.case.timeout) for item in chunk])
        for item, out in zip(chunk, outs, strict=True):
            case = item.case
            judgement = outcome_judgement(out, case)
            if judgement is None:
                expected = item.expected if case.check.needs_expected else None
                judgement = case.check.judge(out.outputs, expected, item.calls, True)
            if not judgement.passed:
                return outcome("killed", case.name, judgement.verdict.value)
            if not first_difference and (key := _matches(out.outputs, item.expected)):
                first_difference = f"{case.name} ({key})"
    return outcome("survived" if first_difference else "equivalent", first_difference)


def analyse(exercise: Exercise, reference: ModuleType, source: str, workers: int = 2,
            level: str | None = None,
            progress: Callable[[MutantOutcome], None] | None = None,
            operators: Sequence[str] | None = None) -> MutationReport:
    """Mutation analysis of one exercise's suite.

    Args:
        exercise: the exercise with its public and hidden cases.
        reference: the imported reference module (expected values).
        source: the reference's source text (what is mutated).
        workers: parallel sandboxes (threads, each with its own zygote).
        level: sandbox isolation level (None: the strongest available).
        progress: called once per graded mutant, from a worker thread.
        operators: the mutation operators to apply (default: all).
    """
    start = time.perf_counter()
    mutants = generate(source, f"{exercise.id}.py", operators or tuple(OPERATORS))
    cases, lines_run = prepare(exercise, reference)
    todo: queue.Queue[Mutant] = queue.Queue()
    for mutant in mutants:
        todo.put(mutant)
    results: dict[str, MutantOutcome] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            with Sandbox(level=level) as box:
                while True:
                    try:
                        mutant = todo.get_nowait()
                    except queue.Empty:
                        return
                    outcome = grade_mutant(exercise, mutant, cases, box, lines_run)
                    with lock:
                        results[mutant.id] = outcome
                    if progress is not None:
                        progress(outcome)
        except BaseException as exc:  # surfaced in the calling thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, min(workers, len(mutants))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    outcomes = [results[m.id] for m in mutants]
    count = {s: sum(o.status == s for o in outcomes) for s in ("killed", "survived", "equivalent")}
    return MutationReport(exercise=exercise.id, mutants=len(outcomes), killed=count["killed"],
                          survived=count["survived"], equivalent=count["equivalent"],
                          seconds=round(time.perf_counter() - start, 2), workers=len(threads),
                          outcomes=outcomes)


def analyse_exercise(exercise: str, workers: int = 2, level: str | None = None,
                     operators: Sequence[str] | None = None) -> MutationReport:
    """Mutation analysis of a registered exercise (built-in or from the active pack).

    Raises:
        UsageError: the reference is not installed, or has no solution region.
    """
    from grader.engine import registry

    ex = registry.load(exercise)
    reference, path = registry.reference(exercise), registry.reference_path(exercise)
    if reference is None or path is None:
        raise UsageError(f"{exercise}: mutation analysis needs the reference solution "
                         "(run it in the instructor repository, or the pack's solution.py)")
    source = path.read_text(encoding="utf-8")
    if "BEGIN SOLUTION" not in source:
        raise UsageError(f"{path}: no '# BEGIN SOLUTION' region to mutate")
    if operators:
        unknown = [o for o in operators if o not in OPERATORS]
        if unknown:
            raise UsageError(f"unknown mutation operator {unknown[0]!r}; choose from: {', '.join(OPERATORS)}")
    return analyse(ex, reference, source, workers=workers, level=level, operators=operators)
