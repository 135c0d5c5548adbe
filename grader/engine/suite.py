"""The vocabulary of a test suite: calls, cases, checks, known mistakes.

A *case* builds, from a seeded random generator, a list of *calls* into the
exercise module. The same calls run against the reference (in the trusted
parent) and against the submission (in the sandbox child); a *check* then
judges the student's outputs in the parent.

Outputs are flattened to named arrays: call ``label`` plus return name, e.g.
``"loss"`` or ``"naive.dW"``; a dict return value ``config`` flattens to
``"config.m"``, ``"config.t"``. A return name of ``None`` keeps the value in
the child (a ``cache``) where later calls can still use it through ``Ref``.

What a suite declares once (cases, mistakes, the exercise) is ``@frozen``; what is made
for every call (``Call``, ``Ref``, ``Probe``, ``Judgement``) a plain frozen dataclass,
whose compiled ``__init__`` is the faster one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from grader.frozen import frozen
from grader.records import Detail, Verdict

Visibility = Literal["public", "hidden"]
Outputs = dict[str, np.ndarray]
Build = Callable[[np.random.Generator], "list[Call]"]
"""Builds a case's calls from a seeded generator (the only source of randomness)."""


@dataclass(frozen=True)
class Judgement:
    """A check's verdict on a case, with a message and (public cases) a detail."""

    verdict: Verdict
    message: str = ""
    detail: Detail | None = None
    compared: tuple[str, ...] = ()  # output keys the verdict is about

    @property
    def passed(self) -> bool:
        """Whether the verdict is a pass."""
        return self.verdict is Verdict.PASSED


PASS = Judgement(Verdict.PASSED)


@dataclass(frozen=True)
class Ref:
    """An argument that is the raw return value ``index`` of an earlier call."""

    call: int
    index: int | None = None  # None: the whole return value


@dataclass(frozen=True)
class Probe:
    """Marks a call that evaluates the student's forward at a perturbed input.

    Used for a numerical gradient check (``grader.engine.gradcheck``).
    """

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
        """The output key of ``name``, prefixed with the call's label if it has one."""
        return f"{self.label}.{name}" if self.label else name


class Check:
    """Judges a case from the student's outputs (and the expected ones)."""

    needs_expected: bool = True
    forbid_mutation: bool = False  # True: changing an input array in place fails the case

    def judge(
        self, got: Outputs, expected: Outputs | None, calls: Sequence[Call], public: bool
    ) -> Judgement:  # pragma: no cover - interface
        """The judgement of a case from the student's outputs and the expected ones."""
        raise NotImplementedError


@frozen
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
        """Whether the case is hidden (not shipped to students with its values)."""
        return self.visibility == "hidden"


@frozen
class Mistake:
    """A named, common bug: the reference with some functions replaced."""

    id: str
    title: str
    hint: str
    functions: dict[str, Callable[..., Any]]
    zh: tuple[str, str] | None = None  # (title, hint) in Chinese, when unsealed from a release


@frozen
class Exercise:
    """An exercise: its contract functions, suite and known mistakes.

    A public suite module (``grader/suites/<id>.py``, or a course pack's
    ``suites/<id>.py``) declares exactly one, named ``EXERCISE``, with the
    public cases; the hidden cases and mistakes come from the instructor data
    (``Instructor``) and are joined by ``with_instructor``.

    Example::

        EXERCISE = Exercise(
            id="relu", title="ReLU", teaches="max(0, x) and its gradient",
            functions=("relu_forward",),
            public=(Case("forward", 2, build, MatchReference(1e-7), seed=1),),
        )
    """

    id: str
    title: str
    teaches: str
    functions: tuple[str, ...]
    public: tuple[Case, ...]
    hidden: tuple[Case, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    fast: tuple[Callable[..., Any], ...] = ()  # from Instructor.fast

    @property
    def cases(self) -> tuple[Case, ...]:
        """Public cases first, then hidden ones."""
        return self.public + self.hidden

    @property
    def points(self) -> float:
        """The maximum score: every case's points."""
        return sum(c.points for c in self.cases)

    def with_instructor(self, data: Instructor | None) -> Exercise:
        """This exercise with the instructor's hidden cases and mistakes (if any)."""
        if data is None:
            return self
        return replace(self, hidden=tuple(data.hidden), mistakes=tuple(data.mistakes),
                       fast=tuple(data.fast))


@frozen
class Instructor:
    """Instructor-only data of an exercise: hidden cases and known mistakes.

    Declared once per exercise as ``INSTRUCTOR`` in
    ``solutions/instructor/<id>.py`` (never shipped to students).
    """

    hidden: tuple[Case, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    # Vectorised equivalents of reference functions, named alike: they compute the expected
    # outputs where the naive reference (what stubs and mistakes are made of) is slow.
    fast: tuple[Callable[..., Any], ...] = ()
