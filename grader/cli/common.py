"""What every dlgrade command shares: exit codes, the error guard, the console, options.

How a command ends (codes, messages, a closed stdout) is ``grader.cli.exits``, shared
with the lean check path; the names stay importable from here.

Exit codes (like pytest's): 0 all passed, 1 some failed, 2 usage error,
3 internal error, 5 nothing to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader.cli.exits import (  # re-exported for the commands
    EXIT_INTERNAL,
    EXIT_USAGE,
    StdoutClosed,
    printing,
    report,
    stdout_closed,
)

__all__ = ["EXIT_INTERNAL", "EXIT_USAGE", "Format", "LangOpt", "Language", "StdoutClosed", "StoreOpt",
           "SubmissionOpt", "console", "printing", "stdout_closed", "user_errors"]


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



class Format(StrEnum):
    """Output formats of the commands that print a result."""

    text = "text"
    json = "json"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn errors into exit codes (``grader.cli.exits.report``, as on the lean check path).

    A user's mistake is one line and exit 2, a bug a traceback and exit 3, a closed
    stdout a quiet exit 0.
    """
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        raise typer.Exit(report(exc)) from None


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
