"""Quiz data as pydantic models.

Student side (:class:`Quiz`): texts, choices, parameter ranges, tolerances, where
to read. Instructor side (:class:`Key`): answers, answer-function names,
explanations and the quoted passage.
"""

from __future__ import annotations

import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Data):
    """The same sentence in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def __call__(self, lang: Lang) -> str:
        """The sentence in ``lang``."""
        return self.zh if lang == "zh" else self.en


class Source(_Data):
    """Where in the course notes to read: the notes file and the section.

    The file (of ../shared/seeds/) is an id only: feedback shows its title from
    ``grader/data/notes.toml``.
    """

    file: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    section: str = Field(min_length=1)


class Tolerance(_Data):
    """Accepted if ``|got - expected| <= max(abs, rel * |expected|)``."""

    rel: float = Field(default=0.0, ge=0, lt=1)
    abs: float = Field(default=0.0, ge=0)

    def accepts(self, got: float, expected: float) -> bool:
        """Whether ``got`` is within the tolerance of ``expected``."""
        slack = max(self.abs, self.rel * abs(expected))
        # 1e-12 relative guards only against float noise, e.g. 0.1 + 0.2 for 0.3.
        return abs(got - expected) <= slack + 1e-12 * max(1.0, abs(expected))

    def describe(self, lang: Lang) -> str:
        """The tolerance in words, in ``lang``."""
        parts = []
        if self.rel:
            parts.append(f"{self.rel:.0%}" if lang == "en" else f"相对误差 {self.rel:.0%}")
        if self.abs:
            parts.append(f"±{self.abs:g}" if lang == "en" else f"绝对误差 {self.abs:g}")
        if not parts:
            return "exact answer" if lang == "en" else "需精确作答"
        return ("accepted within " + " or ".join(parts)) if lang == "en" else \
            ("允许" + "或".join(parts))


class Param(_Data):
    """A number drawn per student.

    From ``values``, or an integer in ``[low, high]``, or a multiple of ``step`` in
    ``[low, high]``.
    """

    values: list[float] = []
    low: float | None = None
    high: float | None = None
    step: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_way(self) -> Param:
        ranged = self.low is not None and self.high is not None
        if bool(self.values) == ranged:
            raise ValueError("give either values = [...] or both low and high")
        if ranged and self.low > self.high:  # type: ignore[operator]
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    def options(self) -> list[float]:
        """Every value a student can get, in order."""
        if self.values:
            return list(self.values)
        low, high, step = float(self.low or 0), float(self.high or 0), self.step or 1.0
        count = round((high - low) / step) + 1
        return [round(low + i * step, 10) for i in range(count)]


class Question(_Data):
    """A single-choice, multiple-choice or numeric question."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["single", "multiple", "numeric"]
    text: Text
    choices: list[Text] = []
    params: dict[str, Param] = {}
    tolerance: Tolerance = Tolerance()
    points: float = Field(default=1.0, gt=0)
    see: Source

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.kind == "numeric" and self.choices:
            raise ValueError("a numeric question has no choices")
        if self.kind != "numeric" and len(self.choices) < 2:
            raise ValueError(f"a {self.kind}-choice question needs at least 2 choices")
        if self.kind != "numeric" and self.params:
            raise ValueError("only numeric questions can have params")
        if len(self.choices) > 26:
            raise ValueError("at most 26 choices")
        names = {f for lang in LANGS for _, f, _, _ in string.Formatter().parse(self.text(lang)) if f}
        if names != set(self.params):
            raise ValueError(f"placeholders {sorted(names)} do not match params {sorted(self.params)}")
        return self

    @property
    def keys(self) -> list[str]:
        """Choice letters in order: a, b, c..."""
        return list(string.ascii_lowercase[:len(self.choices)])

    @property
    def randomized(self) -> bool:
        """Whether the question has per-student numbers."""
        return bool(self.params)


class Quiz(_Data):
    """A quiz: its title and questions (ids unique)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Quiz:
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate question ids: {', '.join(dupes)}")
        return self

    def question(self, qid: str) -> Question:
        """The question with id ``qid``."""
        return next(q for q in self.questions if q.id == qid)

    @property
    def points(self) -> float:
        """The quiz's total points."""
        return sum(q.points for q in self.questions)


class Answer(_Data):
    """The instructor's answer to one question and why (shown after grading)."""

    choice: str | None = None
    choices: list[str] | None = None
    value: float | None = None
    function: str | None = None
    explanation: Text
    quote: str = Field(min_length=4)

    @model_validator(mode="after")
    def _exactly_one(self) -> Answer:
        given = [x for x in (self.choice, self.choices, self.value, self.function) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of choice, choices, value, function")
        return self


class Key(_Data):
    """The answer key of one quiz: question id -> answer."""

    answers: dict[str, Answer]
