"""The class report in a real headless Chromium (Debian's ``chromium`` + playwright):
skipped locally when either is missing, a failure in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import reference
from tests.support.browser import browser_page, chromium_or_skip
from tests.support.class_helpers import HARD_CODED_DISTANCES, invoke, knn_manifest, small_class

pytestmark = pytest.mark.slow  # real releases, classes, kernels or browsers


def test_class_report_in_a_real_headless_chromium(tmp_path: Path) -> None:
    chromium_or_skip()  # before the grading work
    subs = tmp_path / "subs"
    made = small_class(subs, 6)
    fake = reference("knn") + HARD_CODED_DISTANCES
    for sid in ("copy_a", "copy_b"):
        (subs / sid).mkdir()
        (subs / sid / "knn.py").write_text(fake)
    report = tmp_path / "class.html"
    code, out = invoke("grade", str(subs), "--out", str(tmp_path / "r"), "--manifest",
                       str(knn_manifest(tmp_path / "m.json")), "--jobs", "2", "--secret", "s",
                       "--allow-unisolated", "--report", str(report))
    assert code == 0, out
    with browser_page(tmp_path / "profile", java_script_enabled=False) as browser:
        page = browser.page
        page.goto(report.as_uri(), wait_until="load")
        chart = page.locator("figure.histogram svg").first.bounding_box()
        assert chart is not None and chart["width"] > 150 and chart["height"] > 60, chart
        heights = [float(b.get_attribute("height") or 0) for b in page.locator("rect.bar").all()]
        assert len(heights) == 10 and max(heights) > 50  # the tallest bar really is drawn
        mistakes = page.locator("tr.mistake")
        named = {m.get_attribute("data-mistake") for m in mistakes.all()}
        # the copied distances may look like a known mistake too: the generator's ones must be there
        assert {v.split("/")[1] for v in made.values() if v.startswith("mistake")} <= named
        assert mistakes.first.is_visible()
        shared = page.locator("tr.shared")
        assert shared.count() == 1 and "copy_a, copy_b" in shared.inner_text()
        assert page.locator("#isolation").is_visible()
        page.screenshot(path=str(tmp_path / "class-report.png"), full_page=True)
    assert browser.errors == [] and browser.remote == []
    assert (tmp_path / "class-report.png").stat().st_size > 10_000
