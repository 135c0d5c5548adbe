"""A student's variant of a quiz as something to fill in.

A TOML answer file, a Markdown sheet (ending with that file) or a Jupyter
notebook. Questions only: nothing here reads the answer key.
"""

from __future__ import annotations

import json
from typing import Any, cast

import nbformat
from nbformat import NotebookNode

from grader.quiz.draw import Slot, draw, fmt, render
from grader.quiz.models import Lang, Question, Quiz

HOW = {
    "en": ("Numbers: 0.75, 3/4, 7.5e-1 and 75% all work. Choices: the letter, e.g. b; "
           "several letters for select-all questions, e.g. a, c."),
    "zh": "数值可写 0.75、3/4、7.5e-1 或 75%。选择题填字母，如 b；多选题填多个字母，如 a, c。",
}
KIND = {"en": {"single": "one answer", "multiple": "select all that apply", "numeric": "number"},
        "zh": {"single": "单选", "multiple": "多选", "numeric": "数值"}}


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _ranges(q: Question) -> list[str]:
    out = []
    for name, p in q.params.items():
        opts = p.options()
        shown = ", ".join(fmt(v) for v in opts) if len(opts) <= 8 else \
            f"{fmt(opts[0])}, {fmt(opts[1])}, ..., {fmt(opts[-1])}"
        out.append(f"⟨{name}⟩ ∈ {{{shown}}}")
    return out


def question_lines(quiz: Quiz, q: Question, student: str, lang: Lang,
                   placeholders: bool = False) -> list[str]:
    """The question as the student sees it: text, lettered choices, tolerance.

    With ``placeholders`` the per-student numbers show as ⟨name⟩ and their ranges.
    """
    if placeholders:
        lines = [q.text(lang).format_map({k: Slot(f"⟨{k}⟩") for k in q.params}), *_ranges(q)]
    else:
        lines = [render(q, draw(quiz.id, q, student), lang)]
    lines += [f"({k}) {c(lang)}" for k, c in zip(q.keys, q.choices, strict=True)]
    hint = KIND[lang][q.kind]
    if q.kind == "numeric":
        hint += ", " + q.tolerance.describe(lang)
    pts = f"{q.points:g} pt" if lang == "en" else f"{q.points:g} 分"
    lines.append(f"[{hint}; {pts}]")
    return lines


def answer_file(quiz: Quiz, student: str, lang: Lang, filled: dict[str, str] | None = None) -> str:
    """A TOML answer file; ``filled`` pre-fills answers (the terminal flow saves them so)."""
    out = [f"# dlgrade quiz answers. {HOW[lang]}",
           "# Grade with: dlgrade quiz grade <this file>",
           f"quiz = {_toml_str(quiz.id)}", f"student = {_toml_str(student)}", f"lang = {_toml_str(lang)}",
           "", "[answers]"]
    for n, q in enumerate(quiz.questions, 1):
        text = " / ".join(question_lines(quiz, q, student, lang)).replace("\n", " ")
        out.append(f"# {n}. {text}")
        out.append(f"{q.id} = {_toml_str((filled or {}).get(q.id, ''))}")
    return "\n".join(out) + "\n"


def markdown(quiz: Quiz, student: str, lang: Lang, placeholders: bool = False) -> str:
    """The sheet in Markdown; with ``placeholders``, one for the whole class."""
    head = "Student" if lang == "en" else "学生"
    out = [f"# {quiz.title(lang)} (`{quiz.id}`)", "", f"{head}: `{student}`", "", HOW[lang], ""]
    for n, q in enumerate(quiz.questions, 1):
        text, *rest = question_lines(quiz, q, student, lang, placeholders)
        out.append(f"**{n}. `{q.id}`** {text}")
        if rest[:-1]:
            out += ["", *(f"- {line}" for line in rest[:-1])]
        out += ["", f"*{rest[-1]}*", ""]
    if placeholders:
        own = (f"⟨…⟩ are your own numbers: run `dlgrade quiz sheet {quiz.id} --student YOUR-ID`."
               if lang == "en" else
               f"⟨…⟩ 为每位学生不同的数值：运行 `dlgrade quiz sheet {quiz.id} --student 学号`。")
        return "\n".join([*out, own, ""])
    title = "Your answers" if lang == "en" else "你的答案"
    save = ("Save this block as `answers.toml`, fill it in, and run `dlgrade quiz grade answers.toml`."
            if lang == "en" else
            "把下面的内容存为 `answers.toml`，填写后运行 `dlgrade quiz grade answers.toml`。")
    out += [f"## {title}", "", save, "", "```toml", answer_file(quiz, student, lang).rstrip(), "```", ""]
    return "\n".join(out)


def notebook(quiz: Quiz, student: str, lang: Lang) -> NotebookNode:
    """Markdown cells for the questions, an empty raw cell after each for the answer."""
    nbf: Any = nbformat.v4  # untyped
    fill = ("Type each answer in the raw cell below its question, save, and run "
            "`dlgrade quiz grade` on this notebook." if lang == "en"
            else "在每道题下方的 raw 单元格中填写答案，保存后对本 notebook 运行 `dlgrade quiz grade`。")
    cells = [nbf.new_markdown_cell(f"# {quiz.title(lang)} (`{quiz.id}`)\n\n"
                                   f"`{student}`\n\n{HOW[lang]}\n\n{fill}")]
    for n, q in enumerate(quiz.questions, 1):
        text, *rest = question_lines(quiz, q, student, lang)
        body = "\n".join([f"**{n}.** {text}", ""] + [f"- {r}" for r in rest[:-1]] + ["", f"*{rest[-1]}*"])
        cells.append(nbf.new_markdown_cell(body))
        cells.append(nbf.new_raw_cell("", metadata={"dlgrade": {"question": q.id}, "tags": ["answer"]}))
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["dlgrade"] = {"quiz": quiz.id, "student": student, "lang": lang}
    return cast(NotebookNode, nb)
