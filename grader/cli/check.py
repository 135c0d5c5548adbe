"""``dlgrade list``, ``check``, ``selftest`` and ``stubs``: the exercise commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import (
    Format,
    LangOpt,
    Language,
    StoreOpt,
    SubmissionOpt,
    console,
    user_errors,
)
from grader.errors import UsageError


def list_cmd(submission: SubmissionOpt = None, lang: LangOpt = Language.en) -> None:
    """Show every exercise with its title, points and status for your submission."""
    with user_errors():
        from rich.table import Table

        from grader.check.run import default_submission
        from grader.engine import registry
        from grader.engine.texts import exercise_teaches, exercise_title
        from grader.render.language import WORDS, status_label
        from grader.submission.reader import Submission
        from grader.submission.source import status

        sub = submission or default_submission()
        opened = Submission(sub) if sub.exists() or sub.is_symlink() else None
        w = WORDS[lang.value]
        table = Table(title=w["list_title"].format(sub=sub), title_justify="left")
        for col in w["list_columns"].split("|"):
            table.add_column(col, overflow="fold")
        for ex_id in registry.available():
            ex = registry.load(ex_id)
            state = status(opened.read(ex_id), ex.functions) if opened else "missing"
            colour = {"implemented": "green", "partial": "yellow"}.get(state, "red")
            table.add_row(ex_id, exercise_title(ex_id, ex.title, lang.value), f"{ex.points:g}",
                          f"[{colour}]{status_label(state, lang.value)}[/]",
                          exercise_teaches(ex_id, ex.teaches, lang.value))
        if opened:
            opened.close()
        console().print(table)


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
    from grader.cli.lean import CheckArgs, run_check  # the lean path's own implementation

    args = CheckArgs(exercises=tuple(exercises or ()), all_=all_, submission=submission, fmt=fmt.value,
                     public_only=public_only, notebook=notebook, student=student, store=store,
                     no_record=no_record, lang=lang.value)
    with user_errors():
        code = run_check(args)
    raise typer.Exit(code)


def selftest(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids (default: all)")] = None,
) -> None:
    """Instructor check: reference passes, stubs fail, every known mistake is caught and named."""
    with user_errors():
        from rich.table import Table

        from grader.check.selftest import run_selftest
        from grader.engine import registry

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
        console().print(table)
    bad = sum(not f.ok for f in findings)
    typer.echo(f"{len(findings) - bad} passed, {bad} failed")
    raise typer.Exit(1 if bad else 0)


def stubs(
    write: Annotated[bool, typer.Option("--write", help="Rewrite the stubs instead of checking")] = False,
    out: Annotated[Path, typer.Option(help="Folder of the stubs")] = Path("exercises"),
    force: Annotated[bool, typer.Option("--force", help="Also overwrite files that hold a student's "
                                        "work (their functions written)")] = False,
) -> None:
    """Regenerate student stubs from the reference solutions (or check they are current).

    A file whose functions are written holds work: --write leaves it alone unless --force.
    """
    with user_errors():
        from grader.check.selftest import reference_source
        from grader.check.stubsync import written
        from grader.engine import registry
        from grader.engine.stubs import strip_solutions

        stale, kept = [], []
        for ex_id in registry.available():
            if registry.reference(ex_id) is None:
                raise UsageError("stubs needs the reference solutions: install them beside dlgrade "
                                 "(pip install -e ./instructor), or run 'python -m grader stubs' "
                                 "from the repository")
            text = strip_solutions(reference_source(ex_id).text)
            path = out / f"{ex_id}.py"
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                if path.is_file() and not force and written(path.read_text(encoding="utf-8"), text):
                    kept.append(ex_id)
                    continue
                stale.append(ex_id)
                if write:
                    out.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
        verb = "rewrote" if write else "out of date"
        typer.echo(f"{verb}: {', '.join(stale)}" if stale else "all stubs are up to date")
        if kept:
            typer.echo(f"left alone (they hold work): {', '.join(f'{out / k}.py' for k in kept)}; "
                       "write fresh stubs elsewhere with --out, or overwrite them with --force")
    raise typer.Exit(1 if (stale and not write) or kept else 0)


def register(app: typer.Typer) -> None:
    """Add the exercise commands to ``app``."""
    app.command("list")(list_cmd)
    app.command()(check)
    app.command()(selftest)
    app.command()(stubs)
