"""Where a student stands: per exercise and quiz, from the attempts in the store.

Pure data (pydantic, so ``--json`` is a dump); the renderers only lay it out.
Quizzes arrive as results whose exercise id is ``"quiz:<id>"`` and are kept
in their own group.
"""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import PurePath
from typing import Literal

from pydantic import computed_field

from grader.engine import registry
from grader.engine.texts import Lang, exercise_title, message
from grader.models import Frozen
from grader.progress.records import Attempt, CaseRecord

QUIZ_PREFIX = "quiz:"
MAX_NEXT = 3
DEFAULT_FOLDER = "exercises"  # dlgrade check's default --submission


class Point(Frozen):
    """One attempt on the score-over-attempts chart."""

    attempt: int
    time: datetime
    score: float
    max_score: float


ItemStatus = Literal["not_started", "in_progress", "passed"]
Group = Literal["exercise", "quiz"]


class FailingCase(Frozen):
    """A case that fails in the latest attempt, and why."""

    name: str
    verdict: str
    kind: str
    visibility: str
    max_points: float
    diagnosis: str


class ItemProgress(Frozen):
    """One exercise or quiz: best and latest score, attempts, what still fails."""

    id: str
    title: str
    group: Group
    max_score: float
    best: float
    latest: float | None
    attempts: int
    first_pass: datetime | None
    attempts_to_pass: int | None
    last_time: datetime | None
    status: ItemStatus
    history: list[Point]
    failing: list[FailingCase]
    submission: str = ""  # what the latest attempt graded (a file, an archive member, a notebook cell)


class Suggestion(Frozen):
    """One next step: the item (and case) to work on, and the command to check it."""

    item: str
    case: str | None
    diagnosis: str
    command: str


class Progress(Frozen):
    """A student's progress over every exercise and quiz."""

    exercises: list[ItemProgress]
    quizzes: list[ItemProgress]
    next: list[Suggestion]
    attempts: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        """The best points, summed over every item."""
        return round(sum(i.best for i in self.exercises + self.quizzes), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_score(self) -> float:
        """The points possible, summed over every item."""
        return round(sum(i.max_score for i in self.exercises + self.quizzes), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def completion(self) -> float:
        """Share of all points earned at best, 0..1."""
        return round(self.score / self.max_score, 4) if self.max_score else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> int:
        """How many items are passed."""
        return sum(i.status == "passed" for i in self.exercises + self.quizzes)


def _best_key(a: Attempt) -> tuple[float, float]:
    return (a.score, a.score / a.max_score if a.max_score else 0.0)


def _started(attempts: list[Attempt]) -> bool:
    """Running the untouched stub is not starting the exercise."""
    return any(c.verdict != "not_implemented" for a in attempts for c in a.cases)


def _failing(case: CaseRecord) -> FailingCase:
    return FailingCase(name=case.name, verdict=case.verdict, kind=case.kind, visibility=case.visibility,
                       max_points=case.max_points, diagnosis=case.diagnosis)


def item_progress(item: str, title: str, group: Group, max_score: float | None,
                  attempts: list[Attempt]) -> ItemProgress:
    """Summarise one exercise's (or quiz's) attempts, oldest first."""
    best = max(attempts, key=_best_key, default=None)
    latest = attempts[-1] if attempts else None
    first = next((n for n, a in enumerate(attempts, 1) if a.passed), None)
    full = max_score if max_score is not None else (latest.max_score if latest else 0.0)
    status: ItemStatus
    if first is not None and latest is not None and latest.passed and latest.max_score >= full:
        status = "passed"
    else:
        status = "in_progress" if _started(attempts) else "not_started"
    return ItemProgress(
        id=item, title=(latest.title if latest and latest.title else title) or item, group=group,
        max_score=full, best=best.score if best else 0.0, latest=latest.score if latest else None,
        attempts=len(attempts), first_pass=attempts[first - 1].time if first else None,
        attempts_to_pass=first, last_time=latest.time if latest else None, status=status,
        history=[Point(attempt=n, time=a.time, score=a.score, max_score=a.max_score)
                 for n, a in enumerate(attempts, 1)],
        failing=[_failing(c) for c in latest.cases if not c.passed] if latest else [],
        submission=latest.submission if latest else "",
    )


def _ease(case: FailingCase) -> tuple[int, int, float]:
    """Easiest first: a named mistake (there is a hint), then public cases, then few points."""
    return (case.kind != "known_mistake", case.visibility != "public", case.max_points)


def where_from(item: str, recorded: str) -> str:
    """The options that point ``dlgrade check`` at what an attempt graded.

    "" for the default ./exercises, else ``--submission PATH`` or ``--notebook FILE`` as
    the student gave it.
    """
    notebook = re.fullmatch(r"(.+\.ipynb)\[solution-[\w-]+\]", recorded)
    if notebook:
        return f" --notebook {_quote(notebook[1])}"
    if not recorded or recorded.startswith("notebook["):  # the notebook's own check cell
        return ""
    path = PurePath(recorded)
    if path.name != f"{item}.py":  # one file of another name
        return f" --submission {_quote(recorded)}"
    folder = str(path.parent)
    return "" if folder == DEFAULT_FOLDER else f" --submission {_quote(folder)}"


def _quote(path: str) -> str:
    return shlex.quote(path)


def _command(item: str, submission: str = "") -> str:
    if item.startswith(QUIZ_PREFIX):
        return f"dlgrade quiz take {item[len(QUIZ_PREFIX):]}"
    return f"dlgrade check {item}{where_from(item, submission)}"


def suggestions(items: list[ItemProgress]) -> list[Suggestion]:
    """What to try next.

    The unfinished item closest to done, its easiest case first; then exercises not
    started yet, in course order.
    """
    going = sorted((i for i in items if i.status == "in_progress"),
                   key=lambda i: (i.max_score - i.best, i.max_score))
    out = []
    for item in going:
        case = min(item.failing, key=_ease, default=None)
        out.append(Suggestion(item=item.id, case=case.name if case else None, diagnosis=case.diagnosis
                              if case else "", command=_command(item.id, item.submission)))
    # an exercise not started yet is where the student works on the others
    dated = [(i.last_time, i.submission) for i in items
             if i.group == "exercise" and i.submission.endswith(".py") and i.last_time is not None]
    folder = str(PurePath(max(dated)[1]).parent) if dated else ""
    out += [Suggestion(item=i.id, case=None, diagnosis="",
                       command=_command(i.id, f"{folder}/{i.id}.py" if folder else ""))
            for i in items if i.status == "not_started" and i.group == "exercise"]
    return out[:MAX_NEXT]


def build(attempts: list[Attempt], exercises: tuple[str, ...] | None = None, lang: Lang = "en") -> Progress:
    """Progress over every exercise of the registry (tried or not) and every quiz tried.

    Exercise titles are in ``lang``, whatever language an attempt was recorded in; the
    grading messages recorded in English are translated phrase by phrase (a known
    mistake's name stays in the language it was recorded in).
    """
    by_item: dict[str, list[Attempt]] = {}
    for a in attempts:
        by_item.setdefault(a.exercise, []).append(a)
    ids = registry.available() if exercises is None else exercises
    rows = []
    for ex_id in ids:
        ex = registry.load(ex_id)
        row = item_progress(ex_id, ex.title, "exercise", ex.points, by_item.pop(ex_id, []))
        failing = [f.model_copy(update={"diagnosis": message(f.diagnosis, lang)}) for f in row.failing]
        title = exercise_title(ex_id, ex.title, lang)
        rows.append(row.model_copy(update={"title": title, "failing": failing}))
    quizzes = [item_progress(q, q[len(QUIZ_PREFIX):], "quiz", None, by_item.pop(q))
               for q in sorted(k for k in by_item if k.startswith(QUIZ_PREFIX))]
    # exercises this grader no longer ships (renamed, older release) still count as history
    rows += [item_progress(k, k, "exercise", None, v) for k, v in sorted(by_item.items())]
    return Progress(exercises=rows, quizzes=quizzes, next=suggestions(rows + quizzes),
                    attempts=len(attempts))
