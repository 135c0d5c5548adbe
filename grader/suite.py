"""The vocabulary of a test suite: calls, cases, checks, known mistakes.

A *case* builds, from a seeded random generator, a list of *calls* into the
exercise module. The same calls run against the reference (in the trusted
parent) and against the submission (in the sandbox child); a *check* then
judges the student's outputs in the parent.

Outputs are flattened to named arrays: call ``label`` plus return name, e.g.
``"loss"`` or ``"naive.dW"``; a dict return value ``config`` flattens to
``"config.m"``, ``"config.t"``. A return name of ``None`` keeps the value in
the child (a ``cache``) where later calls can still use it through ``Ref``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from grader.compare import Judgement

Visibility = Literal["public", "hidden"]
Outputs = dict[str, np.ndarray]


@dataclass(frozen=True)
class Ref:
    """An argument that is the raw return value ``index`` of an earlier call."""

    call: int
    index: int | None = None  # None: the whole return value


@dataclass(frozen=True)
class Probe:
    """Marks a call that evaluates the student's forward at a perturbed input,
    for a numerical gradient check (``grader.gradcheck``)."""

    grad: str  # output key of the analytic gradient, e.g. "dW"
    index: tuple[int, ...]  # perturbed element
    sign: int  # +1 or -1
    h: float
    weight: np.ndarray | None = None  # f = sum(out * weight); None: out is f


@dataclass(frozen=True)
class Call:
    """One call ``func(*args, **kwargs)`` of an exercise function."""

    func: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    returns: tuple[str | None, ...] = ("out",)
    label: str = ""
    single: bool = False  # the function returns one value, not a tuple
    probe: Probe | None = None  # stays in the parent; never sent to the child

    def key(self, name: str) -> str:
        return f"{self.label}.{name}" if self.label else name


class Check:
    """Judges a case from the student's outputs (and the expected ones)."""

    needs_expected: bool = True

    def judge(
        self, got: Outputs, expected: Outputs | None, calls: Sequence[Call], public: bool
    ) -> Judgement:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class Case:
    """A graded case of an exercise suite."""

    name: str
    points: float
    build: Callable[[np.random.Generator], list[Call]]
    check: Check
    seed: int = 0
    visibility: Visibility = "public"
    description: str = ""
    timeout: float = 5.0

    @property
    def hidden(self) -> bool:
        return self.visibility == "hidden"


@dataclass(frozen=True)
class Mistake:
    """A named, common bug: the reference with some functions replaced."""

    id: str
    title: str
    hint: str
    functions: dict[str, Callable[..., Any]]


@dataclass(frozen=True)
class Exercise:
    """An exercise: its contract functions, suite and known mistakes."""

    id: str
    title: str
    teaches: str
    functions: tuple[str, ...]
    public: tuple[Case, ...]
    hidden: tuple[Case, ...] = ()
    mistakes: tuple[Mistake, ...] = ()

    @property
    def cases(self) -> tuple[Case, ...]:
        return self.public + self.hidden

    @property
    def points(self) -> float:
        return sum(c.points for c in self.cases)
