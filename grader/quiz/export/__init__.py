"""Exports for learning-management systems: GIFT and Moodle XML (Moodle), QTI
1.2 in a zip (Canvas). A randomized question becomes N pre-drawn variants,
grouped so the LMS picks one per student: a Moodle category per question, a
Canvas question group (a QTI section selecting 1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from grader.quiz import bank
from grader.quiz.draw import draw, render, variants
from grader.quiz.grade import expected, explain, require_key
from grader.quiz.models import Lang, Question, Quiz


class ExportFormat(StrEnum):
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
    question: Question
    variants: list[Variant]

    @property
    def grouped(self) -> bool:
        return self.question.randomized


def items(quiz: Quiz, count: int, lang: Lang) -> list[Item]:
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


def write_export(quiz_id: str, fmt: ExportFormat, out: Path, count: int = 10, lang: Lang = "en") -> Path:
    from grader.errors import UsageError

    if count < 1:
        raise UsageError("--variants must be at least 1")
    quiz = bank.load(bank.resolve(quiz_id))
    its = items(quiz, count, lang)
    if out.parent and not out.parent.exists():
        raise UsageError(f"folder {out.parent} does not exist; create it or choose another --out")
    if fmt is ExportFormat.gift:
        from grader.quiz.export.gift import gift

        out.write_text(gift(quiz, its, lang), encoding="utf-8")
    elif fmt is ExportFormat.moodle_xml:
        from grader.quiz.export.moodle import moodle_xml

        out.write_bytes(moodle_xml(quiz, its, lang))
    else:
        from grader.quiz.export.qti import write_qti

        write_qti(quiz, its, lang, out)
    return out


def fractions(choices: list[tuple[str, bool]]) -> list[float]:
    """Moodle/GIFT grade fractions: the right ones share 100%, a wrong one costs 100%
    (one right choice: 100 and 0)."""
    right = sum(ok for _, ok in choices)
    if right == 1:
        return [100.0 if ok else 0.0 for _, ok in choices]
    return [round(100.0 / right, 5) if ok else -100.0 for _, ok in choices]
