"""The ``dlgrade`` command line: the Typer app and where each command group comes from.

``grader.cli.app.main`` sends a plain ``check`` down the lean path instead.

Each command parses its options, calls one library function, renders the
result and exits; shared pieces are in ``grader.cli.common``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from grader import __version__
from grader.cli import assign, check, grade, progress, quiz

app = typer.Typer(help="dlgrade: auto-graded deep-learning exercises and quizzes.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlgrade {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """dlgrade: auto-graded deep-learning exercises and quizzes."""


check.register(app)
app.command("assign")(assign.assign_command)
app.command()(progress.progress)
app.add_typer(quiz.quiz_app, name="quiz")
grade.register(app)

