"""The child's side of a request: run its cases on the submission, one answer each.

A request holds the submission's source and the calls of one or more cases of
one exercise. The source runs once, as a fresh module; the cases then run in
order against it, so state a submission keeps between the cases of one of its
exercises is its own (the security model says so). ``emit`` frames and sends
each case's answer as soon as it is known: the zygote's per-case deadline
restarts with each one.

Shared by the zygote's forked child and the portable worker; loaded by file name
beside ``execute.py`` and ``protocol.py``, so it imports nothing from ``grader``.
"""

from __future__ import annotations

import os
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

from execute import CallError, input_arrays, modified, run_calls, to_arrays
from protocol import decode_value, trusted_load


def describe(exc: BaseException, filename: str) -> dict[str, Any]:
    """The answer for a submission that raised: status, exception type, message and line."""
    status = "exception"
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        status = "syntax_error"
    elif isinstance(exc, CallError):
        status = "bad_return"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    where = f"line {frames[-1].lineno}" if frames else ""
    if isinstance(exc, SyntaxError) and exc.lineno:
        where = f"line {exc.lineno}"
    message = str(exc) if not isinstance(exc, SyntaxError) else (exc.msg or "")
    return {"status": status, "exc_type": type(exc).__name__, "message": message[:500], "where": where}


def _run_case(module: types.ModuleType, sent: Any, blobs: list[bytes], filename: str) -> dict[str, Any]:
    try:
        calls = decode_value(sent, blobs, trusted_load)
        inputs = input_arrays(calls)
        pristine = [arr.copy() for _, _, arr in inputs]
        arrays, invalid = to_arrays(run_calls(module, calls))
        return {"status": "ok", "outputs": arrays, "invalid": invalid,
                "mutated": modified(module, inputs, pristine, calls)}
    except BaseException as exc:  # the submission's failure is the answer, never the child's
        return describe(exc, filename)


def run_cases(req: dict[str, Any], blobs: list[bytes], emit: Callable[[dict[str, Any]], None]) -> None:
    """Run the request's source as a fresh module, then each case; ``emit`` each answer in order.

    ``emit`` frames the answer with the caller's own ``encode`` (a submission that
    patches the caller's encoder is still judged by what the grader reads).
    """
    filename = req["filename"]
    module = types.ModuleType(req["module"])
    module.__file__ = filename
    sys.modules[req["module"]] = module
    try:
        exec(compile(req["source"], filename, "exec"), module.__dict__)
    except BaseException as exc:  # every case gets the same answer: the module did not load
        failed = describe(exc, filename)
        for _ in req["cases"]:
            emit(failed)
        return
    for sent in req["cases"]:
        emit(_run_case(module, sent, blobs, filename))


def write_all(fd: int, data: bytes) -> None:
    """Write ``data`` to ``fd`` whole, a megabyte at a time."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:1 << 20]):]
