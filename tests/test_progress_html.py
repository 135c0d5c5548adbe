"""The HTML progress report: a golden structure file, and a real headless Chromium."""

from __future__ import annotations

import os
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.progress.history import build, item_progress
from grader.progress.store import Store
from grader.render.labels import labels
from grader.render.progress_html import dom_id, render_html
from tests.support.browser import browser_page, chromium_or_skip
from tests.support.paths import ROOT
from tests.support.progress_helpers import filled_store

GOLDEN = Path(__file__).parent / "golden" / "progress_report.txt"
REGEN = "DLGRADE_REGEN_GOLDEN"
# times are local and change, tooltips hold times too, the footer names the grader version
SKIP_TEXT = {"time", "style", "title", "footer"}
VOID = {"meta", "link", "br", "img", "input", "hr"}  # HTML void tags; SVG ones close themselves


class Skeleton(HTMLParser):
    """Tags with their id and classes, indented by depth, plus visible text (no times, no paths)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = tag + (f"#{a['id']}" if a.get("id") else "") + "".join(
            f".{c}" for c in (a.get("class") or "").split())
        self.lines.append("  " * len(self.stack) + name)
        if tag not in VOID:
            skip = tag in SKIP_TEXT or "store" in (a.get("class") or "").split()
            self.stack.append((tag, skip or any(s for _, s in self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not any(s for _, s in self.stack):
            self.lines.append("  " * len(self.stack) + f'"{text}"')


def skeleton(html: str) -> str:
    parser = Skeleton()
    parser.feed(html)
    return "\n".join(parser.lines) + "\n"


def test_report_structure_matches_the_golden_file(tmp_path: Path) -> None:
    with Store(filled_store(tmp_path / "s.sqlite3")) as store:
        progress = build(store.attempts(), exercises=("knn",))
    fresh = item_progress("conv_new", "Convolution", "exercise", 20.0, [])  # shows the empty state
    progress = progress.model_copy(update={"exercises": [*progress.exercises, fresh]})
    got = skeleton(render_html(progress, labels("en"), "en", tmp_path / "s.sqlite3"))
    if os.environ.get(REGEN):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8"), f"rendered HTML changed; review, then {REGEN}=1"
    for item in ("ex-knn", "ex-linear_svm", "ex-conv_new", "quiz-quiz-conv_shapes", "chart-knn"):
        assert f"#{item}" in got  # the stable ids other tools and the browser test rely on


@pytest.mark.slow
def test_report_in_a_real_headless_chromium(tmp_path: Path) -> None:
    chromium_or_skip()
    store = filled_store(tmp_path / "s.sqlite3")
    reports = {lang: tmp_path / f"report-{lang}.html" for lang in ("en", "zh")}
    for lang, report in reports.items():
        args = ["progress", "--store", str(store), "--html", str(report), "--lang", lang]
        out = CliRunner().invoke(app, args)
        assert out.exit_code == 0, out.output
    with Store(store) as s:
        progress = build(s.attempts())
    items = progress.exercises + progress.quizzes
    ids = [f"{'quiz' if i.group == 'quiz' else 'ex'}-{dom_id(i.id)}" for i in items]
    shot = ROOT / "bench" / "out" / "progress-report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with browser_page(tmp_path / "profile") as browser:
        page = browser.page
        page.goto(reports["en"].as_uri(), wait_until="load")
        for item in ids:
            assert page.locator(f"#{item}").is_visible(), item
        for chart in ("chart-knn", "chart-completion", "chart-total"):
            box = page.locator(f"#{chart}").bounding_box()
            assert box is not None and box["width"] > 50 and box["height"] > 10, (chart, box)
        line = page.locator("#chart-knn polyline").bounding_box()
        assert line is not None and line["width"] > 50  # the line really spans four attempts
        page.screenshot(path=str(shot), full_page=True)
        page.goto(reports["zh"].as_uri(), wait_until="load")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("#title").inner_text() == "学习进度"
    assert browser.errors == [] and browser.remote == []
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    # the report only reads: the history is as it was
    assert sqlite3.connect(store).execute("SELECT count(*) FROM attempts").fetchone()[0] == 6
