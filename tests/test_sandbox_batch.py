"""One child runs all cases of an exercise: a crash, timeout or memory blow-up costs its case only.

Each test runs a real sandbox (the strongest level here, and the ``process``
level) on cases built by hand, through ``TimeoutBudget.run_all`` as the engine
does, and counts the children with a spy on ``run_many``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest

from grader.engine import grading
from grader.engine.grading import Options, submission_records
from grader.engine.suite import Call
from grader.records import Verdict
from grader.sandbox.budget import TimeoutBudget
from grader.sandbox.isolation import kill_orphans
from grader.sandbox.limits import MAX_BATCH
from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source, SourceProblem
from tests.support.helpers import reference_text
from tests.support.spies import Children

SOURCE = """
import os, time, ctypes
import numpy as np

def f(x, how):
    print(f"case {int(x[0])} says hi")
    if how == "exit":
        os._exit(3)
    if how == "segfault":
        ctypes.string_at(0)
    if how == "memory":
        return np.ones(10**10)
    if how == "sleep":
        time.sleep(0.6)
    return x * 2

def hang(x):
    while True:
        pass

def forge_ticks(x):
    os.write(4, b"." * 100)  # the tick pipe: a submission claiming its cases are done
    while True:
        pass
"""


@pytest.fixture(scope="module", params=["auto", "process"])
def box(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    with Sandbox(level=None if request.param == "auto" else request.param) as sandbox:
        yield sandbox


def case(n: int, how: str = "", func: str = "f", timeout: float = 5.0) -> tuple[list[Call], float]:
    args = (np.full(3, float(n)), how) if func == "f" else (np.full(3, float(n)),)
    return [Call(func, args, returns=("y",), single=True)], timeout


def run(box: Sandbox, cases: Sequence[tuple[list[Call], float]]) -> tuple[list[ChildOutcome], list[int]]:
    spy = Children(box)
    outs = TimeoutBudget(spy).run_all(SOURCE, "mod.py", "mod", cases)  # type: ignore[arg-type]
    return outs, spy.batches


def _doubled(out: ChildOutcome, n: int) -> bool:
    return out.status == "ok" and np.array_equal(out.outputs["y"], np.full(3, 2.0 * n))


def test_all_cases_run_in_one_child_each_printing_its_own_output(box: Sandbox) -> None:
    outs, batches = run(box, [case(n) for n in range(6)])
    assert batches == [6]
    assert all(_doubled(out, n) for n, out in enumerate(outs))
    assert [out.stdout for out in outs] == [f"case {n} says hi\n" for n in range(6)]


@pytest.mark.parametrize("how", ["exit", "segfault"])
def test_a_crash_costs_its_case_and_the_rest_run_in_a_fresh_child(box: Sandbox, how: str) -> None:
    outs, batches = run(box, [case(0), case(1), case(2, how), case(3), case(4)])
    assert batches == [5, 2]  # the first child ended in case 2; cases 3 and 4 went to a second
    assert outs[2].status == "crash" and outs[2].stdout == "case 2 says hi\n"
    assert outs[2].exit_code == (3 if how == "exit" else -11)
    assert all(_doubled(outs[n], n) for n in (0, 1, 3, 4))
    assert [o.stdout for o in outs[3:]] == ["case 3 says hi\n", "case 4 says hi\n"]


def test_a_timeout_costs_its_case_and_other_functions_still_run(box: Sandbox) -> None:
    outs, batches = run(box, [case(0), case(1, func="hang", timeout=1.0), case(2),
                              case(3, func="hang"), case(4)])
    assert batches == [5, 2]  # the second child gets cases 2 and 4; case 3 calls hang() again
    assert outs[1].status == "timeout" and outs[1].message.startswith("hang() timed out after 1s")
    assert outs[3].status == "timeout" and outs[3].message.startswith("not run: hang()")
    assert all(_doubled(outs[n], n) for n in (0, 2, 4))


def test_each_case_has_its_own_deadline(box: Sandbox) -> None:
    """Three cases of 0.6 s under a 1 s timeout each: 1.8 s in all, yet none timed out."""
    outs, batches = run(box, [case(n, "sleep", timeout=1.0) for n in range(3)])
    assert batches == [3]
    assert all(_doubled(out, n) for n, out in enumerate(outs))


def test_running_out_of_memory_costs_its_case_only(box: Sandbox) -> None:
    outs, batches = run(box, [case(0), case(1, "memory"), case(2)])
    assert batches == [3]  # a MemoryError is the case's answer; the child goes on
    assert outs[1].status == "exception" and outs[1].exc_type == "MemoryError"
    assert _doubled(outs[0], 0) and _doubled(outs[2], 2)


def test_forged_ticks_buy_no_time_and_cost_the_forging_case(box: Sandbox) -> None:
    start = time.monotonic()
    outs, batches = run(box, [case(0, func="forge_ticks", timeout=1.0), case(1, timeout=1.0),
                              case(2, timeout=1.0)])
    assert outs[0].status == "timeout"
    assert all(_doubled(outs[n], n) for n in (1, 2)) and batches == [3, 2]
    # The zygote stops extending deadlines after as many ticks as cases: the forging child
    # got at most the sum of its batch's timeouts plus the exit grace, not forever.
    assert time.monotonic() - start < 60


def test_a_batch_larger_than_one_child_takes_is_split(box: Sandbox) -> None:
    outs, batches = run(box, [case(n % 7) for n in range(MAX_BATCH + 3)])
    assert batches == [MAX_BATCH + 3, 3]
    assert all(_doubled(out, n % 7) for n, out in enumerate(outs))


def test_a_submission_is_judged_while_its_next_exercise_runs(box: Sandbox,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Exercise k is judged while exercise k+1's child runs; records keep the order of the ids."""

    events: list[str] = []
    judge = grading.judge_case

    def logged_judge(exercise: Any, *args: Any) -> Any:
        events.append(f"judge {exercise.id}")
        return judge(exercise, *args)

    class Logged(Children):
        def run_many(self, *args: Any) -> list[ChildOutcome]:
            events.append(f"child {args[2]}")
            outs = super().run_many(*args)
            events.append(f"answers {args[2]}")
            return outs

    monkeypatch.setattr(grading, "judge_case", logged_judge)
    ids = ["knn", "hinge_loss", "adam"]

    def read(e: str) -> Source | SourceProblem:
        if e == "hinge_loss":
            return SourceProblem(e, Verdict.BAD_SOURCE, "not a regular file")
        return Source(e, reference_text(e), f"{e}.py")

    records = submission_records(ids, read, Logged(box), Options())  # type: ignore[arg-type]
    assert [r.exercise for r in records] == ids
    assert records[0].passed and records[2].passed
    assert {c.verdict for c in records[1].cases} == {Verdict.BAD_SOURCE}
    first_knn_judged = events.index("judge knn")
    assert events.index("child adam") < first_knn_judged < events.index("answers adam")
    assert events.index("judge adam") > events.index("answers adam")


def test_a_sandbox_whose_grader_died_is_swept_and_a_living_ones_is_not() -> None:
    """``kill_orphans`` (run as a class run starts) finds processes tagged with a dead grader's pid."""


    ended = subprocess.Popen(["true"])
    ended.wait()  # reaped: its pid no longer runs
    dead_pid = ended.pid
    sleeper = "import time; time.sleep(60)"
    orphan = subprocess.Popen([sys.executable, "-c", sleeper, f"dlgrade-sbx-{dead_pid}-0"])
    living = subprocess.Popen([sys.executable, "-c", sleeper, f"dlgrade-sbx-{os.getpid()}-0"])
    try:
        killed = kill_orphans()
        assert orphan.pid in killed and living.pid not in killed
        assert orphan.wait(10) == -9 and living.poll() is None
    finally:
        for p in (orphan, living):
            p.kill()
            p.wait()
