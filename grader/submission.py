"""Finding and reading a submission's source, and telling stubs from code.

Only the ``.py`` source of the exercise is used: it is read here, checked,
and sent to the sandbox as text. Nothing beside it is ever imported.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from grader.models import Verdict

MAX_SOURCE_BYTES = 1_000_000


@dataclass(frozen=True)
class Source:
    exercise: str
    text: str
    filename: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@dataclass(frozen=True)
class SourceProblem:
    exercise: str
    verdict: Verdict
    message: str


def locate(submission: Path, exercise: str) -> Path | None:
    """The file holding ``exercise`` in a folder, or a single ``.py`` file."""
    if submission.is_file():
        return submission
    candidate = submission / f"{exercise}.py"
    return candidate if candidate.is_file() else None


def read_source(submission: Path, exercise: str) -> Source | SourceProblem:
    path = locate(submission, exercise)
    if path is None:
        return SourceProblem(exercise, Verdict.MISSING_MODULE,
                             f"no {exercise}.py in {submission}")
    return decode_source(exercise, path.read_bytes(), str(path))


def decode_source(exercise: str, data: bytes, filename: str) -> Source | SourceProblem:
    if len(data) > MAX_SOURCE_BYTES:
        return SourceProblem(exercise, Verdict.BAD_SOURCE,
                             f"{filename} is {len(data)} bytes; the limit is {MAX_SOURCE_BYTES}")
    if b"\x00" in data:
        return SourceProblem(exercise, Verdict.BAD_SOURCE,
                             f"{filename} contains NUL bytes; save it as plain UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SourceProblem(exercise, Verdict.BAD_SOURCE,
                             f"{filename} is not UTF-8 (byte {exc.start}); save it as UTF-8")
    return Source(exercise, text.replace("\r\n", "\n").replace("\r", "\n"), filename)


def _is_stub(node: ast.FunctionDef) -> bool:
    """Still a stub: the body is empty or raises NotImplementedError at its top level."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    if not body or all(isinstance(n, ast.Pass) for n in body):
        return True
    return any(isinstance(n, ast.Raise) and n.exc is not None
               and "NotImplementedError" in ast.unparse(n.exc) for n in body)


def status(source: Source | SourceProblem, functions: tuple[str, ...]) -> str:
    """implemented, partial, stub, missing or unreadable."""
    if isinstance(source, SourceProblem):
        return "missing" if source.verdict is Verdict.MISSING_MODULE else "unreadable"
    try:
        tree = ast.parse(source.text)
    except SyntaxError:
        return "syntax error"
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    done = [name in defs and not _is_stub(defs[name]) for name in functions]
    if all(done):
        return "implemented"
    return "partial" if any(done) else "stub"
