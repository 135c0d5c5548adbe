"""The grader's side of the sandbox: start the zygote, send cases, read answers.

Only answer frames come back from student code, their arrays checked by ``outcome.load_untrusted``.
numpy and the wire protocol are imported where they are used, so that
``Sandbox().start()`` spawns the zygote before the grader pays for numpy: both
imports then run side by side on two cores.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from grader.sandbox.disguise import disguise
from grader.sandbox.guard import instructor_paths, shield
from grader.sandbox.handoff import CaseChannels, collect
from grader.sandbox.isolation import (
    DESCRIPTIONS,
    Launch,
    LevelUnavailable,
    candidates,
    kill_tagged,
    launch,
)
from grader.sandbox.limits import FILE_LIMIT, MAX_BATCH, MEMORY_LIMIT
from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.reply import outcomes_from_answers

ZYGOTE_GRACE = 15.0  # seconds past a case's timeout before the zygote itself is presumed stuck


class Sandbox:
    """A zygote process that runs each batch of cases in a fresh forked child.

    ``level`` picks the isolation (see ``grader.sandbox.isolation``); by default
    the strongest this machine allows, or ``$DLGRADE_SANDBOX``. Below ``bwrap``,
    the instructor's files and the paths in ``protect`` (other students' work,
    results) are made unreadable by the child's uid first (``grader.sandbox.guard``).
    """

    def __new__(cls, python: str | None = None, level: str | None = None,
                memory: int = MEMORY_LIMIT, protect: Sequence[Path] = ()) -> Sandbox:
        """A zygote sandbox, or where ``portable`` is the level, a ``PortableSandbox``."""
        if cls is Sandbox and candidates(level)[0] == "portable":  # no fork or no resource here
            from grader.sandbox.portable import PortableSandbox

            return cast(Sandbox, PortableSandbox(python, level))  # same interface, no zygote
        return super().__new__(cls)

    def __init__(self, python: str | None = None, level: str | None = None,
                 memory: int = MEMORY_LIMIT, protect: Sequence[Path] = ()) -> None:
        """A sandbox (not started) using ``python``, at ``level``, with ``memory`` bytes per child.

        Below ``bwrap`` the ``protect`` paths are made unreadable by the child.
        """
        self._python = python
        self._protect = tuple(protect)
        self.shielded: list[str] = []  # paths this sandbox made unreadable by the child
        self._levels = candidates(level)
        self._explicit = level is not None or len(self._levels) == 1
        self._memory = memory
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None  # our end of the socket the case fds go through
        self._launch: Launch | None = None
        self._hello: dict[str, Any] | None = None  # from the running zygote
        self._facts: dict[str, Any] | None = None  # the last hello: survives close()
        self._pending = False  # an order sent whose reply was not read (a lent zygote is then spoilt)

    @property
    def level(self) -> str:
        """The isolation level in use: bwrap, unshare, process or plain."""
        if self._facts is None:
            self._ready()
        return self._levels[0]

    @property
    def isolated(self) -> bool:
        """True only when namespaces, a hidden file system and the uid drop were observed to work."""
        hello = self._facts or self._ready()
        return (self._levels[0] == "bwrap" and hello["pid"] <= 2 and hello["net"] == ["lo"]
                and not hello["visible"] and (hello["drop_uid"] is not None or hello["uid"] != 0))

    @property
    def isolation(self) -> str:
        """One line saying how isolated student code is here."""
        hello = self._facts or self._ready()
        text = DESCRIPTIONS[self._levels[0]]
        if self._levels[0] == "bwrap" and not self.isolated:
            text = "not isolated: bubblewrap started but the isolation checks failed"
        if hello["drop_uid"] is not None:
            return text + f"; runs as uid {hello['drop_uid']}"
        if self._levels[0] != "bwrap":
            return text + "; runs as the grader's own uid, so it can read every file the grader can"
        return text

    @property
    def numpy_version(self) -> str:
        """The numpy version student code runs with, as the zygote reported it."""
        hello = self._facts or self._ready()
        return str(hello.get("numpy", ""))

    @property
    def tag(self) -> str:
        """A marker on the command line of the zygote and every child it forks."""
        if self._launch is None:
            self._ready()
        assert self._launch is not None
        return self._launch.tag

    @property
    def drop_uid(self) -> int | None:
        """The uid children run as, if the level drops privileges."""
        return self._launch.drop_uid if self._launch else None

    def start(self) -> Sandbox:
        """Start the zygote if it is not running; a level that cannot start falls back to a weaker one."""
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._launch = launch(self._levels[0])
            except FileNotFoundError:  # bwrap or unshare named explicitly but not installed
                self._fall_back()
                return self.start()
            if self._levels[0] != "bwrap":  # the child sees the real file system
                self.shielded += shield([*instructor_paths(), *self._protect])
            argv = list(self._launch.argv)
            if self._python and self._levels[0] in ("process", "plain"):
                argv[0] = self._python
            # A fixed PATH: the grader's own may name its virtualenv or home (a path to hide).
            env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LC_ALL": "C.UTF-8"}
            self._hello = None
            args_r, args_w = os.pipe()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            config = json.loads(self._launch.config) | {"control_fd": theirs.fileno()}
            try:
                if self._launch.fd_args:  # bwrap reads its options from this pipe
                    argv[1:1] = ["--args", str(args_r)]
                    os.write(args_w, "".join(a + "\0" for a in self._launch.fd_args).encode())
                os.close(args_w)
                self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL, env=env, start_new_session=True,
                                              pass_fds=(args_r, theirs.fileno()), bufsize=0)
            except OSError:  # e.g. bwrap named explicitly but not installed
                self._proc = None
                ours.close()
                self._fall_back()
                return self.start()
            finally:
                os.close(args_r)
                theirs.close()
            self._control = ours
            assert self._proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # a zygote that died is noticed at hello
                self._proc.stdin.write(json.dumps(config).encode() + b"\n")
        return self

    def adopt(self, link: Any) -> Sandbox:
        """Use the zygote a warm holder lent (a ``grader.sandbox.warm.Link``) instead of starting one."""
        self._proc, self._control, self._levels = link, link.control, [link.level]
        self._hello = self._facts = link.hello
        self._launch = Launch(link.level, [], link.tag, link.drop_uid, "", [])
        if link.level != "bwrap":  # the child sees the real file system
            self.shielded += shield([*instructor_paths(), *self._protect])
        return self

    def lend(self) -> tuple[list[int], int, dict[str, Any]]:
        """The running zygote's stdin, stdout and control descriptors, its pid and hello (for a holder)."""
        hello = self._ready()
        proc, control = self._proc, self._control
        assert proc is not None and proc.stdin and proc.stdout and control
        return [proc.stdin.fileno(), proc.stdout.fileno(), control.fileno()], proc.pid, hello

    def protect(self, paths: Sequence[Path]) -> None:
        """Below full isolation, make ``paths`` unreadable by the child too (as root)."""
        self._protect += tuple(paths)
        if self._proc is not None and self._levels[0] != "bwrap":
            self.shielded += shield(paths)

    def _fall_back(self) -> None:
        """Give up on the current level: the next weaker one, or a usage error if it was asked for."""
        if self._explicit or len(self._levels) == 1:
            raise LevelUnavailable(f"the sandbox could not start at level {self._levels[0]!r}; "
                                   "unset DLGRADE_SANDBOX or pick a weaker level")
        self._levels = self._levels[1:]

    def _ready(self) -> dict[str, Any]:
        """Wait for the zygote's hello; fall back to a weaker level if this one cannot start."""
        from grader.sandbox import protocol

        while True:
            self.start()
            if self._hello is not None:
                return self._hello
            proc = self._proc
            assert proc is not None and proc.stdout is not None
            try:
                frame = protocol.read_frame(proc.stdout)
            except ValueError:
                frame = None
            if frame is not None and isinstance(frame[0].get("hello"), dict):
                hello: dict[str, Any] = frame[0]["hello"]
                self._hello = self._facts = hello
                return hello
            self._kill()
            self._fall_back()

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self.close()
        if self._launch is not None:
            kill_tagged(self._launch.tag)

    def shutdown(self) -> None:
        """Tell the zygote to exit (a lent one goes back), without waiting: close() later reaps it."""
        if give_back := getattr(self._proc, "give_back", None):
            give_back(clean=not self._pending)
        if self._proc is not None and self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()

    def close(self) -> None:
        """Stop the zygote (killed if it does not exit) and any children it left behind."""
        if self._proc is not None:
            self.shutdown()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
            if self._proc.returncode != 0 and self._launch is not None:
                kill_tagged(self._launch.tag)  # killed or crashed: its children may be orphans
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None
        if self._control is not None:
            self._control.close()
            self._control = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, source: str, filename: str, module: str, calls: list[Any],
            timeout: float, meanwhile: Callable[[], object] | None = None) -> ChildOutcome:
        """Run one case's ``calls`` in a fresh child (``run_many`` with one case)."""
        return self.run_many(source, filename, module, [(calls, timeout)], meanwhile)[0]

    def run_many(self, source: str, filename: str, module: str, cases: Sequence[tuple[list[Any], float]],
                 meanwhile: Callable[[], object] | None = None) -> list[ChildOutcome]:
        """Run the cases (calls, timeout) in order in one fresh child (see ``Runner``).

        At most ``MAX_BATCH`` of them: the caller sends the rest again, as after a crash.
        """
        from grader.sandbox import protocol
        from grader.sandbox.execute import as_plain

        cases = cases[:MAX_BATCH]
        disguised = [disguise([as_plain(c) for c in calls]) for calls, _ in cases]  # probes look like calls
        timeouts = [float(t) for _, t in cases]
        payload = protocol.encode({"source": source, "filename": filename, "module": module,
                                   "cases": [sent for sent, _ in disguised]})
        order = protocol.encode({"timeouts": timeouts, "limits": {
            "memory": self._memory, "cpu": math.ceil(sum(timeouts)) + 1, "fsize": FILE_LIMIT}})
        for attempt in (1, 2):
            self._ready()
            proc, control = self._proc, self._control
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            assert control is not None
            answers = None
            with CaseChannels(payload, len(cases)) as channels:
                try:  # the submission goes to the child only: the zygote passes the descriptors on
                    self._pending = True
                    socket.send_fds(control, [b"c"], channels.for_child())
                    channels.handed_over()
                    proc.stdin.write(order)
                    if meanwhile is not None and attempt == 1:
                        meanwhile()  # may be skipped: the caller then does it itself
                    answers = collect(proc.stdout.fileno(), channels, sum(timeouts) + ZYGOTE_GRACE,
                                      len(cases))
                    self._pending = answers is None
                except (BrokenPipeError, ConnectionError, ValueError):
                    answers = None
            if answers is not None:
                return outcomes_from_answers(answers, [table for _, table in disguised])
            self._kill()  # the zygote died or hung: restart it once, then give up
        return [ChildOutcome("crash", message="the sandbox stopped unexpectedly")]
