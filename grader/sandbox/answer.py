"""The child's side of one case: run the request on the submission, frame the answer.

Shared by the zygote's forked child and the portable worker; loaded by file name
beside ``execute.py`` and ``protocol.py``, so it imports nothing from ``grader``.
"""

from __future__ import annotations

import os
import sys
import traceback
import types
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


def run_request(req: dict[str, Any], blobs: list[bytes]) -> dict[str, Any]:
    """Run the request's calls on its source as a fresh module; the answer to frame.

    The caller frames it with its own ``encode`` (a submission that patches the
    caller's encoder is still judged by what the grader reads).
    """
    try:
        calls = decode_value(req["calls"], blobs, trusted_load)
        inputs = input_arrays(calls)
        pristine = [arr.copy() for _, _, arr in inputs]
        module = types.ModuleType(req["module"])
        module.__file__ = req["filename"]
        sys.modules[req["module"]] = module
        exec(compile(req["source"], req["filename"], "exec"), module.__dict__)
        arrays, invalid = to_arrays(run_calls(module, calls))
        answer = {"status": "ok", "outputs": arrays, "invalid": invalid,
                  "mutated": modified(module, inputs, pristine, calls)}
    except BaseException as exc:  # the submission's failure is the answer, never the child's
        answer = describe(exc, req["filename"])
    return answer


def write_all(fd: int, data: bytes) -> None:
    """Write ``data`` to ``fd`` whole, a megabyte at a time."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:1 << 20]):]
