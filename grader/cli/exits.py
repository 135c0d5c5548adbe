"""How a dlgrade command ends: its exit code and the one line (or bug report) saying why.

Exit codes (like pytest's): 0 all passed, 1 some failed, 2 usage error,
3 internal error, 5 nothing to check. A closed stdout (``dlgrade check | head``)
is a normal end. Without typer or rich, so the lean ``check`` path
(``grader.cli.lean``) and the Typer commands (``grader.cli.common.user_errors``)
end the same way.
"""

from __future__ import annotations

import errno
import os
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from grader.errors import UsageError

EXIT_USAGE, EXIT_INTERNAL = 2, 3
# errors of the machine (full disk, read-only, no permission), not of dlgrade
ENVIRONMENT = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}


class StdoutClosed(Exception):
    """Whoever read stdout went away (``dlgrade check | head``): a normal end, not a bug."""


def stdout_closed() -> bool:
    """True when stdout is a pipe whose reading end is closed."""
    try:
        poller = select.poll()
        poller.register(sys.__stdout__.fileno() if sys.__stdout__ else 1, select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    finally:
        os.close(devnull)


@contextmanager
def printing() -> Iterator[None]:
    """Print a result; if stdout is closed, stop printing quietly and go on.

    The command still records the attempt and exits with its own code.
    """
    try:
        yield
    except (StdoutClosed, BrokenPipeError) as exc:
        if isinstance(exc, BrokenPipeError) and not stdout_closed():
            raise
        silence_stdout()


def _bug() -> int:
    import traceback

    print(traceback.format_exc(), file=sys.stderr)
    print("internal error: this is a bug in dlgrade; please report it with the text above",
          file=sys.stderr)
    return EXIT_INTERNAL


def report(exc: Exception) -> int:
    """Say why a command failed (call it inside the ``except``); its exit code.

    A user's mistake is one line and exit 2; a bug is a traceback and exit 3;
    a closed stdout ends the command quietly (exit 0).
    """
    if isinstance(exc, (StdoutClosed, BrokenPipeError)):
        if isinstance(exc, BrokenPipeError) and not stdout_closed():
            return _bug()
        silence_stdout()
        return 0
    if isinstance(exc, OSError) and not isinstance(exc, UsageError):
        if exc.errno not in ENVIRONMENT or not exc.filename:
            return _bug()
        print(f"error: {exc.filename}: {exc.strerror}; free some space, or use a folder you may "
              "read and write", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, UsageError):
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _bug()
