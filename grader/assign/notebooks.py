# mypy: disable-error-code="no-untyped-call"
"""Building the student notebook of an exercise with nbformat.

Cells, with fixed ids so a regenerated notebook is byte-identical: a setup
cell that finds or installs the grader (so the notebook works opened alone, as on
Colab), the introduction (from ``data/intros.toml``, drawn from the course notes), how to
work, the stub in a code cell tagged ``solution-<id>``, and a check cell
that grades that code in the sandbox (``grader.check.notebook``).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

import nbformat

from grader.assign.wheel import wheel_name
from grader.engine import registry
from grader.quiz import notes
from grader.render.templates import environment, render
from grader.submission.notebooks import solution_tag

Lang = Literal["en", "zh"]
GRADER_DATA = Path(__file__).parent.parent / "data"
NOTES_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


@cache
def intros() -> dict[str, Any]:
    """The exercise introductions of ``data/intros.toml``, by exercise id (read once)."""
    with (GRADER_DATA / "intros.toml").open("rb") as fh:
        return tomllib.load(fh)


def intro(exercise: str, lang: Lang) -> str:
    """The introduction of an exercise in Markdown (English if no text exists in ``lang``)."""
    entry = registry.pack_intro(exercise) or intros().get(exercise)
    if entry is None:
        ex = registry.load(exercise)
        entry = {"source": "—", "en": {"title": ex.title, "concept": ex.teaches, "formula": "—",
                                       "example": "—", "shapes": "see the docstrings"}}
    text = entry.get(lang) or entry["en"]
    shown = lang if lang in entry else "en"
    # Students know the notes by title: "002_….txt, 一、4 K近邻算法" reads "《深度学习…》 一、4 K近邻算法".
    source = NOTES_FILE.sub(lambda m: notes.quoted(m[0], shown), entry["source"])
    return environment().get_template("notebook_intro.md.j2").render(
        lang=shown, t=text, id=exercise, source=source).strip()


def check_code(exercise: str, lang: Lang = "en") -> str:
    """The code of a notebook's check cell for ``exercise``, reporting in ``lang``."""
    arg = ', lang="zh"' if lang == "zh" else ""
    return f'from grader.check.notebook import check\n\ncheck("{exercise}"{arg})'


def setup_code(wheel_url: str = "") -> str:
    """The first cell: use the installed grader, else install the release's wheel (beside or by URL)."""
    return render("notebook_setup.py.j2", wheel=wheel_name(), wheel_url=wheel_url).strip()


def build_notebook(exercise: str, stub: str, lang: Lang = "en", wheel_url: str = "") -> nbformat.NotebookNode:
    """An exercise as a notebook: setup, introduction, how-to, the stub's solution cell, a check cell."""
    ex = registry.load(exercise)
    tag = solution_tag(exercise)
    howto = environment().get_template("notebook_howto.md.j2").render(
        lang=lang, tag=tag, id=exercise, functions=", ".join(f"`{f}`" for f in ex.functions)).strip()
    v4 = nbformat.v4
    nb: nbformat.NotebookNode = v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "dlgrade": {"exercise": exercise, "lang": lang},
    })
    nb.cells = [
        v4.new_code_cell(setup_code(wheel_url), id=f"{exercise}-setup",
                         metadata={"tags": ["setup"], "dlgrade": {"role": "setup"}}),
        v4.new_markdown_cell(intro(exercise, lang), id=f"{exercise}-intro"),
        v4.new_markdown_cell(howto, id=f"{exercise}-howto"),
        v4.new_code_cell(stub.rstrip() + "\n", id=f"{exercise}-solution",
                         metadata={"tags": [tag], "dlgrade": {"role": "solution"}}),
        v4.new_code_cell(check_code(exercise, lang), id=f"{exercise}-check",
                         metadata={"tags": [f"check-{exercise}"], "dlgrade": {"role": "check"}}),
    ]
    nbformat.validate(nb)
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
