"""Feedback text that is safe to show and store: bounded, plain, without host paths.

Everything a submission can influence (exception messages and class names,
output names, printed output) passes through here before it reaches a
``CaseResult``, and so any terminal, JSON record, JUnit file or platform
result. ``clean`` removes ANSI escape sequences and control characters,
replaces the grader's own paths (its install, the Python prefix and
virtualenv, the home folder) by placeholders and cuts the text to a bound.
Hidden cases get ``hidden_message``: a fixed vocabulary, so that nothing the
submission chooses (an exception class named after the hidden inputs, an
exit code, an output name) can carry their inputs out.
"""

from __future__ import annotations

import builtins
import re
import site
import sys
from functools import cache
from pathlib import Path

from grader.records import Verdict

MESSAGE_LIMIT = 300  # characters of a case's message
STDOUT_LIMIT = 2000  # characters of a case's printed output (its end is kept)
NAME_LIMIT = 60  # characters of a name the submission chose (an output key)

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
OWN_CLASS = "an exception of a class defined in your code"
_NUMPY_ERRORS = frozenset({"LinAlgError", "AxisError"})

HIDDEN_TEXT = {
    Verdict.WRONG_VALUE: "wrong values",
    Verdict.GRADIENT_MISMATCH: "wrong values",
    Verdict.DISAGREE: "wrong values",
    Verdict.NOT_FINITE: "not finite (NaN or Inf)",
    Verdict.WRONG_SHAPE: "wrong shape",
    Verdict.WRONG_DTYPE: "wrong dtype",
    Verdict.MISSING_OUTPUT: "a value is missing",
    Verdict.INVALID_OUTPUT: "returned something that is not a numeric numpy array",
    Verdict.NOT_IMPLEMENTED: "still raises NotImplementedError",
    Verdict.SYNTAX_ERROR: "syntax error",
    Verdict.MISSING_FUNCTION: "a function of the exercise is not defined",
    Verdict.TIMEOUT: "timed out",
    Verdict.MEMORY_LIMIT: "ran out of memory",
    Verdict.CRASH: "crashed",
}


@cache
def _host_paths() -> tuple[tuple[str, str], ...]:
    """(path, placeholder) pairs, longest path first."""
    grader_root = str(Path(__file__).resolve().parents[2])
    pairs: dict[str, str] = {}
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        pairs[prefix] = "<python>"
    try:
        for folder in [*site.getsitepackages(), site.getusersitepackages()]:
            pairs[folder] = "<site-packages>"
    except AttributeError:  # pragma: no cover - a virtualenv without site.getsitepackages
        pass
    pairs[grader_root] = "<grader>"
    home = str(Path.home())
    if len(home) > 1:
        pairs[home] = "~"
    found = [(p, tag) for p, tag in pairs.items() if p and p != "/"]
    resolved = [(str(Path(p).resolve()), tag) for p, tag in found]
    return tuple(sorted(set(found + resolved), key=lambda pair: -len(pair[0])))


def clean(text: str, limit: int = MESSAGE_LIMIT, keep_end: bool = False) -> str:
    """``text`` without escape sequences, control characters or host paths, bounded.

    Newlines and tabs stay; at most ``limit`` characters are kept (the start, or with
    ``keep_end`` the end).
    """
    if len(text) > 8 * limit:  # never scan megabytes: bound before cleaning
        text = text[-8 * limit:] if keep_end else text[: 8 * limit]
    text = _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))
    for path, tag in _host_paths():
        text = text.replace(path, tag)
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    return f"[{cut} characters cut] " + text[cut:] if keep_end else text[:limit] + f" [{cut} characters cut]"


def exception_name(exc_type: str) -> str:
    """A built-in exception's name as is; any other name is the student's own choice of text."""
    if exc_type in _NUMPY_ERRORS:
        return exc_type
    found = getattr(builtins, exc_type, None)
    if isinstance(found, type) and issubclass(found, BaseException):
        return exc_type
    return OWN_CLASS


def hidden_message(verdict: Verdict, compared: tuple[str, ...], exc_type: str) -> str:
    """A hidden case's feedback, from a fixed vocabulary (no inputs, no student text)."""
    if verdict is Verdict.PASSED:
        return ""
    if verdict is Verdict.EXCEPTION:
        return exception_name(exc_type)
    text = HIDDEN_TEXT.get(verdict, verdict.value.replace("_", " "))
    keys = ", ".join(clean(k, NAME_LIMIT) for k in compared[:3])
    return f"{keys}: {text}" if keys and verdict in (Verdict.WRONG_VALUE, Verdict.GRADIENT_MISMATCH,
                                                     Verdict.DISAGREE, Verdict.NOT_FINITE) else text
