"""Reading a student's solution out of a Jupyter notebook.

The code of an exercise lives in code cells tagged ``solution-<exercise>``
(cell metadata ``tags``; ``solution-max-pool`` and ``solution-max_pool`` are
the same tag). Cells are found by tag, never by position, so moving or
re-ordering cells does not matter. Copies: Jupyter keeps the tags when a cell
is copied, so every tagged code cell is used, joined in notebook order, the
way running the notebook top to bottom would define them: a later definition
of a function replaces an earlier one, exactly as in the kernel. IPython
magics (``%time``, ``!pip``) are commented out, keeping line numbers.

Only the text is read here; it is graded in the sandbox like a ``.py`` file.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

from grader.records import Verdict
from grader.submission.source import MAX_SOURCE_BYTES, Source, SourceProblem, decode_source

TAG_PREFIX = "solution-"
_MAGIC = re.compile(r"^(\s*)([%!])")


def solution_tag(exercise: str) -> str:
    """The cell tag that marks the student's code for ``exercise``."""
    return f"{TAG_PREFIX}{exercise}"


def _norm(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


def _cell_exercise(cell: dict[str, Any]) -> list[str]:
    """Exercise ids (normalised) this cell is tagged as a solution for."""
    tags = cell.get("metadata", {}).get("tags", [])
    if not isinstance(tags, list):
        return []
    return [_norm(t)[len(TAG_PREFIX):] for t in tags
            if isinstance(t, str) and _norm(t).startswith(TAG_PREFIX)]


def without_magics(text: str) -> str:
    """IPython magics and shell escapes commented out, line numbers kept."""
    return "\n".join(_MAGIC.sub(r"\1# \2", line) for line in text.splitlines())


def _cell_text(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return without_magics("".join(src) if isinstance(src, list) else str(src))


def load_cells(path: Path) -> list[dict[str, Any]] | SourceProblem:
    """The notebook's cells (any nbformat version 4 or 3), or why it is unreadable."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceProblem("", Verdict.MISSING_MODULE, f"cannot read {path}: {exc.strerror}")
    decoded = decode_source("", data, str(path))
    if isinstance(decoded, SourceProblem):
        return decoded
    try:
        raw = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return SourceProblem("", Verdict.BAD_SOURCE, f"{name} is not a valid notebook: broken JSON at "
                             f"line {exc.lineno} ({exc.msg}); re-download it or restore a checkpoint")
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw):
        return SourceProblem("", Verdict.BAD_SOURCE, f"{name} is JSON but not a Jupyter notebook "
                             "(no cells); save it from Jupyter as .ipynb")
    try:
        import nbformat

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cells = nbformat.convert(nbformat.from_dict(raw), 4)["cells"]  # type: ignore[no-untyped-call]
    except Exception as exc:
        return SourceProblem("", Verdict.BAD_SOURCE, f"{name} is not a valid notebook "
                             f"({type(exc).__name__}: {exc}); save it from Jupyter as .ipynb")
    if not isinstance(cells, list):
        return SourceProblem("", Verdict.BAD_SOURCE, f"{name} is not a valid notebook (no cell list)")
    return [dict(c) for c in cells if isinstance(c, dict)]


def tagged_exercises(path: Path) -> list[str]:
    """Exercise ids (as tagged, ``-`` turned to ``_``) with solution cells in the notebook."""
    cells = load_cells(path)
    if isinstance(cells, SourceProblem):
        return []
    found = [ex for c in cells if c.get("cell_type") == "code" for ex in _cell_exercise(c)]
    return list(dict.fromkeys(e.replace("-", "_") for e in found))


def read_notebook(path: Path, exercise: str) -> Source | SourceProblem:
    """The code of the cells tagged ``solution-<exercise>``, as a gradable source."""
    cells = load_cells(path)
    if isinstance(cells, SourceProblem):
        return SourceProblem(exercise, cells.verdict, cells.message)
    want = _norm(exercise)
    code = [c for c in cells if c.get("cell_type") == "code" and want in _cell_exercise(c)]
    if not code:
        others = tagged_exercises(path)
        hint = (f"; it has solution cells for {', '.join(others)}" if others
                else "; it has no tagged solution cells at all")
        return SourceProblem(exercise, Verdict.MISSING_MODULE,
                             f"no code cell tagged '{solution_tag(exercise)}' in {path.name}{hint} "
                             f"(was the cell deleted? add the tag back via View > Cell Toolbar > Tags, "
                             f"or copy your code into a fresh copy of the notebook)")
    text = "\n\n".join(_cell_text(c) for c in code) + "\n"
    if len(text.encode()) > MAX_SOURCE_BYTES:
        return SourceProblem(exercise, Verdict.BAD_SOURCE,
                             f"the solution cells of {path.name} hold more than {MAX_SOURCE_BYTES} bytes")
    label = f"{path.name}[{solution_tag(exercise)}]"
    return Source(exercise, text, label)
