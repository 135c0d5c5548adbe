"""Reading filled-in answer files: TOML (from ``quiz sheet``) or a notebook."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader.errors import UsageError
from grader.quiz.models import Lang
from grader.submission.files import Refused, read_regular
from grader.submission.notebooks import MAX_NOTEBOOK_BYTES, parse_json


class AnswerSheet(BaseModel):
    """A student's answer file: quiz id, student, language and the answers by question id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quiz: str = Field(min_length=1)
    student: str = Field(min_length=1)
    lang: Lang = "en"
    answers: dict[str, str | int | float | list[str | int]] = {}

    def responses(self) -> dict[str, str]:
        """Every answer as text, the way it would have been typed."""
        out = {}
        for qid, value in self.answers.items():
            if isinstance(value, list):
                out[qid] = ", ".join(str(v) for v in value)
            elif isinstance(value, float):
                out[qid] = repr(value)
            else:
                out[qid] = str(value)
        return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _from_notebook(path: Path) -> dict[str, object]:
    """The answers of a quiz notebook: untrusted JSON, read with size and depth limits."""
    try:
        raw = parse_json(read_regular(path, MAX_NOTEBOOK_BYTES), str(path))
    except (Refused, ValueError) as exc:
        raise UsageError(str(exc)) from None
    meta = dict(_dict(_dict(raw).get("metadata")).get("dlgrade") or {})
    if not meta:
        raise UsageError(f"{path}: no dlgrade quiz metadata; make the notebook with "
                         "'dlgrade quiz sheet ID --student YOU --format ipynb'")
    cells = _dict(raw).get("cells")
    answers: dict[str, str] = {}
    for cell in cells if isinstance(cells, list) else []:
        mark = _dict(_dict(_dict(cell).get("metadata")).get("dlgrade"))
        source = _dict(cell).get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if isinstance(mark.get("question"), str) and isinstance(text, str):
            answers[mark["question"]] = text.strip()
    return {**meta, "answers": answers}


def read_answers(path: Path) -> AnswerSheet:
    """Read and validate an answer file (TOML, or a filled-in quiz notebook).

    Raises:
        UsageError: The file is missing or not a valid answer file (the message says what to fix).
    """
    if not path.is_file():
        raise UsageError(f"no answer file at {path}; make one with 'dlgrade quiz sheet ID --student YOU'")
    if path.suffix == ".ipynb":
        data = _from_notebook(path)
    else:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not a valid TOML answer file ({exc}); check the quotes "
                             "around each answer") from None
    try:
        return AnswerSheet.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "file"
        raise UsageError(f"{path}: {loc}: {first['msg']}") from None
