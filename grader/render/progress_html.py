"""``dlgrade progress --html``: chart geometry here, all markup in templates/progress.html.j2."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from grader import __version__
from grader.progress.history import ItemProgress, ItemStatus, Progress
from grader.render.labels import local_time, pts
from grader.render.templates import environment

CHART_W, CHART_H = 300.0, 112.0
PAD_X, PAD_TOP, PAD_BOTTOM = 16.0, 14.0, 22.0  # room for the attempt numbers under the axis
MAX_TICKS = 12
RING_R = 52.0


@dataclass(frozen=True)
class Dot:
    """One attempt on a chart: position, pass mark, tooltip, axis label."""

    x: float
    y: float
    passed: bool
    tip: str
    tick: str  # the attempt number under the axis ("" when there are too many)


@dataclass(frozen=True)
class Chart:
    """A score-over-attempts line: polyline and area in SVG user units."""

    line: str
    area: str
    dots: list[Dot]
    top: float
    bottom: float
    last: str  # the latest score, written beside the last dot


@dataclass(frozen=True)
class Segment:
    """One item's share of the whole assignment bar, in percent of its width."""

    id: str
    x: float
    width: float
    filled: float
    status: ItemStatus
    tip: str


def dom_id(item: str) -> str:
    """A stable element id: ``knn`` → ``knn``, ``quiz:basics`` → ``quiz-basics``."""
    return re.sub(r"[^a-z0-9_-]+", "-", item.lower()).strip("-") or "item"


def chart(item: ItemProgress) -> Chart | None:
    """An item's score-over-attempts chart; None before the first attempt."""
    hist = item.history
    if not hist:
        return None
    span_x, bottom = CHART_W - 2 * PAD_X, CHART_H - PAD_BOTTOM
    coords = []
    for n, p in enumerate(hist):
        x = PAD_X + (span_x * n / (len(hist) - 1) if len(hist) > 1 else span_x / 2)
        frac = p.score / p.max_score if p.max_score else 0.0
        coords.append((round(x, 1), round(PAD_TOP + (1 - frac) * (bottom - PAD_TOP), 1), frac >= 1.0, p))
    line = " ".join(f"{x},{y}" for x, y, _, _ in coords)
    area = f"{coords[0][0]},{bottom} {line} {coords[-1][0]},{bottom}"
    every = math.ceil(len(hist) / MAX_TICKS)
    dots = [Dot(x, y, ok, f"#{p.attempt} · {pts(p.score)}/{pts(p.max_score)} · {local_time(p.time)}",
                str(p.attempt) if (p.attempt - 1) % every == 0 or p is hist[-1] else "")
            for x, y, ok, p in coords]
    return Chart(line=line, area=area, dots=dots, top=PAD_TOP, bottom=bottom,
                 last=f"{pts(hist[-1].score)}/{pts(hist[-1].max_score)}")


def segments(items: list[ItemProgress]) -> list[Segment]:
    """The total bar: one segment per item, wide by its points and filled by its best score."""
    total = sum(i.max_score for i in items) or 1.0
    out, x = [], 0.0
    for i in items:
        width = 100.0 * i.max_score / total
        filled = width * (i.best / i.max_score if i.max_score else 0.0)
        out.append(Segment(dom_id(i.id), round(x, 3), round(width, 3), round(filled, 3), i.status,
                           f"{i.id}: {pts(i.best)}/{pts(i.max_score)}"))
        x += width
    return out


def _env() -> jinja2.Environment:
    env = environment().overlay(trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pts=pts, local_time=local_time, dom_id=dom_id)
    return env


def render_html(progress: Progress, lab: dict[str, str], lang: str, store: Path,
                generated: datetime | None = None) -> str:
    """The progress page: one self-contained HTML document."""
    circumference = 2 * math.pi * RING_R
    items = progress.exercises + progress.quizzes
    return _env().get_template("progress.html.j2").render(
        p=progress, lab=lab, lang=lang, store=str(store), version=__version__,
        generated=local_time(generated or datetime.now(UTC)),
        charts={i.id: chart(i) for i in items}, segments=segments(items),
        ring={"r": RING_R, "c": round(circumference, 2),
              "dash": round(circumference * progress.completion, 2)},
        chart_size={"w": CHART_W, "h": CHART_H},
    )
