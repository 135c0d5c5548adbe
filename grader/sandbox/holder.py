"""The warm holder of ``grader.sandbox.warm``: one zygote lent to this uid's checks, one at a time.

Started by a check as ``python -m grader.sandbox.holder dlgrade-warm-holder HASH``; it holds
the lock file ``HASH.lock`` (holding its pid) for as long as it runs, so there is one holder per
configuration. It never reads or writes the zygote's descriptors while they are lent.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path

from grader.sandbox.isolation import kill_orphans
from grader.sandbox.runner import Sandbox
from grader.sandbox.warm import IDLE_ENV, MARK, WAIT, config_hash, folder, peer_uid


class Holder:
    """The holder's zygote and socket, and how often it lent the one and started the other."""

    def __init__(self, digest: str, path: Path) -> None:
        """Start a zygote, then listen on ``path`` (mode 0600) for checks sending ``digest``."""
        self.digest, self.path, self.lent, self.zygotes, self.pidfd = digest, path, 0, 0, -1
        self._fresh()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # a killed holder's: we hold the lock
        mask = os.umask(0o177)
        try:
            self.listener.bind(str(path))
        finally:
            os.umask(mask)
        self.inode = os.lstat(path).st_ino
        self.listener.listen(8)

    def _fresh(self) -> None:
        kill_orphans()  # what a killed holder or grader left behind
        self.box = Sandbox()
        if type(self.box) is not Sandbox:
            raise OSError("no zygote at the portable level")
        self.fds, self.pid, self.hello = self.box.lend()
        self.pidfd = os.pidfd_open(self.pid)  # readable once the zygote is gone
        self.zygotes += 1

    def serve(self) -> None:
        """Lend the zygote to one check at a time, until idle for ``DLGRADE_WARM_IDLE`` s or it dies."""
        idle = float(os.environ.get(IDLE_ENV) or 600)
        while True:
            ready, _, _ = select.select([self.listener.fileno(), self.pidfd], [], [], idle)
            if not ready or self.pidfd in ready:
                return
            conn, _ = self.listener.accept()
            with conn:
                if not self._lend(conn):
                    continue
                clean = self._given_back(conn)
            if clean:
                self.lent += 1
                continue
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)  # its stream may hold a stale reply
            self.close_zygote()
            self._fresh()

    def _lend(self, conn: socket.socket) -> bool:
        conn.settimeout(WAIT)
        try:
            if peer_uid(conn) != os.getuid():
                return False
            asked = conn.recv(64)
            if asked != self.digest.encode() + b"\n":
                conn.sendall(b"no\n")
                return False
            facts = {"hello": self.hello, "pid": self.pid, "level": self.box.level, "tag": self.box.tag,
                     "drop_uid": self.box.drop_uid, "holder": os.getpid(), "lent": self.lent,
                     "zygotes": self.zygotes}
            socket.send_fds(conn, [json.dumps(facts).encode() + b"\n"], self.fds)
            return True
        except OSError:  # gone, or too slow: nothing was lent
            return False

    def _given_back(self, conn: socket.socket) -> bool:
        """Wait for the borrower to hang up (``busy`` to anyone else); whether it said ``clean``."""
        conn.settimeout(None)
        said = b""
        while True:
            ready, _, _ = select.select([conn, self.listener], [], [])
            if self.listener in ready:
                other, _ = self.listener.accept()
                with other, contextlib.suppress(OSError):
                    other.sendall(b"busy\n")
            if conn in ready:
                chunk = conn.recv(64)
                if not chunk or len(said) > 64:
                    return said == b"clean\n"
                said += chunk

    def close_zygote(self) -> None:
        """Stop the zygote."""
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1
        self.box.close()

    def close(self) -> None:
        """Stop the zygote and remove the socket (if it is still ours)."""
        with contextlib.suppress(OSError):
            if os.lstat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        self.listener.close()
        self.close_zygote()


def hold(digest: str) -> None:
    """Be this uid's holder for ``digest`` unless one runs already or the configuration changed."""
    place = folder()
    if place is None:
        return
    lock = os.open(place / f"{digest}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    for _ in range(20):  # a check may be testing the lock this instant
        with contextlib.suppress(BlockingIOError):
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        time.sleep(0.05)
    else:
        return
    if config_hash() != digest:
        return
    os.ftruncate(lock, 0)
    os.write(lock, f"{os.getpid()}\n".encode())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    holder = Holder(digest, place / f"{digest}.sock")
    try:
        holder.serve()
    finally:
        holder.close()


if __name__ == "__main__":
    if sys.argv[1:2] == [MARK] and len(sys.argv) == 3:
        hold(sys.argv[2])
