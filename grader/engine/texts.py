"""The Chinese side of every text a student reads.

Titles, case descriptions, mistake titles and hints, and the phrases of grading messages.

English stays in the code. Chinese lives in catalogues keyed by stable ids:
``grader/data/zh.toml`` (public: exercise titles, what they teach, public case
descriptions), ``grader/data/messages.zh.toml`` (public: the phrases of grading messages,
verdict names) and ``solutions/instructor/zh.toml``
(instructor-only: hidden case descriptions, mistake titles and hints), which a
student release does not contain. A known mistake's Chinese reaches a release
only sealed with its fingerprint (:mod:`grader.engine.fingerprints`).
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any, Literal

from grader.errors import UsageError, did_you_mean
from grader.records import Diagnosis

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
ENV = "DLGRADE_LANG"
INSTRUCTOR_PACKAGE = "solutions.instructor"


def resolve_lang(value: str | None = None) -> Lang:
    """The language asked for: ``value`` (from --lang), else $DLGRADE_LANG, else English."""
    raw = (value or os.environ.get(ENV) or "en").strip().lower()
    raw = {"cn": "zh", "zh-cn": "zh", "zh_cn": "zh", "chinese": "zh", "english": "en"}.get(raw, raw)
    if raw not in LANGS:
        where = "--lang" if value else ENV
        raise UsageError(f"{where}: unknown language {raw!r}{did_you_mean(raw, LANGS)}; use en or zh")
    return raw


def _load(text: str) -> dict[str, Any]:
    import tomllib  # on first use: a check that passes in English never reads a catalogue

    return tomllib.loads(text)


def _data(*parts: str) -> str:
    """The text of the data file ``grader/<parts>``."""
    from importlib import resources

    path = resources.files("grader")
    for part in parts:
        path = path / part
    return path.read_text(encoding="utf-8")


@cache
def public() -> dict[str, Any]:
    """``grader/data/zh.toml``: exercise id -> {title, teaches, cases: {name: text}}."""
    return _load(_data("data", "zh.toml"))


@cache
def instructor() -> dict[str, Any]:
    """``solutions/instructor/zh.toml`` where installed, else empty (a student release)."""
    try:
        if importlib.util.find_spec(INSTRUCTOR_PACKAGE) is None:
            return {}
    except ModuleNotFoundError:
        return {}
    from importlib import resources

    path = resources.files(INSTRUCTOR_PACKAGE) / "zh.toml"
    return _load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def exercise_title(exercise: str, english: str, lang: Lang) -> str:
    """An exercise's title in ``lang`` (``english`` where the catalogue has none)."""
    return str(public().get(exercise, {}).get("title", english)) if lang == "zh" else english


def exercise_teaches(exercise: str, english: str, lang: Lang) -> str:
    """What an exercise teaches, in ``lang``."""
    return str(public().get(exercise, {}).get("teaches", english)) if lang == "zh" else english


def case_description(exercise: str, case: str, english: str, lang: Lang) -> str:
    """A case's description in ``lang``.

    Public cases come from the public catalogue, hidden ones from the instructor's.
    """
    if lang != "zh":
        return english
    for catalogue in (public(), instructor()):
        text = catalogue.get(exercise, {}).get("cases", {}).get(case)
        if text:
            return str(text)
    return english


def mistake_zh(exercise: str, mistake: str) -> tuple[str, str] | None:
    """(title, hint) in Chinese from the instructor catalogue, or None."""
    entry = instructor().get(exercise, {}).get("mistakes", {}).get(mistake)
    return (str(entry["title"]), str(entry["hint"])) if entry else None


# ---- grading messages --------------------------------------------------------------------------
# Phrase by phrase (grader/data/messages.zh.toml): each English phrase the grader writes, as a
# regex, and its Chinese. What no phrase matches (array names, numbers, a student's exception
# text) stays as it is.

CJK = r"[\u4e00-\u9fff]"  # compiled on first use (re caches it): compiling it costs a few ms
Phrase = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


@cache
def _messages() -> dict[str, Any]:
    return _load(_data("data", "messages.zh.toml"))


@cache
def phrases() -> tuple[Phrase, ...]:
    """The phrases of grading messages, compiled, in the catalogue's order."""
    signals: dict[str, str] = _messages()["signals"]

    def signal(m: re.Match[str]) -> str:
        return f"崩溃：被信号 {m[1]} 终止（{signals.get(m[2], m[2])}）"

    return tuple((re.compile(p["en"]), signal if p.get("signal") else str(p["zh"]))
                 for p in _messages()["phrase"])


def verdict_zh(verdict: str) -> str | None:
    """A verdict's name (``wrong_value``) in Chinese, or None."""
    found = _messages()["verdicts"].get(verdict)
    return str(found) if found else None


def message(text: str, lang: Lang) -> str:
    """A grading message in ``lang``, phrase by phrase."""
    if lang != "zh" or not text:
        return text
    whole = verdict_zh(text.replace(" ", "_"))
    if whole:  # a bare verdict, as a hidden case may say
        return whole
    for pattern, repl in phrases():
        text = pattern.sub(repl, text)
    return text.replace("; ", "；")


def with_zh(exercise: str, found: Diagnosis) -> Diagnosis:
    """``found`` with its Chinese filled in, where it has none yet.

    A known mistake's Chinese comes from the instructor catalogue (or arrived sealed
    with a release's fingerprint, already in ``found``); a structural signature's
    (:mod:`grader.engine.signatures`, public) is translated phrase by phrase.
    """
    if found.title_zh:
        return found
    zh = mistake_zh(exercise, found.id)
    if zh is None:
        title, hint = message(found.title, "zh"), message(found.hint, "zh")
        zh = (title, hint) if re.search(CJK, title) and re.search(CJK, hint) else None
    return replace(found, title_zh=zh[0], hint_zh=zh[1]) if zh else found
