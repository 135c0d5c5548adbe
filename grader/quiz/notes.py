"""Citing the course notes by title and section (``grader/data/notes.toml``).

A student knows the notes by their titles, not by the file names of the
course's copy, so feedback never shows a file name.
"""

from __future__ import annotations

import importlib.resources
import tomllib
from functools import cache

from grader.quiz.models import Lang, Source

WORDS = {"en": "Read: {title}, section “{section}”", "zh": "参见：{title}“{section}”一节"}


@cache
def titles() -> dict[str, dict[str, str]]:
    """Notes file -> {"en": title, "zh": title}."""
    path = importlib.resources.files("grader") / "data" / "notes.toml"
    return dict(tomllib.loads(path.read_text(encoding="utf-8")))


def title(file: str, lang: Lang) -> str:
    """The title of one notes file in ``lang`` (the file name only if the catalogue lacks it)."""
    entry = titles().get(file)
    return entry[lang] if entry else file


def quoted(file: str, lang: Lang) -> str:
    """The title in the quotation marks of ``lang``: “…” or 《…》."""
    return f"《{title(file, lang)}》" if lang == "zh" else f"“{title(file, lang)}”"


def cite(source: Source, lang: Lang) -> str:
    """“Read: <title>, section <section>” in ``lang``."""
    return WORDS[lang].format(title=quoted(source.file, lang), section=source.section)
