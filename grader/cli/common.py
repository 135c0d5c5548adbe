"""What every dlgrade command shares: exit codes, the error guard, the console, options.

Exit codes (like pytest's): 0 all passed, 1 some failed, 2 usage error,
3 internal error, 5 nothing to check.
"""

from __future__ import annotations

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


@contextmanager
def user_errors() -> Iterator[None]:
    """A user's mistake is one line and exit 2; a bug is a traceback and exit 3."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except Exception:
        typer.echo(traceback.format_exc(), err=True)
        typer.echo("internal error: this is a bug in dlgrade; please report it with the text above",
                   err=True)
        raise typer.Exit(EXIT_INTERNAL) from None


def console() -> Console:
    """The rich console every command prints through."""
    return Console(highlight=False, soft_wrap=False)


SubmissionOpt = Annotated[Path | None, typer.Option(
    "--submission", "-s", help="A folder of exercise modules, one .py file or a .zip (default: ./exercises)")]
