"""The ``dlgrade`` command line: thin typer commands over the library.

Exit codes (like pytest's): 0 all passed, 1 some failed, 2 usage error,
3 internal error, 5 nothing to check.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader import __version__
from grader.cli_options import LangOpt, Language, StoreOpt
from grader.errors import UsageError

app = typer.Typer(help="dlgrade: auto-graded deep-learning exercises and quizzes.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

EXIT_USAGE, EXIT_INTERNAL = 2, 3


class Format(StrEnum):
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


def _console() -> Console:

    return Console(highlight=False, soft_wrap=False)


SubmissionOpt = Annotated[Path | None, typer.Option(
    "--submission", "-s", help="A folder of exercise modules, one .py file or a .zip (default: ./exercises)")]




def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlgrade {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """dlgrade: auto-graded deep-learning exercises and quizzes."""


@app.command("list")
def list_cmd(submission: SubmissionOpt = None, lang: LangOpt = Language.en) -> None:
    """Show every exercise with its title, points and status for your submission."""
    with user_errors():
        from rich.table import Table

        from grader import registry
        from grader.check import default_submission
        from grader.submission import read_source, status
        from grader.texts import exercise_teaches, exercise_title

        sub = submission or default_submission()
        table = Table(title=f"Exercises (submission: {sub})", title_justify="left")
        for col in ("exercise", "title", "points", "status", "teaches"):
            table.add_column(col, overflow="fold")
        for ex_id in registry.available():
            ex = registry.load(ex_id)
            state = status(read_source(sub, ex_id), ex.functions) if sub.exists() else "missing"
            colour = {"implemented": "green", "partial": "yellow"}.get(state, "red")
            table.add_row(ex_id, exercise_title(ex_id, ex.title, lang.value), f"{ex.points:g}",
                          f"[{colour}]{state}[/]", exercise_teaches(ex_id, ex.teaches, lang.value))
        _console().print(table)


@app.command()
def check(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids, e.g. knn max-pool")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Check every exercise")] = False,
    submission: SubmissionOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format")] = Format.text,
    public_only: Annotated[bool, typer.Option("--public-only", help="Skip hidden cases")] = False,
    notebook: Annotated[Path | None, typer.Option(help="Grade the solution cells of a notebook")] = None,
    student: Annotated[str | None, typer.Option(envvar="DLGRADE_STUDENT", help="Student id for "
                                                "per-student hidden cases (with DLGRADE_SECRET)")] = None,
    store: StoreOpt = None,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not save this attempt")] = False,
    lang: LangOpt = Language.en,
) -> None:
    """Grade exercises of a submission and explain every failing case."""
    with user_errors():
        from grader.sandbox.runner import Sandbox

        sandbox = Sandbox().start()  # first: the zygote imports numpy while we import the rest
        try:
            from grader.store import open_store

            history = None if no_record else open_store(store)  # a broken store fails before grading
            from grader.check import check_submission, default_submission, select, select_notebook
            from grader.engine import Options
            from grader.seeds import secret_from_env

            sub = submission or default_submission()
            ids = (select_notebook(list(exercises or []), all_, notebook) if notebook
                   else select(list(exercises or []), all_, sub))
            opts = Options(hidden=not public_only, secret=secret_from_env(), student=student)
            from grader.render.language import localize

            run = localize(check_submission(ids, sub, opts, sandbox, notebook=notebook), lang.value)
            sandbox.shutdown()  # the zygote winds down while we print and record
            if fmt is Format.json:
                typer.echo(run.model_dump_json(indent=2))
            else:
                from grader.render.terminal import print_run

                print_run(run, _console(), lang.value)
            if history is not None:
                with history:
                    history.record_run(run)
        finally:
            sandbox.close()
    raise typer.Exit(run.exit_code)


@app.command()
def selftest(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids (default: all)")] = None,
) -> None:
    """Instructor check: reference passes, stubs fail, every known mistake is caught and named."""
    with user_errors():
        from rich.table import Table

        from grader import registry
        from grader.selftest import run_selftest

        ids = [registry.resolve(e) for e in exercises] if exercises else list(registry.available())
        if registry.reference(ids[0]) is None:
            raise UsageError("selftest needs the reference solutions (the solutions package)")
        stubs = Path("exercises") if Path("exercises").is_dir() else None
        findings = run_selftest(ids, stubs)
        table = Table(title="dlgrade selftest", title_justify="left")
        for col in ("exercise", "subject", "", "detail"):
            table.add_column(col, overflow="fold")
        for f in findings:
            table.add_row(f.exercise, f.subject, "[green]ok[/]" if f.ok else "[red]FAIL[/]", f.detail)
        _console().print(table)
    bad = sum(not f.ok for f in findings)
    typer.echo(f"{len(findings) - bad} passed, {bad} failed")
    raise typer.Exit(1 if bad else 0)


@app.command()
def stubs(
    write: Annotated[bool, typer.Option("--write", help="Rewrite the stubs instead of checking")] = False,
    out: Annotated[Path, typer.Option(help="Folder of the stubs")] = Path("exercises"),
) -> None:
    """Regenerate student stubs from the reference solutions (or check they are current)."""
    with user_errors():
        from grader import registry
        from grader.selftest import reference_source
        from grader.strip import strip_solutions

        stale = []
        for ex_id in registry.available():
            text = strip_solutions(reference_source(ex_id).text)
            path = out / f"{ex_id}.py"
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(ex_id)
                if write:
                    out.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
        verb = "rewrote" if write else "out of date"
        typer.echo(f"{verb}: {', '.join(stale)}" if stale else "all stubs are up to date")
    raise typer.Exit(1 if stale and not write else 0)


# Commands of their own modules (they need app and user_errors above).
from grader.cli_assign import assign_command  # noqa: E402
from grader.cli_grade import register as register_grade  # noqa: E402
from grader.cli_progress import progress  # noqa: E402
from grader.cli_quiz import quiz_app  # noqa: E402

app.command("assign")(assign_command)
app.command()(progress)
app.add_typer(quiz_app, name="quiz")
register_grade(app)


def main() -> None:
    try:
        app(prog_name="dlgrade")
    except KeyboardInterrupt:
        sys.exit(130)
