"""``dlgrade grade`` and ``dlgrade merge``: thin commands over grader.grade.batch,
grader.grade.gradebook, grader.grade.exports and grader.grade.report.

Exit codes: 0 every student graded, 2 usage error, 3 internal error (some
students could not be graded; run the same command again to retry them),
5 no submissions to grade.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader.cli.common import EXIT_INTERNAL, user_errors
from grader.errors import UsageError

SecretOpt = Annotated[str | None, typer.Option(
    "--secret", envvar="DLGRADE_SECRET",
    help="Derive hidden-case inputs per student from this secret (or set DLGRADE_SECRET)")]
ReportOpt = Annotated[Path | None, typer.Option("--report", help="Write the class report (HTML) here")]


def _finish(book_dir: Path, report: Path | None, console: Console) -> None:
    from grader.grade.exports import write_all
    from grader.grade.gradebook import load

    book = load(book_dir)
    write_all(book, book_dir)
    console.print(f"gradebook of {len(book.students)} students: {book_dir / 'gradebook.csv'} "
                  f"(also canvas.csv, moodle.csv, gradebook.json, junit/)")
    if report is not None:
        from grader.grade.report import render
        from grader.grade.results import write_atomic

        write_atomic(report, render(book))
        console.print(f"class report: {report}")


def grade(
    submissions: Annotated[Path, typer.Argument(
        help="Folder with one folder, .py, .ipynb or .zip per student")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results folder (created; rerun to resume)")],
    manifest: Annotated[Path | None, typer.Option(
        help="Assignment manifest (default: every exercise)")] = None,
    roster: Annotated[Path | None, typer.Option(help="CSV with an id column (name, sis_id, login, section, "
                                                     "file optional)")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores)")]
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
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from grader.engine import registry
        from grader.engine.manifest import Manifest
        from grader.grade import batch
        from grader.grade import roster as classroom
        from grader.grade.results import default_manifest
        from grader.sandbox.guard import secret_on_command_line
        from grader.sandbox.runner import Sandbox

        plan = Manifest.load(manifest) if manifest else default_manifest()
        for entry in plan.exercises:
            registry.resolve(entry.id)
        people = classroom.match(classroom.scan(submissions),
                                 classroom.read_roster(roster) if roster else None)
        cut = classroom.parse_shard(shard) if shard else None
        people = classroom.in_shard(people, cut)
        if not people:
            console.print(f"nothing to grade in {submissions}" + (f" (shard {shard})" if shard else ""))
            raise typer.Exit(5)
        box = Sandbox().start()
        isolated, isolation = bool(box.isolated), str(getattr(box, "isolation", "process limits only"))
        if not isolated and not allow_unisolated:
            box.close()
            raise UsageError(f"the sandbox on this machine is not isolated ({isolation}); grade for credit "
                             "on a machine where it is, or pass --allow-unisolated (results are marked)")
        if secret and not isolated and secret_on_command_line(secret):
            box.close()
            raise UsageError("the sandbox is not isolated, so student code can read this command line: "
                             "pass the secret in DLGRADE_SECRET instead of --secret")
        cfg = batch.BatchConfig(submissions=submissions, out=out, manifest=plan,
                                secret=secret.encode() if secret else None, hidden=not public_only,
                                jobs=jobs or batch.default_jobs())
        batch.prepare(cfg, isolated, isolation, shard or "")
        todo = batch.missing(cfg, people)
        if cfg.jobs > 1 and len(todo) > 1:
            box.close()  # workers start their own; no zygote pipes leak into them
        console.print(f"{len(people)} students, {len(people) - len(todo)} already graded, "
                      f"{len(todo)} to grade with {min(cfg.jobs, max(1, len(todo)))} worker(s)"
                      + ("" if isolated else "; sandbox NOT isolated"))
        errors = []
        columns = (*Progress.get_default_columns()[:2], BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn())
        try:
            with Progress(*columns, console=console, auto_refresh=False) as progress:
                task = progress.add_task("grading", total=len(todo))
                for done in batch.run(cfg, todo, box if cfg.jobs == 1 or len(todo) <= 1 else None):
                    if done.error:
                        errors.append(f"{done.student}: {done.error}")
                    progress.update(task, advance=1, refresh=True)
        finally:
            box.close()
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
    app.command()(grade)
    app.command()(merge)
