"""Results of grading, as frozen pydantic models (rendered elsewhere).

The engine builds the plain dataclasses of ``grader.records`` (no pydantic on the
``dlgrade check`` path); these models validate and serialise them, e.g.
``ExerciseResult.of(record)``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from grader.records import Verdict

__all__ = ["CaseResult", "Detail", "Diagnosis", "ExerciseResult", "Frozen", "RunResult", "Verdict"]


class Frozen(BaseModel):
    """The base of dlgrade's data models: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)  # records too


class Detail(Frozen):
    """Where an output is wrong (public cases only)."""

    key: str
    index: list[int]
    expected: float
    got: float
    rel_error: float
    mismatched: int
    size: int


class Diagnosis(Frozen):
    """A known mistake whose output the submission reproduces.

    ``title_zh`` and ``hint_zh`` carry its Chinese (from the instructor catalogue, or from the
    sealed fingerprint in a release) so a result can be shown in either language.
    """

    id: str
    title: str
    hint: str
    title_zh: str = ""
    hint_zh: str = ""
    outputs: list[str] = []  # the outputs it explains; empty: the whole case


class CaseResult(Frozen):
    """The graded result of one case: points, verdict, message and what went wrong."""

    name: str
    description: str = ""
    visibility: str = "public"
    points: float
    max_points: float
    verdict: Verdict
    message: str = ""
    detail: Detail | None = None
    mistake: Diagnosis | None = None
    also: list[Diagnosis] = []  # more known mistakes, each explaining other outputs of the case
    stdout: str = ""
    duration_ms: float = 0.0
    output_digest: str = ""  # hash of the outputs, to spot identical answers across students
    output_bits: float = 0.0  # information in the outputs (grader.engine.information): a match's weight

    @property
    def passed(self) -> bool:
        """Whether the case passed."""
        return self.verdict is Verdict.PASSED


class _Totals(Frozen):
    """A model whose ``score``/``max_score`` are computed.

    A dump of it validates again (the totals in the input are dropped and recomputed).
    """

    @model_validator(mode="before")
    @classmethod
    def _drop_totals(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in ("score", "max_score")}
        return data


class ExerciseResult(_Totals):
    """The graded result of one exercise: its cases."""

    exercise: str
    title: str
    submission: str
    cases: list[CaseResult]
    isolated: bool = False
    submission_sha256: str = ""  # of the graded source text; "" when no file was read
    numpy_version: str = ""  # the numpy the sandbox ran the submission with; "" in older results

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        """The points earned, summed over the cases."""
        return round(sum(c.points for c in self.cases), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_score(self) -> float:
        """The points possible, summed over the cases."""
        return round(sum(c.max_points for c in self.cases), 6)

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return all(c.passed for c in self.cases)

    @classmethod
    def of(cls, record: Any) -> ExerciseResult:
        """The validated model of a ``grader.records.ExerciseResult`` (or any object with its fields)."""
        return cls.model_validate(record, from_attributes=True)

    def factor(self, points: float | None) -> float:
        """What one suite point is worth when the exercise counts ``points`` (None: as in the suite)."""
        if points is None:
            return 1.0
        return points / self.max_score if self.max_score else 0.0

    def scaled(self, points: float | None) -> float:
        """The score when the exercise counts ``points`` in all (None: the suite's own total)."""
        return round(self.score * self.factor(points), 6)


class RunResult(_Totals):
    """The graded result of a run: its exercises and the grader version."""

    grader_version: str
    exercises: list[ExerciseResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        """The points earned, summed over the exercises."""
        return round(sum(e.score for e in self.exercises), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_score(self) -> float:
        """The points possible, summed over the exercises."""
        return round(sum(e.max_score for e in self.exercises), 6)

    @property
    def exit_code(self) -> int:
        """pytest-like: 0 all passed, 1 some failed, 5 nothing was checked."""
        if not any(e.cases for e in self.exercises):
            return 5
        return 0 if all(e.passed for e in self.exercises) else 1

    @classmethod
    def of(cls, record: Any) -> RunResult:
        """The validated model of a ``grader.records.RunResult`` (or any object with its fields)."""
        return cls.model_validate(record, from_attributes=True)
