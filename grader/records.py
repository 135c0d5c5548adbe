"""Results of grading as plain frozen dataclasses: what the engine builds.

These are the same results as the pydantic models of ``grader.models``
(same names, fields, defaults and totals) without importing pydantic, so that
``dlgrade check`` grades, prints and records an attempt without paying for
pydantic's import and schema building. ``grader.models`` validates and
serialises them (``ExerciseResult.model_validate(record, from_attributes=True)``);
``tests/test_cli_lean.py`` keeps both field lists equal.

Imports only the standard library.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from grader.frozen import frozen


class Verdict(StrEnum):
    """What happened to one case."""

    PASSED = "passed"
    WRONG_VALUE = "wrong_value"
    WRONG_SHAPE = "wrong_shape"
    WRONG_DTYPE = "wrong_dtype"
    NOT_FINITE = "not_finite"
    MISSING_OUTPUT = "missing_output"
    INVALID_OUTPUT = "invalid_output"
    DISAGREE = "disagree"
    GRADIENT_MISMATCH = "gradient_mismatch"
    NOT_IMPLEMENTED = "not_implemented"
    EXCEPTION = "exception"
    SYNTAX_ERROR = "syntax_error"
    MISSING_FUNCTION = "missing_function"
    MISSING_MODULE = "missing_module"
    BAD_SOURCE = "bad_source"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    CRASH = "crash"


@frozen
class Detail:
    """Where an output is wrong (public cases only)."""

    key: str
    index: list[int]
    expected: float
    got: float
    rel_error: float
    mismatched: int
    size: int


@frozen
class Diagnosis:
    """A known mistake whose output the submission reproduces."""

    id: str
    title: str
    hint: str
    title_zh: str = ""
    hint_zh: str = ""
    outputs: list[str] = field(default_factory=list)  # the outputs it explains; empty: the whole case


@frozen(kw_only=True)
class CaseResult:
    """One graded case."""

    name: str
    description: str = ""
    visibility: str = "public"
    points: float
    max_points: float
    verdict: Verdict
    message: str = ""
    detail: Detail | None = None
    mistake: Diagnosis | None = None
    also: list[Diagnosis] = field(default_factory=list)  # more known mistakes, explaining other outputs
    stdout: str = ""
    duration_ms: float = 0.0
    output_digest: str = ""
    output_bits: float = 0.0

    @property
    def passed(self) -> bool:
        """True when the case passed."""
        return self.verdict is Verdict.PASSED


@frozen(kw_only=True)
class ExerciseResult:
    """Every graded case of one exercise of one submission."""

    exercise: str
    title: str
    submission: str
    cases: list[CaseResult] = field(default_factory=list)
    isolated: bool = False
    submission_sha256: str = ""
    numpy_version: str = ""

    @property
    def score(self) -> float:
        """Points earned, rounded as in ``grader.models``."""
        return round(sum(c.points for c in self.cases), 6)

    @property
    def max_score(self) -> float:
        """Points available."""
        return round(sum(c.max_points for c in self.cases), 6)

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return all(c.passed for c in self.cases)


@frozen(kw_only=True)
class RunResult:
    """One ``dlgrade check`` run: the exercises graded."""

    grader_version: str
    exercises: list[ExerciseResult]

    @property
    def score(self) -> float:
        """Points earned over all exercises."""
        return round(sum(e.score for e in self.exercises), 6)

    @property
    def max_score(self) -> float:
        """Points available over all exercises."""
        return round(sum(e.max_score for e in self.exercises), 6)

    @property
    def exit_code(self) -> int:
        """pytest-like: 0 all passed, 1 some failed, 5 nothing was checked."""
        if not any(e.cases for e in self.exercises):
            return 5
        return 0 if all(e.passed for e in self.exercises) else 1
