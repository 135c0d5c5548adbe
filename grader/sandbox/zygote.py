"""The sandbox zygote: a pre-imported process that forks one child per case.

Run as a script (``python -I zygote.py``): it imports numpy once, then reads
requests from stdin. For each request it forks a child that compiles the
submission's source, runs the calls and writes the outputs as .npy blobs to a
private pipe. The zygote enforces the wall-clock limit, collects the child's
exit status and a bounded slice of what it printed, and answers on stdout.
Student code never runs in the zygote itself.
"""

from __future__ import annotations

import io
import os
import resource
import selectors
import signal
import sys
import time
import traceback
import types
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import contextlib

import numpy as np
from execute import CallError, run_calls, to_arrays
from protocol import decode_value, encode, read_frame, trusted_load

STDOUT_LIMIT = 8 * 1024
RESULT_LIMIT = 256 * 1024 * 1024


def _limit(name: str, value: int | None) -> None:
    if value is None or not hasattr(resource, name):
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(getattr(resource, name), (value, value))


def _child(req: dict[str, Any], blobs: list[bytes], result_fd: int, out_fd: int) -> None:
    """In the forked child: run the student's code, write one result frame."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    limits = req.get("limits", {})
    _limit("RLIMIT_CPU", limits.get("cpu"))
    _limit("RLIMIT_AS", limits.get("memory"))
    _limit("RLIMIT_FSIZE", limits.get("fsize"))
    _limit("RLIMIT_CORE", 0)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
    sys.stderr = sys.stdout
    answer: dict[str, Any]
    out_blobs: list[bytes] = []
    try:
        calls = decode_value(req["calls"], blobs, trusted_load)
        module = types.ModuleType(req["module"])
        module.__file__ = req["filename"]
        sys.modules[req["module"]] = module
        code = compile(req["source"], req["filename"], "exec")
        exec(code, module.__dict__)
        outputs = run_calls(module, calls)
        arrays, invalid = to_arrays(outputs)
        answer = {"status": "ok", "outputs": arrays, "invalid": invalid}
    except BaseException as exc:
        answer = _describe(exc, req["filename"])
    frame = encode(answer, out_blobs)
    try:
        view = memoryview(frame)
        while view:
            view = view[os.write(result_fd, view[:1 << 20]):]
    finally:
        os._exit(0)


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
    return {
        "status": status,
        "exc_type": type(exc).__name__,
        "message": message[:500],
        "where": where,
        "traceback": "".join(traceback.format_list(frames[-5:]))[:2000],
    }


def _collect(pid: int, result_r: int, out_r: int, timeout: float) -> dict[str, Any]:
    sel = selectors.DefaultSelector()
    sel.register(result_r, selectors.EVENT_READ, "result")
    sel.register(out_r, selectors.EVENT_READ, "out")
    result, out, open_fds = bytearray(), bytearray(), 2
    deadline = time.monotonic() + timeout
    timed_out = False
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        for key, _ in sel.select(left):
            chunk = os.read(key.fd, 1 << 16)
            if not chunk:
                sel.unregister(key.fd)
                open_fds -= 1
            elif key.data == "result" and len(result) < RESULT_LIMIT:
                result += chunk
            elif key.data == "out" and len(out) < STDOUT_LIMIT:
                out += chunk[: STDOUT_LIMIT - len(out)]
    sel.close()
    if timed_out:
        _kill(pid)
    _, status = os.waitpid(pid, 0)
    _kill(pid)  # grandchildren left in the child's session
    return {
        "timed_out": timed_out,
        "exit_code": os.waitstatus_to_exitcode(status),
        "stdout": out.decode("utf-8", "replace"),
        "result": bytes(result),
    }


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def serve() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        frame = read_frame(stdin)
        if frame is None:
            return
        req, blobs = frame
        result_r, result_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(result_r)
            os.close(out_r)
            try:
                _child(req, blobs, result_w, out_w)
            finally:
                os._exit(70)
        os.close(result_w)
        os.close(out_w)
        reply = _collect(pid, result_r, out_r, float(req.get("timeout", 5.0)))
        os.close(result_r)
        os.close(out_r)
        result = reply.pop("result")
        stdout.write(encode(reply, [result]))
        stdout.flush()


if __name__ == "__main__":
    np.seterr(all="warn", under="ignore")
    serve()
