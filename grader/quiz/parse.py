"""Reading what a student typed.

Numbers (``3/4``, ``0.75``, ``7.5e-1``, ``75%``) and choice letters (``b``,
``(B)``, ``a, c``, ``ac``). Full-width characters (Chinese input methods) are
normalised first. Unparsable input raises :class:`ParseError`, whose message says
how to answer; it never costs an attempt.
"""

from __future__ import annotations

import re
import unicodedata

from grader.quiz.models import Question

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")
_SEPARATORS = re.compile(r"[\s,;/、]+")

Response = float | str | frozenset[str]


class ParseError(ValueError):
    """The input is not an answer of the right form (not a wrong answer)."""


def normalise(raw: str) -> str:
    """``raw`` with full-width characters, dashes and ``×10^`` normalised."""
    text = unicodedata.normalize("NFKC", raw).strip()
    return text.replace("−", "-").replace("–", "-").replace("×10^", "e").replace("x10^", "e")


def _decimal(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise ParseError(f"{text!r} is not a number; write e.g. 0.75, 3/4, 7.5e-1 or 75%")
    return float(text)


def parse_number(raw: str) -> float:
    """A typed number: decimal, fraction, scientific or percent.

    Raises:
        ParseError: The text is not a number (the message says how to write one).
    """
    text = normalise(raw).lower().replace(" ", "")
    if not text:
        raise ParseError("empty answer; type a number, e.g. 0.75 or 3/4")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", text):
        raise ParseError(f"{raw.strip()!r}: write numbers without thousands separators, e.g. 1000")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    if text.count("/") == 1:
        num, den = (_decimal(part) for part in text.split("/"))
        if den == 0:
            raise ParseError(f"{raw.strip()!r} divides by zero")
        return num / den * scale
    return _decimal(text) * scale


def _letters(raw: str, keys: list[str]) -> list[str]:
    text = normalise(raw).lower()
    text = re.sub(r"[()\[\].]", " ", text).strip()
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha() and set(parts[0]) <= set(keys):
        parts = list(parts[0])  # "ac"
    bad = [p for p in parts if p not in keys]
    if not parts or bad:
        shown = ", ".join(keys)
        raise ParseError(f"{raw.strip()!r} is not a choice; answer with the letter(s) {shown}")
    return parts


def parse_response(question: Question, raw: str) -> Response:
    """The typed answer as a number, one letter, or a set of letters."""
    if question.kind == "numeric":
        return parse_number(raw)
    letters = _letters(raw, question.keys)
    if question.kind == "single":
        if len(letters) != 1:
            raise ParseError(f"{raw.strip()!r}: choose exactly one letter of {', '.join(question.keys)}")
        return letters[0]
    return frozenset(letters)
