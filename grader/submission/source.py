"""Finding and reading a submission's source, and telling stubs from code.

Only the ``.py`` source of the exercise is used: it is read here, checked,
and sent to the sandbox as text. Nothing beside it is ever imported, and an
archive is read in place (never extracted), so its paths cannot escape.
"""

from __future__ import annotations

import ast
import codecs
import hashlib
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from grader.records import Verdict
from grader.submission.archive import ArchiveProblem, find_member

ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")
WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
             (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))

MAX_SOURCE_BYTES = 1_000_000


@dataclass(frozen=True)
class Source:
    """The source text of one exercise of a submission."""

    exercise: str
    text: str
    filename: str

    @property
    def sha256(self) -> str:
        """The SHA-256 of the source text."""
        return hashlib.sha256(self.text.encode()).hexdigest()


@dataclass(frozen=True)
class SourceProblem:
    """A submission's exercise that cannot be graded, as a verdict and a message for the student."""

    exercise: str
    verdict: Verdict
    message: str


def locate(submission: Path, exercise: str) -> Path | None:
    """The file holding ``exercise`` in a folder, or a single ``.py`` file."""
    if submission.is_file():
        return submission
    candidate = submission / f"{exercise}.py"
    return candidate if candidate.is_file() else None


def _problem(exercise: str, message: str) -> SourceProblem:
    return SourceProblem(exercise, Verdict.BAD_SOURCE, message)


def read_source(submission: Path, exercise: str) -> Source | SourceProblem:
    """The exercise's source from a folder, a single .py file or a .zip/.tar archive."""
    if submission.is_file() and submission.name.lower().endswith(ARCHIVES):
        return read_archive(submission, exercise)
    path = locate(submission, exercise)
    if path is None:
        return SourceProblem(exercise, Verdict.MISSING_MODULE,
                             f"no {exercise}.py in {submission}")
    if submission.is_dir() and path.is_symlink() and not path.resolve().is_relative_to(
            submission.resolve()):
        return _problem(exercise, f"{path} links to a file outside {submission}; copy the file in instead")
    if path.stat().st_size > MAX_SOURCE_BYTES:
        return _problem(exercise, f"{path} is {path.stat().st_size} bytes; the limit is {MAX_SOURCE_BYTES}")
    with path.open("rb") as f:
        return decode_source(exercise, f.read(MAX_SOURCE_BYTES + 1), str(path))


def decode_source(exercise: str, data: bytes, filename: str) -> Source | SourceProblem:
    """Text from bytes: UTF-8 (with or without BOM) or a PEP 263 coding line; CRLF and CR become LF."""
    if len(data) > MAX_SOURCE_BYTES:
        return _problem(exercise, f"{filename} is over {MAX_SOURCE_BYTES} bytes; the limit is "
                        f"{MAX_SOURCE_BYTES}")
    for bom, name in WIDE_BOMS:
        if data.startswith(bom):
            return _problem(exercise, f"{filename} contains NUL bytes: it is saved as {name}; "
                            "save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return _problem(exercise, f"{filename} contains NUL bytes (line {line}); save it as plain UTF-8 text")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as exc:
        return _problem(exercise, f"{filename}: {exc.msg}; save it as UTF-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _problem(exercise, f"{filename} is not {exc.encoding.upper()} text (line {line}, byte "
                        f"0x{data[exc.start]:02x}); save it as UTF-8")
    return Source(exercise, text.replace("\r\n", "\n").replace("\r", "\n"), filename)


def _is_stub(node: ast.FunctionDef) -> bool:
    """Still a stub: the body is empty or raises NotImplementedError at its top level."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    if not body or all(isinstance(n, ast.Pass) for n in body):
        return True
    return any(isinstance(n, ast.Raise) and n.exc is not None
               and "NotImplementedError" in ast.unparse(n.exc) for n in body)


SourceStatus = Literal["implemented", "partial", "stub", "missing", "unreadable", "syntax error"]


def status(source: Source | SourceProblem, functions: tuple[str, ...]) -> SourceStatus:
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


def read_archive(archive: Path, exercise: str) -> Source | SourceProblem:
    """``<exercise>.py`` from a .zip or .tar archive, read without extracting anything."""
    try:
        name, data = find_member(archive, f"{exercise}.py", MAX_SOURCE_BYTES)
    except ArchiveProblem as exc:
        return _problem(exercise, str(exc))
    if data is None:
        return SourceProblem(exercise, Verdict.MISSING_MODULE, f"no {exercise}.py in {archive}")
    return decode_source(exercise, data, f"{archive}/{name}")
