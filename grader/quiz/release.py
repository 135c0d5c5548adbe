"""What other parts of dlgrade call.

Recording a graded quiz in the progress store, and writing the student-facing quiz
files of a release (no answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from grader.models import ExerciseResult
from grader.quiz.models import Lang


def record_quiz(result: ExerciseResult, store_path: Path | None = None) -> int:
    """Record a graded quiz (``exercise="quiz:<id>"``) in the progress store.

    The store is ``store_path``, else ``$DLGRADE_STORE``, else
    ``.dlgrade/progress.sqlite3``, so ``dlgrade progress`` lists it beside the exercises.

    Returns:
        The attempt id.
    """
    from grader import __version__
    from grader.progress.store import open_store

    with open_store(store_path) as store:
        return store.record(result, __version__)


def write_quiz_release(quiz_ids: Sequence[str], out_dir: Path, lang: Lang = "en",
                       students: Sequence[str] = ()) -> list[Path]:
    """Write ``out_dir/quizzes/``: the student-facing quiz files, never the answer key.

    Per quiz ``<id>.json`` (the validated questions, parameter ranges and tolerances)
    and ``<id>.md`` (the questions, numbers shown as placeholders); per student in
    ``students`` also ``<student>/<id>.md`` and ``<student>/<id>.answers.toml`` with
    that student's numbers.

    Raises:
        UsageError: An id is unknown (before anything is written).
    """
    from grader.quiz import bank, sheet

    quizzes = [bank.load(bank.resolve(q)) for q in quiz_ids]
    folder = out_dir / "quizzes"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for quiz in quizzes:
        path = folder / f"{quiz.id}.json"
        path.write_text(quiz.model_dump_json(indent=2) + "\n", encoding="utf-8")
        written.append(path)
        path = folder / f"{quiz.id}.md"
        path.write_text(sheet.markdown(quiz, "YOUR-ID", lang, placeholders=True), encoding="utf-8")
        written.append(path)
        for student in students:
            own = folder / _safe(student)
            own.mkdir(exist_ok=True)
            for path, text in ((own / f"{quiz.id}.md", sheet.markdown(quiz, student, lang)),
                               (own / f"{quiz.id}.answers.toml", sheet.answer_file(quiz, student, lang))):
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written


def _safe(student: str) -> str:
    from grader.errors import UsageError

    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in student).strip(".")
    if not name:
        raise UsageError(f"student id {student!r} cannot name a folder")
    return name
