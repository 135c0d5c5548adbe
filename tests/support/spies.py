"""A spy on the real sandbox (not a mock): what each child it started was given and gave back."""

from __future__ import annotations

from typing import Any

from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.runner import Sandbox


class Children:
    """The real sandbox, recording each child's batch size and the outcomes it returned."""

    def __init__(self, inner: Sandbox) -> None:
        self.inner = inner
        self.batches: list[int] = []
        self.outcomes: list[ChildOutcome] = []

    @property
    def isolated(self) -> bool:
        return self.inner.isolated

    @property
    def timeouts(self) -> int:
        """Cases that ran to their timeout in a child (not those answered at once)."""
        return sum(out.status == "timeout" for out in self.outcomes)

    def run(self, *args: Any) -> ChildOutcome:
        return self.run_many(*args[:3], [(args[3], args[4])])[0]

    def run_many(self, *args: Any) -> list[ChildOutcome]:
        self.batches.append(len(args[3]))
        outs = self.inner.run_many(*args)
        self.outcomes += outs
        return outs
