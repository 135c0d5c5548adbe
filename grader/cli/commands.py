"""The ``dlgrade`` command line: the Typer app and where each command group comes from.

``grader.cli.app.main`` sends a plain ``check`` down the lean path instead.

Each command parses its options, calls one library function, renders the
result and exits; shared pieces are in ``grader.cli.common``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from grader import __version__
from grader.cli import assign, authoring, check, collect, grade, init, progress, quiz

app = typer.Typer(help="dlgrade: auto-graded deep-learning exercises and quizzes.",
                  cls=authoring.CourseGroup, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlgrade {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False,
          course: Annotated[Path | None, typer.Option(
              "--course", help="A course pack folder whose exercises every command adds; may come "
              "after the command too (default: $DLGRADE_COURSE, else dlgrade.toml's 'course')")] = None,
          ) -> None:
    """dlgrade: auto-graded deep-learning exercises and quizzes."""


check.register(app)
app.command("init")(init.init_command)
app.command("collect")(collect.collect_command)
app.command("assign")(assign.assign_command)
app.command()(progress.progress)
app.add_typer(quiz.quiz_app, name="quiz")
grade.register(app)
authoring.register(app)

