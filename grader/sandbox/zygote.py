"""The sandbox zygote: a pre-imported process that forks one child per batch of cases.

Run as a script (``python -I -S zygote.py TAG``, a JSON config line first on
stdin, so nothing but the marker tag shows in /proc): it imports numpy once,
says hello (what isolation it observes), then reads case orders from stdin.
An order holds only limits and one timeout per case; with it come, over a
Unix socket, three file descriptors made by the grader: the request (the
submission's source and the calls of each case of one exercise, in an
anonymous memory file), the result pipe and the output pipe. The zygote forks
a child and closes its copies unread: only the child reads the request, and
only the grader reads what the child writes, so no byte of a submission ever
sits in the zygote's memory, from which every later child is forked. The child
drops privileges, sets its limits, runs the source once in a scratch
directory, then runs the cases in order, writing one answer frame per case to
the result pipe and one byte to a tick pipe the zygote reads. Each tick starts
the next case's deadline; at a deadline the zygote kills the child. It then
kills whatever the child left behind, removes the IPC objects and files it left
(``leftovers``), and answers with the exit status and the number of ticks: the
grader sends the cases not yet answered to a fresh child. Student code never
runs in the zygote itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from typing import Any

CONFIG = json.loads(sys.stdin.buffer.readline() or b"{}")  # argv holds only the marker tag
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.extend(CONFIG.get("path", []))  # numpy's folder only: -S keeps site-packages out

import numpy as np  # noqa: E402
from answer import run_cases, write_all  # noqa: E402
from leftovers import ipc_objects, private_ipc, remove_files, remove_ipc, remove_stale  # noqa: E402
from limits import EXIT_GRACE, MAX_BATCH, SETUP_FAILED  # noqa: E402
from protocol import encode, read_frame  # noqa: E402

HARDEN = bool(CONFIG.get("harden", False))
DROP_UID: int | None = CONFIG.get("drop_uid")
CONTROL_FD: int = CONFIG.get("control_fd", -1)  # a Unix socket: the case's descriptors arrive here
TICK_FD = 4  # in the child: one byte per answered case, read by the zygote


def _limit(name: str, soft: int | None, hard: int | None = None) -> None:
    """Set an rlimit; on Linux a refusal aborts the case, elsewhere (macOS) it is skipped."""
    if soft is None or not hasattr(resource, name):
        return
    try:
        resource.setrlimit(getattr(resource, name), (soft, soft if hard is None else hard))
    except (ValueError, OSError):
        if sys.platform.startswith("linux"):
            raise


def _setup(order: dict[str, Any], fds: list[int], scratch: str) -> None:
    """In the child, before any student code: own session, fds, IPC, privileges, limits.

    Afterwards fd 0 is the request (read by the child), 3 its result, 4 the tick pipe,
    5 + i case i's output pipe; 1 and 2 are the first case's.
    """
    os.setsid()
    request_fd, result_fd, *outs, tick_fd = fds
    os.dup2(request_fd, 0)
    os.dup2(result_fd, 3)
    os.dup2(tick_fd, TICK_FD)
    for i, out_fd in enumerate(outs):
        os.dup2(out_fd, TICK_FD + 1 + i)
    os.closerange(TICK_FD + 1 + len(outs), 4096)
    os.dup2(TICK_FD + 1, 1)
    os.dup2(TICK_FD + 1, 2)
    limits = order.get("limits", {})
    if DROP_UID is None:  # a dedicated uid's objects are all removed after each case instead
        private_ipc()
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


ANSWERED = [0]  # in the child: cases answered so far


def _emit(answer: dict[str, Any]) -> None:
    """Send one case's answer (its frame on fd 3, then a tick); print into the next case's pipe."""
    write_all(3, encode(answer, []))  # ``encode`` looked up after the submission ran, as it always was
    os.write(TICK_FD, b".")
    ANSWERED[0] += 1
    with contextlib.suppress(OSError):  # after the last case there is no next pipe
        os.dup2(TICK_FD + 1 + ANSWERED[0], 1)
        os.dup2(TICK_FD + 1 + ANSWERED[0], 2)
        os.close(TICK_FD + ANSWERED[0])  # that case's pipe ends: the grader reads it to the end


def _child(order: dict[str, Any], fds: list[int], scratch: str) -> None:
    """In the forked child: read the request, run the student's code, one result frame per case to fd 3."""
    try:
        _setup(order, fds, scratch)
        os.lseek(0, 0, os.SEEK_SET)
        frame_in = read_frame(os.fdopen(0, "rb", buffering=0, closefd=False))
        if frame_in is None:
            raise ValueError("no request")
        req, blobs = frame_in
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # the request file is not the student's to read again
        os.close(devnull)
    except BaseException:
        os._exit(SETUP_FAILED)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
    sys.stderr = sys.stdout
    try:
        run_cases(req, blobs, _emit)
    finally:
        os._exit(0)


def _wait(pid: int, timeouts: list[float], ticks_fd: int) -> dict[str, Any]:
    """Wait until the child exits or misses a case's deadline; then kill whatever it left behind.

    Each tick (an answered case) starts the next case's deadline; after the last case the
    child has ``EXIT_GRACE`` seconds to exit. The total stays within the sum of the timeouts.
    """
    pidfd = _pidfd(pid)
    deadline = time.monotonic() + (timeouts[0] if timeouts else EXIT_GRACE)
    ticks, watch = 0, [ticks_fd] + ([pidfd] if pidfd is not None else [])
    status: tuple[int, int, Any] | None = None
    while status is None:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select(watch, [], [], left if pidfd is not None else min(left, 0.002))
        if ticks_fd in ready:
            got_ticks = len(os.read(ticks_fd, 4096))  # counted, never looked at
            if not got_ticks:
                watch.remove(ticks_fd)
            ticks += got_ticks
            if got_ticks and ticks <= len(timeouts):
                deadline = time.monotonic() + (timeouts[ticks] if ticks < len(timeouts) else EXIT_GRACE)
        got = os.wait4(pid, os.WNOHANG)
        status = got if got[0] else None
    if pidfd is not None:
        os.close(pidfd)
    timed_out = status is None
    _kill(pid)  # anything left in its process group would hold the pipes open
    if status is None:
        status = os.wait4(pid, 0)
    return {"timed_out": timed_out, "exit_code": os.waitstatus_to_exitcode(status[1]),
            "cpu": round(status[2].ru_utime + status[2].ru_stime, 3), "ticks": min(ticks, len(timeouts))}


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # Linux 5.3+: readable when the child exits
    except (AttributeError, OSError):
        return None


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
            "drop_uid": DROP_UID, "numpy": np.__version__}


def _receive(stdin: Any) -> tuple[dict[str, Any], list[int]] | None:
    """The next case order and its three descriptors; None at the end of the stream."""
    frame = read_frame(stdin)
    if frame is None:
        return None
    _, fds, _, _ = socket.recv_fds(CONTROL, 1, 2 + MAX_BATCH)
    if len(fds) < 3:
        raise ValueError("a case order came without its descriptors")
    return frame[0], fds


CONTROL = socket.socket(fileno=CONTROL_FD) if CONTROL_FD >= 0 else socket.socket(socket.AF_UNIX)


def serve() -> None:
    """Run batches of cases read from stdin, one forked child each, until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    root = _scratch_root() if HARDEN else ""
    stdout.write(encode({"hello": _hello()}))
    stdout.flush()
    try:
        while (got := _receive(stdin)) is not None:
            order, fds = got
            scratch = ""
            if HARDEN:  # a random name: nothing in the child tells one case from another
                scratch = os.path.join(root, f"case-{os.urandom(8).hex()}")
                os.mkdir(scratch, 0o700)
                if DROP_UID is not None:
                    os.chown(scratch, DROP_UID, DROP_UID)
            reply, before = _run_one(order, fds, scratch)
            stdout.write(json.dumps(reply).encode() + b"\n")
            stdout.flush()
            # Cleaned up after answering, before the next order is read: off the grader's clock.
            remove_ipc(DROP_UID, before)
            remove_files(DROP_UID)
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if HARDEN and root != "/tmp":
            shutil.rmtree(root, ignore_errors=True)


def _run_one(order: dict[str, Any], fds: list[int], scratch: str
             ) -> tuple[dict[str, Any], set[tuple[str, int, int]]]:
    before = ipc_objects() if DROP_UID is None else set()
    ticks_r, ticks_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            _child(order, [*fds, ticks_w], scratch)
        finally:
            os._exit(70)
    for fd in [*fds, ticks_w]:  # the request unread, the pipes unwatched: they are the grader's business
        os.close(fd)
    try:
        return _wait(pid, [float(t) for t in order.get("timeouts", [5.0])], ticks_r), before
    finally:
        os.close(ticks_r)


PRELOAD = ("math", "cmath", "itertools", "functools", "collections", "heapq", "bisect", "random",
           "statistics", "typing", "dataclasses", "copy", "operator", "re", "string", "threading",
           "numpy.linalg")


def _preload() -> None:
    """Import the usual helpers once here.

    Cheaper per case, and importable even where the dropped uid may not read the Python
    install (process level as root).
    """
    ipc_objects()  # loads libc for the children's unshare and the leftovers' removal
    if DROP_UID is not None and CONFIG.get("uid_range"):  # what a killed grader's children left
        remove_stale(*CONFIG["uid_range"])
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)


if __name__ == "__main__":
    np.seterr(all="warn", under="ignore")
    serve()
