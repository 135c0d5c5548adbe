"""What the progress store keeps of an attempt: its cases, each on one line."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from grader.frozen import frozen
from grader.records import Verdict

if TYPE_CHECKING:  # a case as the engine builds it (a record) or validated (a model)
    from grader import models, records
    CaseResult: TypeAlias = records.CaseResult | models.CaseResult


@frozen
class CaseRecord:
    """One graded case of an attempt, as stored."""

    name: str
    visibility: str
    points: float
    max_points: float
    verdict: str
    kind: str
    diagnosis: str

    @property
    def passed(self) -> bool:
        """Whether the case passed."""
        return self.verdict == Verdict.PASSED.value


@frozen
class Attempt:
    """One recorded attempt at an exercise or quiz, with its cases."""

    id: int
    time: datetime
    exercise: str
    title: str
    score: float
    max_score: float
    grader_version: str
    submission: str
    submission_sha256: str
    cases: tuple[CaseRecord, ...]

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return bool(self.cases) and all(c.passed for c in self.cases)


def message_kind(case: CaseResult) -> str:
    """What kind of feedback a case got (the text itself may be long)."""
    if case.passed:
        return ""
    if case.mistake is not None:
        return "known_mistake"
    if case.detail is not None:
        return "value_detail"
    if case.visibility == "hidden":
        return "hidden"
    return "message" if case.message else ""


def one_line(case: CaseResult, limit: int = 2000) -> str:
    """The case's diagnosis on one line: the named mistake first, else the message.

    Whole: the renderers wrap it; only a runaway message is shortened, at a word boundary.
    """
    if case.passed:
        return ""
    if case.mistake is not None:
        text = f"{case.mistake.title}. Hint: {case.mistake.hint}"
    else:
        text = " ".join(case.message.split()) or case.verdict.value.replace("_", " ")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
