"""The portable sandbox's worker: one fresh interpreter per case, cross-platform APIs only.

Run as a script (``python -I -S portable_worker.py``) by ``grader.sandbox.portable``
with a private scratch folder as its working directory. Protocol on its pipes:

- stdin: one JSON config line (numpy's folder), then one request frame
  (``protocol``: the submission's source, the calls, the inputs as .npy bytes);
- stdout: ``R`` once numpy is imported (the parent starts the case's clock
  then), then one answer frame with the outputs as .npy bytes;
- stderr: whatever the submission prints (its fds 1 and 2 point there).

The answer channel is moved to fd 3 before student code runs, as in the
zygote's children, so a submission that writes to it forges nothing the
parent's checks accept. No fork, no ``resource``, no signals: the parent
enforces the wall-clock limit by killing this process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
import types
from typing import Any

CONFIG = json.loads(sys.stdin.buffer.readline() or b"{}")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.extend(CONFIG.get("path", []))

import numpy as np  # noqa: E402
from execute import CallError, input_arrays, modified, run_calls, to_arrays  # noqa: E402
from protocol import decode_value, encode, read_frame, trusted_load  # noqa: E402

PRELOAD = ("math", "cmath", "itertools", "functools", "collections", "heapq", "bisect", "random",
           "statistics", "typing", "dataclasses", "copy", "operator", "re", "string", "numpy.linalg")
RESULT_FD = 3


def _preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    # Imported modules stay usable; site-packages (where solutions may be installed) leaves the path.
    sys.path[:] = [p for p in sys.path if p not in CONFIG.get("path", [])]


def _describe(exc: BaseException, filename: str) -> dict[str, Any]:
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


def _redirect() -> None:
    """Answer channel to fd 3; the submission's fds 0, 1, 2 to nothing, stderr, stderr."""
    os.dup2(1, RESULT_FD)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb", buffering=0), write_through=True)
    sys.stderr = sys.stdout


def _answer(req: dict[str, Any], blobs: list[bytes]) -> bytes:
    out_blobs: list[bytes] = []
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
    except BaseException as exc:  # the submission's failure is the answer, never the worker's
        answer = _describe(exc, req["filename"])
    framed: bytes = encode(answer, out_blobs)
    return framed


def main() -> None:
    """Import numpy, say ready, read one request, answer it on fd 3 and exit at once."""
    np.seterr(all="warn", under="ignore")
    _preload()
    sys.stdout.buffer.write(b"R")
    sys.stdout.buffer.flush()
    frame = read_frame(sys.stdin.buffer)
    if frame is None:
        os._exit(0)
    req, blobs = frame
    _redirect()
    data = _answer(req, blobs)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(RESULT_FD, view[:1 << 20]):]
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the submission's buffers


if __name__ == "__main__":
    main()
