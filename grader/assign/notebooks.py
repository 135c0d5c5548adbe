# mypy: disable-error-code="no-untyped-call"
"""Building the student notebook of an exercise with nbformat.

Cells, with fixed ids so a regenerated notebook is byte-identical: the
introduction (from ``data/intros.toml``, drawn from the course notes), how to
work, the stub in a code cell tagged ``solution-<id>``, and a check cell
that grades that code in the sandbox (``grader.check.notebook``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

import nbformat

from grader.engine import registry
from grader.render.templates import environment
from grader.submission.notebooks import solution_tag

Lang = Literal["en", "zh"]
GRADER_DATA = Path(__file__).parent.parent / "data"


@cache
def intros() -> dict[str, Any]:
    """The exercise introductions of ``data/intros.toml``, by exercise id (read once)."""
    with (GRADER_DATA / "intros.toml").open("rb") as fh:
        return tomllib.load(fh)


def intro(exercise: str, lang: Lang) -> str:
    """The introduction of an exercise in Markdown (English if no text exists in ``lang``)."""
    entry = intros().get(exercise)
    if entry is None:
        ex = registry.load(exercise)
        entry = {"source": "—", "en": {"title": ex.title, "concept": ex.teaches, "formula": "—",
                                       "example": "—", "shapes": "see the docstrings"}}
    text = entry.get(lang) or entry["en"]
    return environment().get_template("notebook_intro.md.j2").render(
        lang=lang if lang in entry else "en", t=text, id=exercise, source=entry["source"]).strip()


def check_code(exercise: str) -> str:
    """The code of a notebook's check cell for ``exercise``."""
    return f'from grader.check.notebook import check\n\ncheck("{exercise}")'


def build_notebook(exercise: str, stub: str, lang: Lang = "en") -> nbformat.NotebookNode:
    """An exercise as a notebook: introduction, how-to, the stub's solution cell, a check cell."""
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
        v4.new_markdown_cell(intro(exercise, lang), id=f"{exercise}-intro"),
        v4.new_markdown_cell(howto, id=f"{exercise}-howto"),
        v4.new_code_cell(stub.rstrip() + "\n", id=f"{exercise}-solution",
                         metadata={"tags": [tag], "dlgrade": {"role": "solution"}}),
        v4.new_code_cell(check_code(exercise), id=f"{exercise}-check",
                         metadata={"tags": [f"check-{exercise}"], "dlgrade": {"role": "check"}}),
    ]
    nbformat.validate(nb)
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
