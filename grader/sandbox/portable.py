"""The portable sandbox level: Windows, macOS, or anywhere ``fork`` or ``resource`` is missing.

Only cross-platform APIs: each case runs in a fresh interpreter started with
``subprocess`` (``portable_worker.py``; no fork), in a private scratch folder,
with the source and inputs sent over a pipe and the outputs coming back as
.npy bytes, checked by the same code as the zygote's. The limit is wall-clock
time: the parent kills the worker (and, where the OS allows, its process
group or tree). There is no memory, CPU, process or file-size limit and no
namespace: results say "not isolated". One worker is always started ahead,
so numpy's import overlaps the previous case.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from grader.sandbox.disguise import disguise
from grader.sandbox.handoff import Answers, frame_length
from grader.sandbox.isolation import ENV, SANDBOX_DIR
from grader.sandbox.limits import RESULT_LIMIT, STDOUT_LIMIT
from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.reply import outcomes_from_answers

WORKER = SANDBOX_DIR / "portable_worker.py"
START_GRACE = 60.0  # seconds a fresh worker may take to import numpy
DESCRIPTION = ("not isolated: portable level (a separate process per case, wall-clock limit only; "
               "no memory or file limits)")


class PortableLevelNotice(UserWarning):
    """Said once per process when the portable level is chosen automatically."""


_noticed = False


def notice() -> None:
    """Warn once that this machine gets the portable level (no fork or no ``resource``)."""
    global _noticed
    if not _noticed:
        _noticed = True
        warnings.warn("dlgrade: this system has no fork() or no resource module (Windows?), so student "
                      "code runs at the portable sandbox level: a separate process per case with a "
                      "time limit, but not isolated (no memory limit, files readable).",
                      PortableLevelNotice, stacklevel=3)


def _env(scratch: str) -> dict[str, str]:
    keep = ("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    system = os.environ.get("SYSTEMROOT")
    env["PATH"] = os.path.join(system, "System32") if system else "/usr/local/bin:/usr/bin:/bin"
    env.update(HOME=scratch, USERPROFILE=scratch, TMPDIR=scratch, TMP=scratch, TEMP=scratch,
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8")
    return env


def _numpy_parent() -> str:
    import importlib.util

    spec = importlib.util.find_spec("numpy")
    assert spec is not None and spec.origin is not None, "numpy is a dependency of dlgrade"
    return str(Path(spec.origin).resolve().parent.parent)


class Worker:
    """One started worker process, its scratch folder and the threads draining its pipes."""

    def __init__(self, python: str) -> None:
        """Start ``python`` on the worker script in a new scratch folder and send its config."""
        self.scratch = tempfile.mkdtemp(prefix="dlgrade-portable-")
        group: dict[str, Any] = ({"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
                                 if sys.platform == "win32" else {"start_new_session": True})
        self.proc = subprocess.Popen([python, "-I", "-S", str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.scratch,
                                     env=_env(self.scratch), **group)
        assert self.proc.stdin is not None and self.proc.stdout is not None and self.proc.stderr is not None
        self.ready = threading.Event()
        self.result = bytearray()
        self.out = bytearray()
        self.too_large = False
        self._threads = [threading.Thread(target=self._drain_result, args=(self.proc.stdout,), daemon=True),
                         threading.Thread(target=self._drain_out, args=(self.proc.stderr,), daemon=True)]
        for t in self._threads:
            t.start()
        with contextlib.suppress(OSError):
            self.proc.stdin.write(json.dumps({"path": [_numpy_parent()]}).encode() + b"\n")
            self.proc.stdin.flush()

    def _drain_result(self, stream: IO[bytes]) -> None:
        first = stream.read(1)
        self.ready.set()
        if first != b"R":
            return
        while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
            if len(self.result) + len(chunk) > RESULT_LIMIT:
                self.too_large = True
                self.kill()
                return
            self.result += chunk

    def _drain_out(self, stream: IO[bytes]) -> None:
        while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
            if len(self.out) < STDOUT_LIMIT:
                self.out += chunk[: STDOUT_LIMIT - len(self.out)]

    def send(self, frame: bytes) -> None:
        """Write the request (in a thread: a large frame must not block the clock)."""
        def write() -> None:
            assert self.proc.stdin is not None
            with contextlib.suppress(OSError, ValueError):
                self.proc.stdin.write(frame)
                self.proc.stdin.close()

        threading.Thread(target=write, daemon=True).start()

    def kill(self) -> None:
        """Kill the worker and what it started (its process group; on Windows its tree)."""
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(self.proc.pid)], capture_output=True,
                           check=False)
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
                os.killpg(self.proc.pid, 9)
        with contextlib.suppress(OSError):
            self.proc.kill()

    def finish(self, timeout: float) -> dict[str, Any]:
        """Wait up to ``timeout`` seconds, kill, and report as the zygote does."""
        timed_out = False
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        self.kill()
        self.proc.wait()
        for t in self._threads:
            t.join(5)
        self.close()
        return {"timed_out": timed_out and not self.too_large, "too_large": self.too_large,
                "exit_code": self.proc.returncode, "cpu": 0.0,
                "stdout": self.out.decode("utf-8", "replace")}

    def close(self) -> None:
        """Close the pipes and remove the scratch folder."""
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


class PortableSandbox:
    """The sandbox at the portable level: ``Sandbox``'s interface, a fresh worker per case.

    ``Sandbox()`` returns one of these where ``grader.sandbox.isolation.candidates``
    picks ``portable`` (no fork or no ``resource``, or ``DLGRADE_SANDBOX=portable``).
    """

    level = "portable"
    isolated = False
    isolation = DESCRIPTION
    tag = "dlgrade-portable"
    drop_uid: int | None = None

    def __init__(self, python: str | None = None, level: str | None = None) -> None:
        """A portable sandbox (no worker started yet); ``level`` None means it was chosen automatically."""
        self.shielded: list[str] = []  # nothing: without another uid no file can be kept from the worker
        self._python = python or sys.executable
        self._auto = level is None and os.environ.get(ENV, "auto").strip().lower() in ("", "auto")
        self._spare: Worker | None = None

    def start(self) -> PortableSandbox:
        """Start the next case's worker (numpy imports while the grader goes on)."""
        if self._auto:
            notice()
        if self._spare is None:
            self._spare = Worker(self._python)
        return self

    def protect(self, paths: Sequence[Path]) -> None:
        """Nothing to do: the worker runs as the grader's own uid (the README says so)."""

    def shutdown(self) -> None:
        """As ``close``: there is no zygote to wind down."""
        self.close()

    def close(self) -> None:
        """Stop the spare worker and remove its folder."""
        if self._spare is not None:
            self._spare.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._spare.proc.wait(5)
            self._spare.close()
            self._spare = None

    def __enter__(self) -> PortableSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, source: str, filename: str, module: str, calls: list[Any],
            timeout: float, meanwhile: Callable[[], object] | None = None) -> ChildOutcome:
        """Run one case's ``calls`` (``run_many`` with one case)."""
        return self.run_many(source, filename, module, [(calls, timeout)], meanwhile)[0]

    def run_many(self, source: str, filename: str, module: str, cases: Sequence[tuple[list[Any], float]],
                 meanwhile: Callable[[], object] | None = None) -> list[ChildOutcome]:
        """Run the first case in the spare worker, and start the next worker: a one-case batch.

        The caller sends the other cases again (see ``Runner``); ``meanwhile`` is left to it.
        """
        from grader.sandbox import protocol
        from grader.sandbox.execute import as_plain

        calls, timeout = cases[0]
        self.start()
        worker, self._spare = self._spare, None
        assert worker is not None
        self.start()  # the next case's worker imports numpy while this case runs
        if not worker.ready.wait(START_GRACE) or worker.proc.poll() is not None:
            worker.finish(0)
            return [ChildOutcome("crash", message="the portable sandbox's worker did not start")]
        sent, table = disguise([as_plain(c) for c in calls])  # no labels: probes look like calls
        worker.send(protocol.encode({"source": source, "filename": filename, "module": module,
                                     "cases": [sent]}))
        reply = worker.finish(timeout)
        result = bytes(worker.result)
        try:
            whole = frame_length(result) == len(result)
        except ValueError:
            whole = False
        frames = [result] if whole else []
        answers = Answers(reply | {"ticks": len(frames)}, frames, [reply["stdout"], ""], [0.0],
                          b"" if whole else result, bool(reply["too_large"]))
        return outcomes_from_answers(answers, [table])
