"""The grader's end of a batch of cases: the descriptors handed to the child, and reading them.

The submission's source and the calls go into an anonymous memory file; the
child writes one answer frame per case and its printed output into two pipes. The zygote
receives the three descriptors over a Unix socket and passes them to the child
it forks without reading them, so that nothing a submission wrote, and nothing
it printed or returned, ever sits in the zygote's memory (every later child is
a copy of it). The grader reads both pipes itself, within the limits of
``grader.sandbox.limits``, while it waits for the zygote's reply line, and
splits the result pipe into one frame per case; each case prints into a pipe
of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import struct
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from grader.sandbox.limits import MAX_BLOBS, MAX_FRAME, RESULT_LIMIT, STDOUT_LIMIT

EOF_GRACE = 2.0  # seconds to wait for the pipes to close once the zygote has answered
REPLY_LIMIT = 4096  # bytes of the zygote's reply line


def _memory_file(payload: bytes) -> int:
    """A descriptor of an unnamed file holding ``payload`` (memfd on Linux)."""
    try:
        fd = os.memfd_create("dlgrade-case", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # macOS: an unlinked temporary file
        import tempfile  # only here: it imports shutil, bz2 and lzma

        handle, name = tempfile.mkstemp(prefix="dlgrade-case-")
        os.unlink(name)
        fd = handle
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
    return fd


class CaseChannels:
    """The request file, the result pipe and one output pipe per case (a context manager closing all).

    The child points its stdout and stderr at case i's output pipe while it runs case i,
    so what each case printed is exactly what came through its own pipe.
    """

    def __init__(self, payload: bytes, cases: int = 1) -> None:
        """The request file holding ``payload``, a fresh result pipe and ``cases`` output pipes."""
        self.request = _memory_file(payload)
        self.result_r, self.result_w = os.pipe()
        outs = [os.pipe() for _ in range(cases)]
        self.outs_r = [r for r, _ in outs]
        self._theirs = [self.request, self.result_w, *(w for _, w in outs)]
        self._ours = [self.result_r, *self.outs_r]

    def for_child(self) -> list[int]:
        """Request, result and output descriptors, in the order the zygote expects."""
        return list(self._theirs)

    def handed_over(self) -> None:
        """Close our copies of the child's ends, so its exit closes the pipes."""
        for fd in self._theirs:
            os.close(fd)
        self._theirs = []

    def __enter__(self) -> CaseChannels:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for fd in self._theirs + self._ours:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._theirs = self._ours = []


def frame_length(buf: bytes | bytearray) -> int | None:
    """The length of the protocol frame at the start of ``buf``; None while it is incomplete.

    Raises:
        ValueError: The header is not one the child's ``protocol.encode`` could have written.
    """
    if len(buf) < 16:
        return None
    count, body = struct.unpack_from("<2Q", buf)
    if count > MAX_BLOBS or body > MAX_FRAME:
        raise ValueError("frame too large")
    if len(buf) < 16 + 8 * count:
        return None
    total = 16 + 8 * count + body + sum(struct.unpack_from(f"<{count}Q", buf, 16))
    if total > MAX_FRAME:
        raise ValueError("frame too large")
    return total if len(buf) >= total else None


@dataclass
class Answers:
    """What a child sent for a batch of cases, split per case.

    ``frames[i]`` is case i's answer frame, ``outs[i]`` what case i printed and ``walls[i]``
    the seconds from the end of case i-1's frame to the end of case i's, as the grader read
    them. ``rest`` holds bytes after the last whole frame (cut short, or not a frame);
    ``reply`` is the zygote's.
    """

    reply: dict[str, Any]
    frames: list[bytes] = field(default_factory=list)
    outs: list[str] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)
    rest: bytes = b""
    too_large: bool = False


class _Split:
    """Splits the result pipe into frames and the output pipe into each case's share."""

    def __init__(self, cases: int) -> None:
        self.cases = cases
        self.frames: list[bytes] = []
        self.walls: list[float] = []
        self.outs = [bytearray() for _ in range(cases + 1)]
        self.buf, self.size = bytearray(), 0
        self.broken = self.too_large = False
        self.last = time.monotonic()

    def result(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.too_large = self.too_large or self.size > RESULT_LIMIT
        if self.too_large or self.broken or len(self.frames) >= self.cases:
            return  # nothing more of it is read as an answer
        self.buf += chunk
        while not self.broken and len(self.frames) < self.cases:
            try:
                length = frame_length(self.buf)
            except ValueError:
                self.broken = True  # what follows is the current case's malformed answer
                return
            if length is None:
                return
            now = time.monotonic()
            self.frames.append(bytes(self.buf[:length]))
            self.walls.append(now - self.last)
            del self.buf[:length]
            self.last = now

    def output(self, case: int, chunk: bytes) -> None:
        out = self.outs[case]
        if len(out) < STDOUT_LIMIT:
            out += chunk[: STDOUT_LIMIT - len(out)]


def collect(reply_fd: int, channels: CaseChannels, timeout: float, cases: int = 1) -> Answers | None:
    """Read the child's answers and output, and the zygote's reply line.

    ``cases`` is how many answer frames to expect. Returns None when the zygote died or
    did not answer within ``timeout`` seconds.
    """
    sel = selectors.DefaultSelector()
    sel.register(reply_fd, selectors.EVENT_READ, "reply")
    sel.register(channels.result_r, selectors.EVENT_READ, "result")
    for case, out_r in enumerate(channels.outs_r):
        sel.register(out_r, selectors.EVENT_READ, case)
    line, split, open_pipes = bytearray(), _Split(cases), 1 + len(channels.outs_r)
    reply: dict[str, Any] | None = None
    deadline = time.monotonic() + timeout
    try:
        while reply is None or open_pipes:
            left = deadline - time.monotonic()
            if left <= 0:
                if reply is None:
                    return None
                break  # something outlived the child and holds a pipe: keep what came
            for key, _ in sel.select(left):
                chunk = os.read(key.fd, 1 << 16)
                if key.data == "reply":
                    if not chunk or len(line) + len(chunk) > REPLY_LIMIT:
                        return None  # the zygote died, or is not speaking the protocol
                    line += chunk
                    if line.endswith(b"\n"):
                        reply = json.loads(line)
                        sel.unregister(reply_fd)
                        deadline = min(deadline, time.monotonic() + EOF_GRACE)
                elif not chunk:
                    sel.unregister(key.fd)
                    open_pipes -= 1
                elif key.data == "result":
                    split.result(chunk)
                else:
                    split.output(key.data, chunk)
    finally:
        sel.close()
    assert reply is not None
    return Answers(reply, split.frames, [out.decode("utf-8", "replace") for out in split.outs],
                   split.walls, bytes(split.buf), split.too_large)
