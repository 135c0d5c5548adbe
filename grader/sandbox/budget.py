"""The ``Runner`` protocol every sandbox satisfies, and a per-exercise timeout budget."""

from __future__ import annotations

from collections.abc import Callable
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
        funcs = list(dict.fromkeys(f for f in (getattr(c, "func", "") for c in calls) if f))
        hung = [f for f in funcs if f in self.hung]
        if hung:
            return ChildOutcome("timeout", message=f"not run: {hung[0]}() timed out in an earlier "
                                "case (an infinite loop, or far too slow?)")
        out = self._inner.run(source, filename, module, calls, timeout, meanwhile)
        if out.status == "timeout" and not out.message:
            self.hung.update(dict.fromkeys(funcs))
            named = f"{funcs[0]}()" if len(funcs) == 1 else "one of " + ", ".join(f"{f}()" for f in funcs)
            out = replace(out, message=f"{named} timed out after {timeout:g}s "
                          "(an infinite loop, or far too slow?)")
        return out
