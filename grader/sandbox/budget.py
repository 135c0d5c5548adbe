"""The ``Runner`` protocol every sandbox satisfies, and a per-exercise timeout budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from grader.sandbox.outcome import ChildOutcome


class Runner(Protocol):
    """Runs a case's calls on a submission's source text in an untrusted child."""

    @property
    def isolated(self) -> bool:
        """True only when full isolation was observed to work."""
        ...

    def run(self, source: str, filename: str, module: str, calls: list[Any],
            timeout: float, meanwhile: Callable[[], object] | None = None) -> ChildOutcome:
        """The child's outcome for ``calls`` on ``source``, within ``timeout`` seconds.

        ``meanwhile``, if given, is called at most once while the child runs (the grader's
        own work for the case, overlapping the child's); a runner may also never call it.
        """
        ...

    def run_many(self, source: str, filename: str, module: str, cases: Sequence[tuple[list[Any], float]],
                 meanwhile: Callable[[], object] | None = None) -> list[ChildOutcome]:
        """Run ``cases`` (calls, timeout) in order in one child; their outcomes, at least the first.

        The list stops after the case the child ended in (a timeout or crash costs that
        case only); the caller sends the cases after it again. ``meanwhile`` as in ``run``.
        """
        ...


class TimeoutBudget:
    """A runner for one submission's exercise that pays for a hanging function once.

    Once a case times out, later cases that call the same function time out at once,
    naming it. A hanging function costs one timeout, not one per case, and the
    student's other functions are still graded.
    """

    def __init__(self, inner: Runner) -> None:
        """Wrap ``inner``."""
        self._inner = inner
        self.hung: dict[str, None] = {}  # ordered set of the functions that timed out

    @property
    def isolated(self) -> bool:
        """As the inner runner."""
        return self._inner.isolated

    def run(self, source: str, filename: str, module: str, calls: list[Any],
            timeout: float, meanwhile: Callable[[], object] | None = None) -> ChildOutcome:
        """The inner runner's outcome, or at once a timeout for a function that hung before."""
        return self.run_all(source, filename, module, [(calls, timeout)], meanwhile)[0]

    def run_many(self, source: str, filename: str, module: str, cases: Sequence[tuple[list[Any], float]],
                 meanwhile: Callable[[], object] | None = None) -> list[ChildOutcome]:
        """As ``run_all``: every case's outcome."""
        return self.run_all(source, filename, module, cases, meanwhile)

    def run_all(self, source: str, filename: str, module: str, cases: Sequence[tuple[list[Any], float]],
                meanwhile: Callable[[], object] | None = None) -> list[ChildOutcome]:
        """Every case's outcome, in order: batches in the inner runner, a fresh child after each end.

        A case calling a function that hung before is answered at once.
        """
        outcomes: dict[int, ChildOutcome] = {}
        pending = list(range(len(cases)))
        while pending:
            for i in pending:
                hung = [f for f in _funcs(cases[i][0]) if f in self.hung]
                if hung:
                    outcomes[i] = ChildOutcome("timeout", message=f"not run: {hung[0]}() timed out in an "
                                               "earlier case (an infinite loop, or far too slow?)")
            pending = [i for i in pending if i not in outcomes]
            if not pending:
                break
            got = self._inner.run_many(source, filename, module, [cases[i] for i in pending], meanwhile) \
                or [ChildOutcome("crash", message="the sandbox stopped unexpectedly")]
            meanwhile = None  # once, with the first child
            for i, out in zip(pending, got, strict=False):
                outcomes[i] = self._named(out, *cases[i])
            pending = pending[len(got):]
        return [outcomes[i] for i in range(len(cases))]

    def _named(self, out: ChildOutcome, calls: list[Any], timeout: float) -> ChildOutcome:
        """A timeout names the function(s) of its case, which are not called again."""
        if out.status != "timeout" or out.message:
            return out
        funcs = _funcs(calls)
        self.hung.update(dict.fromkeys(funcs))
        named = f"{funcs[0]}()" if len(funcs) == 1 else "one of " + ", ".join(f"{f}()" for f in funcs)
        return replace(out, message=f"{named} timed out after {timeout:g}s "
                       "(an infinite loop, or far too slow?)")


def _funcs(calls: list[Any]) -> list[str]:
    return list(dict.fromkeys(f for f in (getattr(c, "func", "") for c in calls) if f))
