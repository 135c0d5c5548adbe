"""The instructor's class report.

One self-contained HTML page (inline CSS and SVG, no scripts) rendered from a
gradebook with a jinja2 template.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from grader.grade.gradebook import Gradebook
from grader.grade.suspicious import SharedOutputs, identical_hidden_outputs
from grader.render.templates import render as render_template

BINS = 10
TOP_CASES = 12


@dataclass(frozen=True)
class Histogram:
    """The distribution of one exercise's scores over the class."""

    exercise: str
    title: str
    max_points: float
    counts: list[int]  # BINS bins of the score fraction; the last includes full marks
    mean: float
    full_marks: int


@dataclass(frozen=True)
class HardCase:
    """A case many students failed: its verdicts and the known mistakes behind them."""

    exercise: str
    case: str
    description: str
    visibility: str
    failed: int
    verdicts: list[tuple[str, int]]
    mistakes: list[tuple[str, str, int]]  # (id, title, students)


@dataclass(frozen=True)
class MistakeCount:
    """How many students made one known mistake."""

    exercise: str
    id: str
    title: str
    hint: str
    students: int


@dataclass
class ClassReport:
    """The data of the class report page."""

    title: str
    students: int
    isolated: bool
    isolation: str
    per_student_variants: bool
    histograms: list[Histogram] = field(default_factory=list)
    hard_cases: list[HardCase] = field(default_factory=list)
    mistakes: list[MistakeCount] = field(default_factory=list)
    shared: list[SharedOutputs] = field(default_factory=list)
    warnings: list[tuple[str, list[str]]] = field(default_factory=list)
    not_isolated: list[str] = field(default_factory=list)


def _histogram(book: Gradebook, ex_id: str, max_points: float) -> Histogram:
    counts = [0] * BINS
    scores = [r.points.get(ex_id, 0.0) for r in book.students]
    for s in scores:
        frac = s / max_points if max_points else 0.0
        counts[min(BINS - 1, int(frac * BINS))] += 1
    title = next((e.title for r in book.students for e in r.exercises if e.exercise == ex_id), ex_id)
    return Histogram(ex_id, title, max_points, counts, sum(scores) / len(scores) if scores else 0.0,
                     sum(abs(s - max_points) < 1e-9 for s in scores))


def _cases(book: Gradebook) -> tuple[list[HardCase], list[MistakeCount]]:
    failed: Counter[tuple[str, str]] = Counter()
    verdicts: dict[tuple[str, str], Counter[str]] = {}
    mistakes: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
    described: dict[tuple[str, str], tuple[str, str]] = {}
    per_exercise: dict[tuple[str, str], set[str]] = {}
    known: dict[tuple[str, str], tuple[str, str]] = {}
    for r in book.students:
        for ex in r.exercises:
            for c in ex.cases:
                key = (ex.exercise, c.name)
                described[key] = (c.description, c.visibility)
                if c.passed:
                    continue
                failed[key] += 1
                verdicts.setdefault(key, Counter())[c.verdict.value] += 1
                if c.mistake:
                    mistakes.setdefault(key, Counter())[(c.mistake.id, c.mistake.title)] += 1
                    per_exercise.setdefault((ex.exercise, c.mistake.id), set()).add(r.student.id)
                    known[(ex.exercise, c.mistake.id)] = (c.mistake.title, c.mistake.hint)
    hard = [HardCase(ex, case, *described[(ex, case)], n, verdicts[(ex, case)].most_common(),
                     [(m, t, k) for (m, t), k in mistakes.get((ex, case), Counter()).most_common()])
            for (ex, case), n in failed.most_common(TOP_CASES)]
    counts = sorted((MistakeCount(ex, m, *known[(ex, m)], len(ids)) for (ex, m), ids in per_exercise.items()),
                    key=lambda x: (-x.students, x.exercise, x.id))
    return hard, counts


def build(book: Gradebook) -> ClassReport:
    """The class report's data from a gradebook."""
    run = book.run
    varied = bool(run.secret_fingerprint) and run.hidden
    report = ClassReport(title=run.manifest.title, students=len(book.students), isolated=run.isolated,
                         isolation=run.isolation, per_student_variants=varied)
    report.histograms = [_histogram(book, e.id, e.points) for e in run.manifest.exercises]
    report.hard_cases, report.mistakes = _cases(book)
    report.shared = identical_hidden_outputs(book.students) if varied else []
    report.warnings = [(r.student.id, r.warnings) for r in book.students if r.warnings]
    report.not_isolated = [r.student.id for r in book.students if not r.isolated]
    return report


def render(book: Gradebook) -> str:
    """The class report of ``book`` as one HTML page."""
    return render_template("class_report.html.j2",r=build(book), bins=BINS)
