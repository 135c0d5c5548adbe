"""Reading a student's solution out of a Jupyter notebook's bytes.

The code of an exercise lives in code cells tagged ``solution-<exercise>``
(cell metadata ``tags``; ``solution-max-pool`` and ``solution-max_pool`` are
the same tag). Cells are found by tag, never by position, so moving or
re-ordering cells does not matter. Copies: Jupyter keeps the tags when a cell
is copied, so every tagged code cell is used, joined in notebook order, the
way running the notebook top to bottom would define them: a later definition
of a function replaces an earlier one, exactly as in the kernel. IPython
magics (``%time``, ``!pip``) are commented out, keeping line numbers.

The notebook is untrusted JSON: its size is bounded before it is read (see
:mod:`grader.submission.reader`), its nesting depth while it is parsed, and
every field is type-checked here (nbformat 4, and 3's worksheets); nothing
else of it is interpreted. The text is graded in the sandbox like a ``.py``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from grader.frozen import frozen
from grader.records import Verdict
from grader.submission.source import MAX_SOURCE_BYTES, Source, SourceProblem, decode_source

TAG_PREFIX = "solution-"
MAX_NOTEBOOK_BYTES = 5 * MAX_SOURCE_BYTES  # notebooks carry outputs
MAX_DEPTH = 64  # nesting of JSON arrays and objects (a notebook needs about 6)
_MAGIC = re.compile(r"^(\s*)([%!])")
_OPEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.DOTALL)


@frozen
class Cell:
    """One notebook cell as read: its kind, the exercises it is tagged for, its text."""

    kind: str  # code | markdown | raw
    exercises: tuple[str, ...]  # normalised ids of its solution tags
    text: str


def solution_tag(exercise: str) -> str:
    """The cell tag that marks the student's code for ``exercise``."""
    return f"{TAG_PREFIX}{exercise}"


def _norm(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


def without_magics(text: str) -> str:
    """IPython magics and shell escapes commented out, line numbers kept."""
    return "\n".join(_MAGIC.sub(r"\1# \2", line) for line in text.splitlines())


def _too_deep(text: str) -> bool:
    depth = 0
    for m in _OPEN.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def _cell(raw: Any) -> Cell | None:
    if not isinstance(raw, dict):
        return None
    kind = raw.get("cell_type")
    meta = raw.get("metadata")
    tags = meta.get("tags") if isinstance(meta, dict) else None
    ids = tuple(_norm(t)[len(TAG_PREFIX):] for t in (tags if isinstance(tags, list) else [])
                if isinstance(t, str) and _norm(t).startswith(TAG_PREFIX))
    text = _text(raw.get("source", raw.get("input", "")))
    if not isinstance(kind, str) or text is None:
        return None
    return Cell(kind, ids, without_magics(text))


def parse_json(data: bytes, name: str, limit: int = MAX_NOTEBOOK_BYTES) -> Any:
    """Untrusted JSON bytes parsed with limits (size, nesting depth).

    Raises:
        ValueError: the bytes are too large, not text, too deep or not JSON; the
            message says which, in one line.
    """
    decoded = decode_source("", data, name, limit=limit)
    if isinstance(decoded, SourceProblem):
        raise ValueError(decoded.message)
    if _too_deep(decoded.text):
        raise ValueError(f"{name} is not a valid notebook: JSON nested deeper than {MAX_DEPTH} levels; "
                         "save it from Jupyter as .ipynb")
    try:
        return json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name} is not a valid notebook: broken JSON at line {exc.lineno} ({exc.msg}); "
                         "re-download it or restore a checkpoint") from None
    except (RecursionError, ValueError):
        raise ValueError(f"{name} is not a valid notebook (unreadable JSON); save it from Jupyter as "
                         ".ipynb") from None


def parse_cells(data: bytes, name: str) -> list[Cell] | SourceProblem:
    """The cells of a notebook (nbformat 4, or 3's worksheets), or why it is unreadable."""
    try:
        raw = parse_json(data, name)
    except ValueError as exc:
        return SourceProblem("", Verdict.BAD_SOURCE, str(exc))
    cells: Any = None
    if isinstance(raw, dict) and isinstance(raw.get("cells"), list):
        cells = raw["cells"]
    elif isinstance(raw, dict) and isinstance(raw.get("worksheets"), list):
        sheets = [w.get("cells") for w in raw["worksheets"] if isinstance(w, dict)]
        cells = [c for s in sheets if isinstance(s, list) for c in s]
    if cells is None:
        return SourceProblem("", Verdict.BAD_SOURCE, f"{name} is JSON but not a Jupyter notebook "
                             "(no cells); save it from Jupyter as .ipynb")
    return [c for c in (_cell(raw_cell) for raw_cell in cells) if c is not None]


def tagged(cells: list[Cell]) -> list[str]:
    """Exercise ids (as tagged, ``-`` turned to ``_``) with solution code cells."""
    found = [ex for c in cells if c.kind == "code" for ex in c.exercises]
    return list(dict.fromkeys(e.replace("-", "_") for e in found))


def notebook_source(cells: list[Cell], name: str, exercise: str) -> Source | SourceProblem:
    """The code of the cells tagged ``solution-<exercise>``, as a gradable source."""
    want = _norm(exercise)
    code = [c for c in cells if c.kind == "code" and want in c.exercises]
    if not code:
        others = tagged(cells)
        hint = (f"; it has solution cells for {', '.join(others)}" if others
                else "; it has no tagged solution cells at all")
        return SourceProblem(exercise, Verdict.MISSING_MODULE,
                             f"no code cell tagged '{solution_tag(exercise)}' in {name}{hint} "
                             f"(was the cell deleted? add the tag back via View > Cell Toolbar > Tags, "
                             f"or copy your code into a fresh copy of the notebook)")
    text = "\n\n".join(c.text for c in code) + "\n"
    if len(text.encode()) > MAX_SOURCE_BYTES:
        return SourceProblem(exercise, Verdict.BAD_SOURCE,
                             f"the solution cells of {name} hold more than {MAX_SOURCE_BYTES} bytes")
    return Source(exercise, text, f"{name}[{solution_tag(exercise)}]")
