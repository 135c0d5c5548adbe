"""Moodle's GIFT text format."""

from __future__ import annotations

from grader.quiz.draw import fmt
from grader.quiz.export.items import Item, fractions
from grader.quiz.models import Lang, Quiz

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped, on one line."""
    return "".join("\\" + c if c in SPECIAL else c for c in text).replace("\n", " ")


def _answers(item: Item, v_index: int) -> str:
    v = item.variants[v_index]
    if v.value is not None:
        return f"{{#{fmt(v.value)}:{fmt(v.tolerance)}####{escape(v.feedback)}}}"
    if item.question.kind == "single":
        opts = [("=" if ok else "~") + escape(text) for text, ok in v.choices]
    else:
        opts = [f"~%{fmt(f)}%{escape(text)}" for (text, _), f in zip(v.choices, fractions(v.choices),
                                                                       strict=True)]
    return "{\n  " + "\n  ".join(opts) + f"\n  ####{escape(v.feedback)}\n}}"


def gift(quiz: Quiz, items: list[Item], lang: Lang) -> str:
    """The quiz as GIFT text: one category per quiz and per randomized question."""
    base = f"$course$/top/dlgrade/{quiz.id}"
    out = [f"// {quiz.title(lang)}: exported by dlgrade; randomized questions are categories of variants",
           f"$CATEGORY: {base}", ""]
    for item in items:
        if item.grouped:
            out += [f"$CATEGORY: {base}/{item.question.id}", ""]
        for i, v in enumerate(item.variants):
            out += [f"::{escape(v.name)}::[plain]{escape(v.text)}{_answers(item, i)}", ""]
        if item.grouped:
            out += [f"$CATEGORY: {base}", ""]
    return "\n".join(out)
