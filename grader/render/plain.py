"""The ``dlgrade check`` report in the terminal without rich.

A boxed table per exercise and a summary line, in colour only on a terminal.

The same content as ``grader.render.terminal`` (which quiz and notebook reports
still use), for a fraction of the import time: ``check`` is the command students
run most, and its time is dominated by what it imports.
"""

from __future__ import annotations

import os
import sys
import textwrap
import unicodedata
from typing import IO, Any

from grader.engine.texts import Lang
from grader.records import CaseResult, ExerciseResult, RunResult, Verdict
from grader.render.language import WORDS, points, verdict_label

STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33",
          "bold red": "1;31", "bold green": "1;32", "bold yellow": "1;33"}
Cell = list[tuple[str, str]]  # lines of (text, style)


def colour_wanted(stream: IO[str]) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set or ``TERM`` is ``dumb`` (as rich decides)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def width_of(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)], "?")


def _clean(text: str) -> str:
    """No terminal control sequences from a submission reach the screen."""
    return text.translate(CONTROL)


def _paint(text: str, style: str, colour: bool) -> str:
    return f"\x1b[{STYLES[style]}m{text}\x1b[0m" if colour and style and text else text


def _wrap(text: str, width: int) -> list[str]:
    """Fold ``text`` into lines of at most ``width`` columns (long words are split)."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        if width_of(line) <= width:
            out.append(line)
            continue
        for piece in textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False):
            while width_of(piece) > width:  # wide characters: cut by columns
                cut = 1
                while cut < len(piece) and width_of(piece[:cut + 1]) <= width:
                    cut += 1
                out.append(piece[:cut])
                piece = piece[cut:]
            out.append(piece)
    return out


def _explain(case: CaseResult, seen: set[str], w: dict[str, str]) -> Cell:
    """What is wrong; a known mistake's hint is spelled out once per exercise."""
    lines: Cell = [(_clean(case.message), "")] if case.message else []
    if case.mistake and case.mistake.id in seen:
        lines.append((w["named_again"].format(title=case.mistake.title), "yellow"))
    elif case.mistake:
        seen.add(case.mistake.id)
        lines.append((w["named"].format(title=case.mistake.title), "yellow"))
        lines.append((w["hint"].format(hint=case.mistake.hint), "dim"))
    if case.stdout.strip() and not case.passed:
        tail = case.stdout.strip().splitlines()[-3:]
        lines.append((w["printed"].format(text=_clean(" | ".join(tail))[:300]), "dim"))
    return lines


def _row(case: CaseResult, seen: set[str], lang: Lang) -> list[Cell]:
    w = WORDS[lang]
    name = case.name + (f" ({w['hidden']})" if case.visibility == "hidden" else "")
    verdict = (f"✔ {w['pass']}", "green") if case.passed else (
        f"✘ {verdict_label(case.verdict.value, lang)}", "red")
    return [[(name, "")], [verdict], [(f"{points(case.points)}/{points(case.max_points)}", "")],
            _explain(case, seen, w)]


def exercise_lines(result: ExerciseResult, columns: int, colour: bool, lang: Lang = "en") -> list[str]:
    """One exercise as a boxed table of its cases in ``lang``, folded to ``columns``."""
    seen: set[str] = set()
    w = WORDS[lang]
    head: list[Cell] = [[(w["case"], "bold")], [("", "")], [(w["pts"], "bold")], [(w["wrong"], "bold")]]
    rows = [_row(c, seen, lang) for c in result.cases]
    widths = [max(width_of(text) for row in [head, *rows] for text, _ in row[i] or [("", "")])
              for i in range(4)]
    widths[3] = max(13, min(widths[3], columns - sum(widths[:3]) - 13))
    rows = [[*row[:3], [(piece, style) for text, style in row[3] for piece in _wrap(text, widths[3])]]
            for row in rows]
    mark = "green" if result.passed else ("yellow" if result.score else "red")
    title = (_paint(result.exercise, "bold", colour) + f" — {result.title}   "
             + _paint(f"{points(result.score)}/{points(result.max_score)}", mark, colour))

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def line(row: list[Cell], sep: str) -> list[str]:
        height = max(1, *(len(cell) for cell in row))
        out = []
        for i in range(height):
            parts = []
            for j, cell in enumerate(row):
                text, style = cell[i] if i < len(cell) else ("", "")
                pad = " " * (widths[j] - width_of(text))
                parts.append(" " + (pad + _paint(text, style, colour) if j == 2
                                    else _paint(text, style, colour) + pad) + " ")
            out.append(sep + sep.join(parts) + sep)
        return out

    return [title, rule("┏", "┳", "┓", "━"), *line(head, "┃"), rule("┡", "╇", "┩", "━"),
            *[text for row in rows for text in line(row, "│")], rule("└", "┴", "┘", "─")]


def summary_lines(run: RunResult, colour: bool, lang: Lang = "en") -> list[str]:
    """The closing lines: all passed, not started, or some failed; isolation and numpy notes."""
    w = WORDS[lang]
    failed = sum(1 for e in run.exercises for c in e.cases if not c.passed)
    total = sum(len(e.cases) for e in run.exercises)
    if total == 0:
        return [_paint(w["nothing"], "yellow", colour)]
    stubs = all(c.verdict is Verdict.NOT_IMPLEMENTED for e in run.exercises for c in e.cases)
    summary = w["summary"].format(score=points(run.score), max=points(run.max_score),
                                  passed=total - failed, total=total)
    if failed == 0:
        out = [_paint(f"{w['all_passed']}:", "bold green", colour) + f" {summary}"]
    elif stubs:
        out = [_paint(f"{w['not_started']}:", "bold yellow", colour) + f" {summary}. {w['start_hint']}"]
    else:
        out = [_paint(f"{w['some_failed']}:", "bold red", colour) + f" {summary}"]
    if run.exercises and not run.exercises[0].isolated:
        out.append(_paint(w["not_isolated"], "dim", colour))
    numpys = sorted({e.numpy_version for e in run.exercises if e.numpy_version})
    if numpys:  # the same code can behave differently under numpy 1.26 and 2.x
        out.append(_paint(w["numpy"].format(versions=", ".join(numpys)), "dim", colour))
    return out


def print_run(run: RunResult, stream: Any = None, lang: Lang = "en") -> None:
    """Print ``run`` in ``lang`` to ``stream`` (standard output by default)."""
    stream = stream or sys.stdout
    colour = colour_wanted(stream)
    columns = int(os.environ.get("COLUMNS", "0") or 0) or 80
    if colour:  # a terminal: its width (shutil only here, it imports bz2 and lzma)
        import shutil

        columns = shutil.get_terminal_size((80, 24)).columns
    lines = [text for result in run.exercises for text in exercise_lines(result, columns, colour, lang)]
    stream.write("\n".join([*lines, *summary_lines(run, colour, lang)]) + "\n")
    stream.flush()
