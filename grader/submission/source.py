"""A submission's source as text, and telling stubs from code.

Only the ``.py`` source of the exercise is used: it is decoded here, checked,
and sent to the sandbox as text. Nothing beside it is ever imported. Finding
and reading the bytes is :mod:`grader.submission.reader`'s job.
"""

from __future__ import annotations

import ast
import codecs
import hashlib
import io
import tokenize
from typing import Literal

from grader.frozen import frozen
from grader.records import Verdict

WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
             (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))

MAX_SOURCE_BYTES = 1_000_000


@frozen
class Source:
    """The source text of one exercise of a submission."""

    exercise: str
    text: str
    filename: str

    @property
    def sha256(self) -> str:
        """The SHA-256 of the source text."""
        return hashlib.sha256(self.text.encode()).hexdigest()


@frozen
class SourceProblem:
    """A submission's exercise that cannot be graded, as a verdict and a message for the student."""

    exercise: str
    verdict: Verdict
    message: str


def _problem(exercise: str, message: str) -> SourceProblem:
    return SourceProblem(exercise, Verdict.BAD_SOURCE, message)


def decode_source(exercise: str, data: bytes, filename: str,
                  limit: int = MAX_SOURCE_BYTES) -> Source | SourceProblem:
    """Text from bytes: UTF-8 (with or without BOM) or a PEP 263 coding line; CRLF and CR become LF."""
    if len(data) > limit:
        return _problem(exercise, f"{filename} is over {limit} bytes; the limit is {limit}")
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
