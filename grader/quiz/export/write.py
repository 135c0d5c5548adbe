"""Writing a quiz export file in the format asked for."""

from __future__ import annotations

from pathlib import Path

from grader.errors import UsageError
from grader.quiz import bank
from grader.quiz.export.gift import gift
from grader.quiz.export.items import ExportFormat, items
from grader.quiz.export.moodle import moodle_xml
from grader.quiz.export.qti import write_qti
from grader.quiz.models import Lang


def write_export(quiz_id: str, fmt: ExportFormat, out: Path, count: int = 10, lang: Lang = "en") -> Path:
    """Write ``count`` variants of every question of the quiz to ``out`` in ``fmt``."""
    if count < 1:
        raise UsageError("--variants must be at least 1")
    quiz = bank.load(bank.resolve(quiz_id))
    its = items(quiz, count, lang)
    if out.parent and not out.parent.exists():
        raise UsageError(f"folder {out.parent} does not exist; create it or choose another --out")
    if fmt is ExportFormat.gift:
        out.write_text(gift(quiz, its, lang), encoding="utf-8")
    elif fmt is ExportFormat.moodle_xml:
        out.write_bytes(moodle_xml(quiz, its, lang))
    else:
        write_qti(quiz, its, lang, out)
    return out


