"""Per-student numbers of parametrized questions, and question texts filled in.

Like grader/seeds.py: ``HMAC-SHA256(secret, "quiz/question/param/student")``
picks each parameter's value, so every student gets their own numbers and the
grader can re-derive them from the student id alone. The digest indexes the
list of options directly (no RNG), so variants never change across Python
versions. The secret defaults to a public constant; an instructor who sets
``DLGRADE_QUIZ_SECRET`` must set it for making sheets and for grading alike.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from grader.quiz.models import Lang, Question

DEFAULT_SECRET = b"dlgrade-quiz"


def secret() -> bytes:
    """The secret per-student numbers are drawn with: ``$DLGRADE_QUIZ_SECRET`` or a fixed default."""
    env = os.environ.get("DLGRADE_QUIZ_SECRET", "")
    return env.encode() if env else DEFAULT_SECRET


def draw(quiz: str, question: Question, student: str, key: bytes | None = None) -> dict[str, float]:
    """The student's values of the question's params (empty if it has none)."""
    out = {}
    for name, param in question.params.items():
        options = param.options()
        msg = f"{quiz}/{question.id}/{name}/{student}".encode()
        digest = hmac.new(key or secret(), msg, hashlib.sha256).digest()
        out[name] = options[int.from_bytes(digest[:8], "little") % len(options)]
    return out


def fmt(x: float) -> str:
    """How a number reads in a question: 3.0 -> '3', 0.5 -> '0.5', 1e-08 -> '1e-08'.

    Exact integers are always written in full: 321126400.0 -> '321126400', never 3.21126e+08.
    """
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.10g}"


class Num(float):
    """A number filled into a question or explanation template.

    Format specs: none or ``g`` reads as :func:`fmt` (``100``, not ``100.0``);
    ``p`` does the same but puts a negative number in parentheses, for a number
    after an operator or before a power (``1 - (-2)``, ``(-2)²``); any other
    spec (``.4f``) formats the float as usual.
    """

    def __format__(self, spec: str) -> str:
        if spec in ("", "g"):
            return fmt(self)
        if spec == "p":
            return f"({fmt(self)})" if self < 0 else fmt(self)
        return float.__format__(float(self), spec)


class Slot(str):
    """A placeholder shown instead of a number (``⟨x⟩``); it ignores format specs."""

    def __format__(self, spec: str) -> str:
        return str(self)


def fields(params: dict[str, float]) -> dict[str, Num]:
    """Template fields of the drawn params."""
    return {k: Num(v) for k, v in params.items()}


def render(question: Question, params: dict[str, float], lang: Lang) -> str:
    """The question's text in ``lang`` with the drawn numbers filled in."""
    return question.text(lang).format_map(fields(params))


def variants(quiz: str, question: Question, count: int) -> list[dict[str, float]]:
    """Up to ``count`` distinct parameter sets, for exports (one per LMS variant)."""
    seen: list[dict[str, float]] = []
    for i in range(count * 20):
        params = draw(quiz, question, f"#variant-{i}")
        if params not in seen:
            seen.append(params)
        if len(seen) == count:
            break
    return seen
