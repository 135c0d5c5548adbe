"""The grader's side of the sandbox: start the zygote, send cases, read answers.

Only ``.npy`` bytes come back from student code. Each blob's header (dtype,
shape, size) is checked before the array is loaded, with pickles refused.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader.sandbox import protocol
from grader.sandbox.execute import as_plain

ZYGOTE = Path(__file__).with_name("zygote.py")
MAX_ELEMENTS = 20_000_000
MEMORY_LIMIT = 2 * 1024**3


class UnsafeOutput(ValueError):
    """A blob from the child is not a plain numeric array."""


@dataclass(frozen=True)
class ChildOutcome:
    """What the parent learned from one case run in the child."""

    status: str  # ok | exception | syntax_error | bad_return | timeout | crash | invalid
    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)
    exc_type: str = ""
    message: str = ""
    where: str = ""
    stdout: str = ""
    exit_code: int = 0


def load_untrusted(blob: bytes) -> np.ndarray:
    """Load a .npy blob from the child after checking its header."""
    buf = io.BytesIO(blob)
    try:
        version = np.lib.format.read_magic(buf)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(buf)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(buf)
    except (ValueError, OSError, SyntaxError) as exc:
        raise UnsafeOutput(f"not an .npy array ({exc})") from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf":
        raise UnsafeOutput(f"dtype {dtype} is not a plain number type")
    if int(np.prod(shape, dtype=np.int64)) > MAX_ELEMENTS:
        raise UnsafeOutput(f"array of shape {shape} is too large")
    buf.seek(0)
    arr = np.load(buf, allow_pickle=False)
    if arr.shape != shape or arr.dtype != dtype:
        raise UnsafeOutput("array header does not match its data")
    return np.asarray(arr)


class Sandbox:
    """A zygote process that runs each case in a fresh forked child."""

    isolated = False  # namespaces and a separate uid: see the sandbox hardening

    def __init__(self, python: str | None = None) -> None:
        self._python = python or sys.executable
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Sandbox:
        if self._proc is None or self._proc.poll() is not None:
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LC_ALL": "C.UTF-8"}
            self._proc = subprocess.Popen(
                [self._python, "-I", str(ZYGOTE)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env, start_new_session=True,
            )
        return self

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, source: str, filename: str, module: str, calls: list[Any],
            timeout: float) -> ChildOutcome:
        """Run ``calls`` against the submission's source in a fresh child."""
        request = {
            "source": source, "filename": filename, "module": module,
            "calls": [as_plain(c) for c in calls], "timeout": timeout,
            "limits": {"memory": MEMORY_LIMIT, "cpu": int(timeout) + 2, "fsize": 16 * 1024**2},
        }
        frame = protocol.encode(request)
        for attempt in (1, 2):
            proc = self.start()._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(frame)
                proc.stdin.flush()
                reply = protocol.read_frame(proc.stdout)
            except (BrokenPipeError, ValueError):
                reply = None
            if reply is not None:
                return self._outcome(*reply)
            self.close()  # the zygote died: restart it once, then give up
            if attempt == 2:
                return ChildOutcome("crash", message="the sandbox stopped unexpectedly")
        raise AssertionError("unreachable")

    def _outcome(self, reply: dict[str, Any], blobs: list[bytes]) -> ChildOutcome:
        stdout, code = reply["stdout"], reply["exit_code"]
        if reply["timed_out"]:
            return ChildOutcome("timeout", stdout=stdout, exit_code=code)
        try:
            parsed = protocol.read_frame(io.BytesIO(blobs[0]))
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if parsed is None:
            return ChildOutcome("crash", stdout=stdout, exit_code=code)
        answer, arrays = parsed
        if not isinstance(answer, dict) or answer.get("status") not in (
                "ok", "exception", "syntax_error", "bad_return"):
            return ChildOutcome("invalid", stdout=stdout, message="malformed answer")
        if answer["status"] != "ok":
            return ChildOutcome(answer["status"], exc_type=str(answer.get("exc_type", "")),
                                message=str(answer.get("message", "")),
                                where=str(answer.get("where", "")), stdout=stdout)
        try:
            outputs = protocol.decode_value(answer.get("outputs", {}), arrays, load_untrusted)
        except (UnsafeOutput, IndexError, KeyError, TypeError) as exc:
            return ChildOutcome("invalid", stdout=stdout, message=str(exc))
        invalid = {str(k): str(v) for k, v in dict(answer.get("invalid", {})).items()}
        if not isinstance(outputs, dict):
            return ChildOutcome("invalid", stdout=stdout, message="malformed outputs")
        for key in [k for k, v in outputs.items() if not isinstance(v, np.ndarray)]:
            invalid[key] = "nested value"
            del outputs[key]
        return ChildOutcome("ok", outputs=outputs, invalid=invalid, stdout=stdout)
