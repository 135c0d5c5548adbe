"""A real headless Chromium for the HTML reports (Debian's ``chromium`` driven by
playwright): skipped locally when either is missing, a failure in CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# As root on a machine with no network but the package registries: no sandbox, and no
# background connections (they would be refused by the dozen and flood the console).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        message = "no chromium + playwright: apt-get install chromium; pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Page:
    page: Any  # playwright's Page
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    remote: list[str] = field(default_factory=list)  # requests that left the file


@contextmanager
def browser_page(profile: Path, **options: Any) -> Iterator[Page]:
    """A fresh page in a fresh profile, recording console errors and remote requests."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=FLAGS,
            viewport={"width": 1200, "height": 900}, **options)
        try:
            page = Page(ctx.new_page())
            page.page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
            page.page.on("pageerror", lambda e: page.errors.append(str(e)))
            page.page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                         else page.remote.append(r.url))
            yield page
        finally:
            ctx.close()
