"""A warm zygote per user, opt-in with ``DLGRADE_WARM=1``: ``dlgrade check`` then skips its start.

A check that finds no holder starts one and goes on cold: ``python -m grader.sandbox.holder``,
detached (its own session, no stdio), in a minimal environment (no course secret), begun
only once that check has ended. The holder starts one zygote as ``Sandbox()`` would and
listens on ``<hash>.sock`` in a private folder (``$XDG_RUNTIME_DIR/dlgrade``, else
``/tmp/dlgrade-<uid>``; used only if it is a real folder of our uid with mode 0700), where
the hash covers the sandbox's code and the zygote's launch configuration. To a peer of its
own uid (``SO_PEERCRED``) that sends the same hash it lends the zygote: its hello and the
three descriptors the grader talks to it through (a ``Link``). While lent the holder never
reads or writes them, so no request, source or output passes through it. The borrower gives
the zygote back with ``clean`` once every order it sent was answered; ending otherwise
(killed mid-case) spoils it, and the holder starts a fresh one. One borrower at a time:
others hear ``busy`` and go cold. The holder exits after ``DLGRADE_WARM_IDLE`` seconds
(600) without a borrower, when its zygote dies, or on ``python -m grader.sandbox.warm stop``.
Any failure means a cold sandbox; ``DLGRADE_WARM_DEBUG=1`` says why on stderr.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import time
from pathlib import Path
from typing import Any

from grader.sandbox.isolation import SANDBOX_DIR, candidates, launch
from grader.sandbox.runner import Sandbox

ENV, IDLE_ENV, DEBUG_ENV = "DLGRADE_WARM", "DLGRADE_WARM_IDLE", "DLGRADE_WARM_DEBUG"
MARK = "dlgrade-warm-holder"  # on the holder's command line: `pkill -f dlgrade-warm` finds it
WAIT = 0.5  # seconds a check gives the holder to answer before it goes cold
AFTER = 10.0  # at most this many seconds a new holder lets the check that started it finish first
PASSED = ("PATH", "HOME", "XDG_RUNTIME_DIR", "DLGRADE_SANDBOX", "PYTHONUSERBASE", IDLE_ENV)
VOLATILE = ("tag", "drop_uid", "probe")  # launch settings that differ per start, not per configuration


def _say(why: str) -> None:
    if os.environ.get(DEBUG_ENV):
        print(f"dlgrade warm: {why}", file=sys.stderr, flush=True)


def folder() -> Path | None:
    """This uid's private folder for holders, made if missing; None unless ours, a folder, mode 0700."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    path = Path(base, "dlgrade") if base else Path(f"/tmp/dlgrade-{os.getuid()}")
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700:
        return path
    _say(f"{path} is not a folder of uid {os.getuid()} with mode 0700")
    return None


def config_hash() -> str:
    """A hash of the sandbox's code (every module of it) and the launch configuration of its level."""
    import hashlib  # here: a check without DLGRADE_WARM does not pay for OpenSSL

    levels = candidates()
    digest = hashlib.sha256(json.dumps([levels, sys.executable, os.getuid()]).encode())
    for path in sorted(SANDBOX_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    got = launch(levels[0])
    config = {key: value for key, value in json.loads(got.config).items() if key not in VOLATILE}
    digest.update(json.dumps([got.argv[:-1], got.fd_args, config]).encode())  # argv[-1]: the tag
    return digest.hexdigest()[:24]


def peer_uid(conn: socket.socket) -> int | None:
    """The uid of the process at the other end of ``conn`` when it connected (None: unknown)."""
    if not hasattr(socket, "SO_PEERCRED"):  # Linux only: elsewhere no peer is trusted
        return None
    return int(struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1])


def held(lock: Path) -> bool:
    """Whether a live holder owns ``lock`` (it holds the file lock for as long as it runs)."""
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class Link:
    """A holder's zygote lent to this process: the part of ``subprocess.Popen`` that ``Sandbox`` uses."""

    def __init__(self, conn: socket.socket, facts: dict[str, Any], fds: list[int]) -> None:
        """Wrap ``fds`` (two pipes and a socket) received on ``conn`` with the holder's ``facts``.

        Raises:
            ValueError: ``fds`` are not what a holder sends.
        """
        self.facts, self._conn = facts, conn
        self.returncode: int | None = None
        self.level, self.tag, self.drop_uid = str(facts["level"]), str(facts["tag"]), facts["drop_uid"]
        self.pid, self.hello = int(facts["pid"]), dict(facts["hello"])  # pid: the zygote's group
        modes = [stat.S_IFMT(os.fstat(fd).st_mode) for fd in fds]
        if modes != [stat.S_IFIFO, stat.S_IFIFO, stat.S_IFSOCK]:
            raise ValueError("the holder sent other descriptors than two pipes and a socket")
        self.stdin, self.stdout = open(fds[0], "wb", buffering=0), open(fds[1], "rb", buffering=0)  # noqa: SIM115
        self.control = socket.socket(fileno=fds[2])

    def poll(self) -> int | None:
        """None while lent; after ``give_back``, 0 if it went back clean, else -9."""
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Give the zygote back spoilt unless ``give_back`` came first; the return code."""
        self.give_back(clean=False)
        assert self.returncode is not None
        return self.returncode

    def give_back(self, clean: bool) -> None:
        """Close our descriptors; ``clean``: every order sent was answered, so it may be lent again."""
        if self.returncode is None:
            self.returncode = 0 if clean else -signal.SIGKILL
            with contextlib.suppress(OSError):
                if clean:
                    self._conn.sendall(b"clean\n")
            for end in (self._conn, self.stdin, self.stdout, self.control):
                end.close()


def started() -> Sandbox:
    """A started sandbox for ``dlgrade check``: the holder's zygote under ``DLGRADE_WARM=1``, else cold."""
    box = Sandbox()
    if os.environ.get(ENV) == "1" and type(box) is Sandbox and sys.platform.startswith("linux"):
        try:
            link = _borrow()
        except Exception as exc:  # the warm path never fails a check
            _say(f"cold: {type(exc).__name__}: {exc}")
            link = None
        if link is not None:
            _say(f"lent by holder {link.facts['holder']}: zygote {link.facts['zygotes']} ({link.tag}), "
                 f"lent {link.facts['lent']} times before")
            return box.adopt(link)
    return box.start()


def _borrow() -> Link | None:
    place = folder()
    if place is None:
        return None
    digest = config_hash()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(WAIT)
    try:
        conn.connect(str(place / f"{digest}.sock"))
    except (FileNotFoundError, ConnectionRefusedError):
        conn.close()
        if held(place / f"{digest}.lock"):
            _say("cold: the holder is starting")
        else:
            _say("cold: no holder; one starts when this check ends")
            _spawn(digest)
        return None
    fds: list[int] = []
    try:
        if peer_uid(conn) != os.getuid():
            raise PermissionError("the socket's holder is not of our uid")
        with contextlib.suppress(BrokenPipeError):  # a busy holder may have answered and hung up
            conn.sendall(digest.encode() + b"\n")
        msg, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3, getattr(socket, "MSG_CMSG_CLOEXEC", 0))
        if len(fds) != 3 or not msg.endswith(b"\n"):
            raise ConnectionError(f"the holder said {msg[:40]!r}")
        return Link(conn, json.loads(msg), fds)
    except BaseException:
        conn.close()
        for fd in fds:
            os.close(fd)
        raise


def _spawn(digest: str) -> None:
    """Start a holder nobody waits for: it execs once this process has exited (or ``AFTER`` s)."""
    env = {key: os.environ[key] for key in PASSED if key in os.environ}
    paths = [str(SANDBOX_DIR.parent.parent), os.environ.get("PYTHONPATH", "")]  # this checkout's grader
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env |= {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # numpy reads a hello: no BLAS threads
    argv = [sys.executable, "-m", "grader.sandbox.holder", MARK, digest]
    parent, pid = os.getpid(), os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the check's pipes are not ours to hold
                os.chdir("/")
                with contextlib.suppress(OSError, AttributeError):
                    select.select([os.pidfd_open(parent)], [], [], AFTER)
                os.execve(sys.executable, argv, env)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def stop() -> list[int]:
    """End this uid's holders and wait until they have; their pids."""
    place, pids = folder(), []
    for lock in place.glob("*.lock") if place else ():
        with contextlib.suppress(ValueError, OSError):
            if held(lock):
                pid = int(lock.read_text().split()[0])
                os.kill(pid, signal.SIGTERM)
                pids.append(pid)
                for _ in range(200):
                    if not held(lock):
                        break
                    time.sleep(0.05)
    return pids


if __name__ == "__main__":
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m grader.sandbox.warm stop")
    print(" ".join(map(str, stop())) or "no warm holder was running")
