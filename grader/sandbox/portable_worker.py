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
from typing import Any

CONFIG = json.loads(sys.stdin.buffer.readline() or b"{}")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.extend(CONFIG.get("path", []))

import numpy as np  # noqa: E402
from answer import run_cases, write_all  # noqa: E402
from protocol import encode, read_frame  # noqa: E402

PRELOAD = ("math", "cmath", "itertools", "functools", "collections", "heapq", "bisect", "random",
           "statistics", "typing", "dataclasses", "copy", "operator", "re", "string", "numpy.linalg")
RESULT_FD = 3


def _preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    # Imported modules stay usable; site-packages (where solutions may be installed) leaves the path.
    sys.path[:] = [p for p in sys.path if p not in CONFIG.get("path", [])]


def _redirect() -> None:
    """Answer channel to fd 3; the submission's fds 0, 1, 2 to nothing, stderr, stderr."""
    os.dup2(1, RESULT_FD)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb", buffering=0), write_through=True)
    sys.stderr = sys.stdout


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
    try:
        run_cases(req, blobs, _emit)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the submission's buffers


def _emit(answer: dict[str, Any]) -> None:
    write_all(RESULT_FD, encode(answer, []))  # ``encode`` looked up after the submission ran


if __name__ == "__main__":
    main()
