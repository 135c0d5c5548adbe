"""The items an LMS export is made of: each question as N pre-drawn variants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from grader.quiz.draw import draw, render, variants
from grader.quiz.grade import expected, explain, require_key
from grader.quiz.models import Lang, Question, Quiz


class ExportFormat(StrEnum):
    """LMS export formats."""

    gift = "gift"
    moodle_xml = "moodle-xml"
    qti = "qti"


@dataclass(frozen=True)
class Variant:
    """One concrete question: text, choices with their correctness, or a number."""

    name: str
    text: str
    choices: list[tuple[str, bool]]
    value: float | None
    tolerance: float
    feedback: str


@dataclass(frozen=True)
class Item:
    """A question and its pre-drawn variants, as exported."""

    question: Question
    variants: list[Variant]

    @property
    def grouped(self) -> bool:
        """Whether the variants are grouped for the LMS to pick one (a randomized question)."""
        return self.question.randomized


def items(quiz: Quiz, count: int, lang: Lang) -> list[Item]:
    """The quiz's questions with ``count`` variants of each randomized one, answers included."""
    key = require_key(quiz)
    out = []
    for q in quiz.questions:
        answer = key.answers[q.id]
        drawn = variants(quiz.id, q, count) if q.randomized else [draw(quiz.id, q, "")]
        vs = []
        for i, params in enumerate(drawn, 1):
            want = expected(q, answer, params)
            feedback = explain(answer, params, want, lang)
            name = f"{quiz.id}/{q.id}" + (f" v{i}" if q.randomized else "")
            if q.kind == "numeric":
                assert isinstance(want, float)
                tol = max(q.tolerance.abs, q.tolerance.rel * abs(want))
                vs.append(Variant(name, render(q, params, lang), [], want, tol, feedback))
            else:
                right = want if isinstance(want, frozenset) else frozenset([want])
                choices = [(c(lang), k in right) for k, c in zip(q.keys, q.choices, strict=True)]
                vs.append(Variant(name, render(q, params, lang), choices, None, 0.0, feedback))
        out.append(Item(q, vs))
    return out


def fractions(choices: list[tuple[str, bool]]) -> list[float]:
    """Moodle/GIFT grade fractions.

    The right ones share 100%, a wrong one costs 100% (one right choice: 100 and 0).
    """
    right = sum(ok for _, ok in choices)
    if right == 1:
        return [100.0 if ok else 0.0 for _, ok in choices]
    return [round(100.0 / right, 5) if ok else -100.0 for _, ok in choices]
