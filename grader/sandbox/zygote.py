"""The sandbox zygote: a pre-imported process that forks one child per case.

Run as a script (``python -I -S zygote.py TAG``, a JSON config line first on
stdin, so nothing but the marker tag shows in /proc): it imports numpy once,
says hello (what isolation it observes), then reads requests from stdin. For
each request it forks a child that drops privileges, sets its limits, compiles
the submission's source in a scratch directory, runs the calls and writes the
outputs as .npy blobs to a private pipe. The zygote enforces the wall-clock
limit, kills whatever the child left behind, and answers on stdout. Student
code never runs in the zygote itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
import types
from typing import Any

CONFIG = json.loads(sys.stdin.buffer.readline() or b"{}")  # argv holds only the marker tag
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.extend(CONFIG.get("path", []))  # numpy's folder only: -S keeps site-packages out

import numpy as np  # noqa: E402
from execute import CallError, input_arrays, modified, run_calls, to_arrays  # noqa: E402
from limits import RESULT_LIMIT, SETUP_FAILED, STDOUT_LIMIT  # noqa: E402
from protocol import decode_value, encode, read_frame, trusted_load  # noqa: E402

HARDEN = bool(CONFIG.get("harden", False))
DROP_UID: int | None = CONFIG.get("drop_uid")


def _limit(name: str, soft: int | None, hard: int | None = None) -> None:
    """Set an rlimit; on Linux a refusal aborts the case, elsewhere (macOS) it is skipped."""
    if soft is None or not hasattr(resource, name):
        return
    try:
        resource.setrlimit(getattr(resource, name), (soft, soft if hard is None else hard))
    except (ValueError, OSError):
        if sys.platform.startswith("linux"):
            raise


def _setup(req: dict[str, Any], result_fd: int, out_fd: int, scratch: str) -> None:
    """In the child, before any student code: own session, fds, privileges, limits."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.dup2(result_fd, 3)
    os.closerange(4, 4096)
    limits = req.get("limits", {})
    if DROP_UID is not None:  # the grader runs as root: never run student code as root
        os.setgroups([])
        os.setgid(DROP_UID)
        os.setuid(DROP_UID)
        if os.getuid() != DROP_UID or os.geteuid() != DROP_UID:
            raise OSError("uid drop did not take effect")
    if HARDEN:
        os.chdir(scratch)
        os.environ.pop("PWD", None)
        os.environ.update(HOME=scratch, TMPDIR=scratch)
        tempfile.tempdir = scratch  # the zygote's own mkdtemp cached the system's temp folder
        _limit("RLIMIT_NPROC", 0)  # no threads, no processes: nothing can outlive the child
        _limit("RLIMIT_NOFILE", 64)
    _limit("RLIMIT_AS", limits.get("memory"))
    cpu = limits.get("cpu")
    _limit("RLIMIT_CPU", cpu, None if cpu is None else cpu + 1)
    _limit("RLIMIT_FSIZE", limits.get("fsize"))
    _limit("RLIMIT_CORE", 0)


def _child(req: dict[str, Any], blobs: list[bytes], result_fd: int, out_fd: int, scratch: str) -> None:
    """In the forked child: run the student's code, write one result frame to fd 3."""
    try:
        _setup(req, result_fd, out_fd, scratch)
    except BaseException:
        os._exit(SETUP_FAILED)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
    sys.stderr = sys.stdout
    answer: dict[str, Any]
    out_blobs: list[bytes] = []
    try:
        calls = decode_value(req["calls"], blobs, trusted_load)
        inputs = input_arrays(calls)
        pristine = [arr.copy() for _, _, arr in inputs]
        module = types.ModuleType(req["module"])
        module.__file__ = req["filename"]
        sys.modules[req["module"]] = module
        code = compile(req["source"], req["filename"], "exec")
        exec(code, module.__dict__)
        outputs = run_calls(module, calls)
        arrays, invalid = to_arrays(outputs)
        answer = {"status": "ok", "outputs": arrays, "invalid": invalid,
                  "mutated": modified(module, inputs, pristine, calls)}
    except BaseException as exc:
        answer = _describe(exc, req["filename"])
    frame = encode(answer, out_blobs)
    try:
        view = memoryview(frame)
        while view:
            view = view[os.write(3, view[:1 << 20]):]
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
    """Read the child's pipes until it has exited and they are closed, or the deadline."""
    sel = selectors.DefaultSelector()
    sel.register(result_r, selectors.EVENT_READ, "result")
    sel.register(out_r, selectors.EVENT_READ, "out")
    pidfd = _pidfd(pid)
    if pidfd is not None:
        sel.register(pidfd, selectors.EVENT_READ, "exit")
    result, out, open_fds = bytearray(), bytearray(), 2
    deadline = time.monotonic() + timeout
    status: tuple[int, int, Any] | None = None
    too_large = False
    while open_fds or status is None:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        events = sel.select(left if pidfd is not None else min(left, 0.005))  # no pidfd: poll
        if status is None and (pidfd is None or any(key.data == "exit" for key, _ in events)):
            status = _reap(pid, pidfd, sel)
            if status is not None:
                pidfd = -1  # closed; keep select() blocking
                _kill(pid)  # anything left in its process group holds the pipes open
        for key, _ in events:
            if key.data == "exit":
                continue
            chunk = os.read(key.fd, 1 << 16)
            if not chunk:
                sel.unregister(key.fd)
                open_fds -= 1
            elif key.data == "result":
                too_large = too_large or len(result) + len(chunk) > RESULT_LIMIT
                if not too_large:
                    result += chunk
            elif len(out) < STDOUT_LIMIT:
                out += chunk[: STDOUT_LIMIT - len(out)]
    sel.close()
    timed_out = status is None
    _kill(pid)
    if status is None:
        status = os.wait4(pid, 0)
    return {
        "timed_out": timed_out, "too_large": too_large,
        "exit_code": os.waitstatus_to_exitcode(status[1]),
        "cpu": round(status[2].ru_utime + status[2].ru_stime, 3),
        "stdout": out.decode("utf-8", "replace"),
        "result": bytes(result),
    }


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # Linux 5.3+: readable when the child exits
    except (AttributeError, OSError):
        return None


def _reap(pid: int, pidfd: int | None, sel: selectors.BaseSelector) -> tuple[int, int, Any] | None:
    got = os.wait4(pid, os.WNOHANG)
    if got[0] == 0:
        return None
    if pidfd is not None and pidfd >= 0:
        sel.unregister(pidfd)
        os.close(pidfd)
    return got


def _kill(pid: int) -> None:
    """SIGKILL the child's process group, and in our own PID namespace everyone else too."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    if CONFIG.get("harden") and os.getpid() <= 2:  # pid 1 or 2 only inside a PID namespace
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(-1, signal.SIGKILL)


def _scratch_root() -> str:
    root = CONFIG.get("scratch") or tempfile.mkdtemp(prefix="dlgrade-sbx-")
    os.chmod(root, 0o711)  # a child may enter its own case folder, but write nothing beside it
    return root


def _hello() -> dict[str, Any]:
    """What isolation the zygote observes from inside (the parent decides what it means)."""
    try:
        nets = sorted(name for _, name in socket.if_nameindex())
    except OSError:
        nets = ["?"]
    return {"pid": os.getpid(), "uid": os.getuid(), "net": nets,
            "visible": [p for p in CONFIG.get("probe", []) if os.path.exists(p)],
            "drop_uid": DROP_UID}


def serve() -> None:
    """Run cases read from stdin, one forked child each, until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    root = _scratch_root() if HARDEN else ""
    stdout.write(encode({"hello": _hello()}))
    stdout.flush()
    try:
        for serial in range(1 << 62):
            frame = read_frame(stdin)
            if frame is None:
                return
            req, blobs = frame
            scratch = ""
            if HARDEN:
                scratch = os.path.join(root, f"case-{serial}")
                os.mkdir(scratch, 0o700)
                if DROP_UID is not None:
                    os.chown(scratch, DROP_UID, DROP_UID)
            stdout.write(_run_one(req, blobs, scratch))
            stdout.flush()
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if HARDEN and root != "/tmp":
            shutil.rmtree(root, ignore_errors=True)


def _run_one(req: dict[str, Any], blobs: list[bytes], scratch: str) -> bytes:
    result_r, result_w = os.pipe()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(result_r)
            os.close(out_r)
            _child(req, blobs, result_w, out_w, scratch)
        finally:
            os._exit(70)
    os.close(result_w)
    os.close(out_w)
    reply = _collect(pid, result_r, out_r, float(req.get("timeout", 5.0)))
    os.close(result_r)
    os.close(out_r)
    result = reply.pop("result")
    framed: bytes = encode(reply, [result])
    return framed


PRELOAD = ("math", "cmath", "itertools", "functools", "collections", "heapq", "bisect", "random",
           "statistics", "typing", "dataclasses", "copy", "operator", "re", "string", "threading",
           "numpy.linalg")


def _preload() -> None:
    """Import the usual helpers once here.

    Cheaper per case; importable where the dropped uid cannot read Python (process level as root).
    """
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)


if __name__ == "__main__":
    np.seterr(all="warn", under="ignore")
    serve()
