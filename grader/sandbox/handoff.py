"""The grader's end of one case: the descriptors handed to the child, and reading them.

The submission's source and the calls go into an anonymous memory file; the
child writes its result and its printed output into two pipes. The zygote
receives the three descriptors over a Unix socket and passes them to the child
it forks without reading them, so that nothing a submission wrote, and nothing
it printed or returned, ever sits in the zygote's memory (every later child is
a copy of it). The grader reads both pipes itself, within the limits of
``grader.sandbox.limits``, while it waits for the zygote's reply line.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import tempfile
import time
from types import TracebackType
from typing import Any

from grader.sandbox.limits import RESULT_LIMIT, STDOUT_LIMIT

EOF_GRACE = 2.0  # seconds to wait for the pipes to close once the zygote has answered
REPLY_LIMIT = 4096  # bytes of the zygote's reply line


def _memory_file(payload: bytes) -> int:
    """A descriptor of an unnamed file holding ``payload`` (memfd on Linux)."""
    try:
        fd = os.memfd_create("dlgrade-case", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # macOS: an unlinked temporary file
        handle, name = tempfile.mkstemp(prefix="dlgrade-case-")
        os.unlink(name)
        fd = handle
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
    return fd


class CaseChannels:
    """The request file and the two pipes of one case (a context manager closing all)."""

    def __init__(self, payload: bytes) -> None:
        """The request file holding ``payload``, and fresh result and output pipes."""
        self.request = _memory_file(payload)
        self.result_r, self.result_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        self._theirs = [self.request, self.result_w, self.out_w]
        self._ours = [self.result_r, self.out_r]

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


def collect(reply_fd: int, channels: CaseChannels, timeout: float
            ) -> tuple[dict[str, Any], list[bytes]] | None:
    """Read the child's result and output and the zygote's reply line.

    Returns the reply (with ``stdout`` and ``too_large`` added) and ``[result bytes]``,
    or None when the zygote died or did not answer within ``timeout`` seconds.
    """
    sel = selectors.DefaultSelector()
    sel.register(reply_fd, selectors.EVENT_READ, "reply")
    sel.register(channels.result_r, selectors.EVENT_READ, "result")
    sel.register(channels.out_r, selectors.EVENT_READ, "out")
    line, result, out = bytearray(), bytearray(), bytearray()
    too_large, open_pipes = False, 2
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
                    too_large = too_large or len(result) + len(chunk) > RESULT_LIMIT
                    if not too_large:
                        result += chunk
                elif len(out) < STDOUT_LIMIT:
                    out += chunk[: STDOUT_LIMIT - len(out)]
    finally:
        sel.close()
    assert reply is not None
    reply.update(stdout=out.decode("utf-8", "replace"), too_large=too_large)
    return reply, [bytes(result)]
