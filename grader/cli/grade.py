"""``dlgrade grade`` and ``dlgrade merge``.

Thin commands over grader.grade.batch, grader.grade.gradebook, grader.grade.exports
and grader.grade.report.

Exit codes: 0 every student graded, 2 usage error (also: --out full or
read-only, or a results file edited by hand), 3 internal error (some students
could not be graded; run the same command again to retry them), 5 no
submissions to grade.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader.cli.common import EXIT_INTERNAL, user_errors

SecretOpt = Annotated[str | None, typer.Option(
    "--secret", envvar="DLGRADE_SECRET",
    help="Derive hidden-case inputs per student from this secret (or set DLGRADE_SECRET)")]
ReportOpt = Annotated[Path | None, typer.Option("--report", help="Write the class report (HTML) here")]


def _finish(book_dir: Path, report: Path | None, console: Console) -> None:
    from grader.grade.exports import write_all
    from grader.grade.gradebook import load

    book = load(book_dir)
    extra = {}
    if report is not None:
        from grader.grade.report import render

        extra[report] = render(book)
    write_all(book, book_dir, extra)
    console.print(f"gradebook of {len(book.students)} students: {book_dir / 'gradebook.csv'} "
                  f"(also canvas.csv, moodle.csv, gradebook.json, junit/)")
    if report is not None:
        console.print(f"class report: {report}")


def grade(
    submissions: Annotated[Path, typer.Argument(
        help="Folder with one folder, .py, .ipynb or .zip per student")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results folder (created; rerun to resume)")],
    manifest: Annotated[Path | None, typer.Option(
        help="Assignment manifest (default: every exercise)")] = None,
    roster: Annotated[Path | None, typer.Option(help="CSV with an id column (name, sis_id, login, section, "
                                                     "file optional)")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: twice the cores, at most 8 more)")]
    = None,
    shard: Annotated[str | None, typer.Option(help="Grade only slice I of N, e.g. 2/4")] = None,
    secret: SecretOpt = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Skip hidden cases")] = False,
    report: ReportOpt = None,
    allow_unisolated: Annotated[bool, typer.Option(
        "--allow-unisolated", help="Grade even when the sandbox is not isolated (marked in the results)")]
    = False,
) -> None:
    """Grade a whole class in parallel; resumable, shardable; writes the gradebook exports."""
    console = Console(stderr=True, highlight=False)
    with user_errors():
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from grader.grade.run import execute, plan

        run = plan(submissions, out, manifest, roster, jobs, shard, secret, public_only, allow_unisolated)
        if run is None:
            console.print(f"nothing to grade in {submissions}" + (f" (shard {shard})" if shard else ""))
            raise typer.Exit(5)
        console.print(f"{len(run.people)} students, {len(run.people) - len(run.todo)} already graded, "
                      f"{len(run.todo)} to grade with {run.workers} worker(s)"
                      + ("" if run.isolated else "; sandbox NOT isolated"))
        errors = []
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),  # one bar
                   TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console, auto_refresh=False) as progress:
            task = progress.add_task("grading", total=len(run.todo))
            for done in execute(run):
                if done.error:
                    errors.append(f"{done.student}: {done.error}")
                progress.update(task, advance=1, refresh=True)
        _finish(out, report, console)
        for line in errors:
            console.print(f"[red]not graded[/] {line}")
    if errors:
        typer.echo(f"{len(errors)} students not graded (a dlgrade bug); run the same command to retry",
                   err=True)
        raise typer.Exit(EXIT_INTERNAL)


def merge(
    results: Annotated[list[Path], typer.Argument(help="Results folders of the shards")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the merged results and exports")],
    report: ReportOpt = None,
) -> None:
    """Merge the results folders of shards into one gradebook (same manifest and grader version only)."""
    console = Console(stderr=True, highlight=False)
    with user_errors():
        from grader.grade.gradebook import merge as merge_books

        book = merge_books(results, out)
        console.print(f"merged {len(results)} results folders: {len(book.students)} students")
        _finish(out, report, console)


def register(app: typer.Typer) -> None:
    """Add the ``grade`` and ``merge`` commands to ``app``."""
    app.command()(grade)
    app.command()(merge)
