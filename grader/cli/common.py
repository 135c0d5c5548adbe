"""What every dlgrade command shares: exit codes, the error guard, the console, options.

Exit codes (like pytest's): 0 all passed, 1 some failed, 2 usage error,
3 internal error, 5 nothing to check.
"""

from __future__ import annotations

import errno
import os
import select
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader.errors import UsageError


class Language(StrEnum):
    """The languages of the course's texts: the notes are Chinese, English is the default."""

    en = "en"
    zh = "zh"


LangOpt = Annotated[Language, typer.Option(
    "--lang", "-l", envvar="DLGRADE_LANG", show_envvar=False,
    help="Language of titles, case descriptions, messages and hints: en or zh "
         "(default: $DLGRADE_LANG, else en)")]
StoreOpt = Annotated[Path | None, typer.Option(
    "--store", help="Progress history file (default: $DLGRADE_STORE, else .dlgrade/progress.sqlite3)")]

EXIT_USAGE, EXIT_INTERNAL = 2, 3


class Format(StrEnum):
    """Output formats of the commands that print a result."""

    text = "text"
    json = "json"


# errors of the machine (full disk, read-only, no permission), not of dlgrade
_ENVIRONMENT = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}


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


def _silence_stdout() -> None:
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
        _silence_stdout()


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn errors into exit codes: a user's mistake is one line and exit 2.

    A bug is a traceback and exit 3; a closed stdout ends the command quietly (exit 0).
    """
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except (StdoutClosed, BrokenPipeError) as exc:
        if isinstance(exc, BrokenPipeError) and not stdout_closed():
            _bug()
        _silence_stdout()
        raise typer.Exit(0) from None
    except OSError as exc:
        if exc.errno not in _ENVIRONMENT or not exc.filename:
            _bug()
        typer.echo(f"error: {exc.filename}: {exc.strerror}; free some space, or use a folder you may "
                   "read and write", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except Exception:
        _bug()


def _bug() -> None:
    typer.echo(traceback.format_exc(), err=True)
    typer.echo("internal error: this is a bug in dlgrade; please report it with the text above",
               err=True)
    raise typer.Exit(EXIT_INTERNAL) from None


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Raise StdoutClosed: a closed stdout is a normal end (rich's default exits 1)."""
        self.quiet = True
        raise StdoutClosed


def console() -> Console:
    """The rich console every command prints through."""
    return _Console(highlight=False, soft_wrap=False)


SubmissionOpt = Annotated[Path | None, typer.Option(
    "--submission", "-s", help="A folder of exercise modules, one .py file or a .zip (default: ./exercises)")]
