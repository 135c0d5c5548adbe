"""``dlgrade quiz ...``: thin typer commands over grader.quiz.

Exit codes: 0 all correct, 1 some answer wrong, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import Language, StoreOpt, console, user_errors

quiz_app = typer.Typer(help="Quizzes from the course notes: take, grade, sheets, LMS exports.",
                       no_args_is_help=True, add_completion=False)


class SheetFormat(StrEnum):
    """Formats of a quiz sheet."""

    md = "md"
    ipynb = "ipynb"
    toml = "toml"


class GradeFormat(StrEnum):
    """Output formats of a graded quiz."""

    text = "text"
    json = "json"


LangArg = Annotated[Language, typer.Option(
    "--lang", "-l", envvar="DLGRADE_LANG",
    help="Language of the questions: en or zh (default: $DLGRADE_LANG, else en)")]
StudentOpt = Annotated[str | None, typer.Option(
    "--student", help="Your student id (it picks your numbers) (default: $DLGRADE_STUDENT or your login)")]


def _student(given: str | None) -> str:
    from grader.errors import UsageError

    student = (given or os.environ.get("DLGRADE_STUDENT") or getpass.getuser()).strip()
    if not student:
        raise UsageError("give your student id with --student ID")
    return student


@quiz_app.command("list")
def list_cmd(lang: LangArg = Language.en) -> None:
    """Show every quiz: id, title, questions, points."""
    with user_errors():
        from rich.table import Table

        from grader.quiz import bank

        table = Table(title="Quizzes", title_justify="left")
        for col in ("quiz", "title", "questions", "randomized", "points"):
            table.add_column(col, overflow="fold")
        for qid in bank.available():
            quiz = bank.load(qid)
            table.add_row(qid, quiz.title(lang.value), str(len(quiz.questions)),
                          str(sum(q.randomized for q in quiz.questions)), f"{quiz.points:g}")
        console().print(table)
        if not bank.key_installed():
            typer.echo("The answer keys are not installed here: 'quiz take' saves your answers to hand in.")


@quiz_app.command()
def take(
    quiz_id: Annotated[str, typer.Argument(metavar="ID", help="Quiz id, e.g. cnn-shapes")],
    lang: LangArg = Language.en,
    student: StudentOpt = None,
    store: StoreOpt = None,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not save this attempt")] = False,
    out: Annotated[Path | None, typer.Option(help="Where to save your answers when no key is installed")]
    = None,
) -> None:
    """Answer a quiz in the terminal; each answer is graded at once with an explanation."""
    with user_errors():
        from grader.quiz import bank, sheet
        from grader.quiz.release import record_quiz
        from grader.quiz.take import take as run

        quiz = bank.load(bank.resolve(quiz_id))
        who = _student(student)
        if not no_record and bank.key_installed():
            from grader.progress.store import open_store

            open_store(store).close()  # a broken store fails before the questions, not after
        taken = run(quiz, who, lang.value, lambda p: typer.prompt(p, default="", show_default=False),
                    typer.echo)
        if taken.result is None:
            path = out or Path(f"quiz-{quiz.id}-{who}.toml")
            path.write_text(sheet.answer_file(quiz, who, lang.value, taken.responses), encoding="utf-8")
            typer.echo(f"The answer key is not installed here; your answers are saved in {path}: hand it in.")
            raise typer.Exit(0)
        if not no_record:
            record_quiz(taken.result, store)
            typer.echo("Recorded in your progress: see 'dlgrade progress'.")
    raise typer.Exit(0 if taken.result.passed else 1)


@quiz_app.command()
def grade(
    files: Annotated[list[Path], typer.Argument(metavar="ANSWERS_FILE...", help="Filled-in .toml or .ipynb")],
    fmt: Annotated[GradeFormat, typer.Option("--format", "-f", help="Output format")] = GradeFormat.text,
    store: Annotated[Path | None, typer.Option(help="Also record the results in this progress store")]
    = None,
) -> None:
    """Grade filled-in answer files (for CI): exit 0 when every answer is right, 1 otherwise."""
    with user_errors():
        from grader import __version__
        from grader.models import RunResult
        from grader.quiz import bank
        from grader.quiz.answers import read_answers
        from grader.quiz.grade import grade_answers
        from grader.quiz.release import record_quiz

        results = []
        for path in files:
            sheet = read_answers(path)
            quiz = bank.load(bank.resolve(sheet.quiz))
            results.append(grade_answers(quiz, sheet.student, sheet.responses(), sheet.lang, str(path)))
        run = RunResult(grader_version=__version__, exercises=results)
        if store is not None:
            for result in results:
                record_quiz(result, store)
        if fmt is GradeFormat.json:
            typer.echo(run.model_dump_json(indent=2))
        else:
            from grader.render.terminal import exercise_table

            out = console()
            for result, path in zip(results, files, strict=True):
                out.print(exercise_table(result, read_answers(path).lang))
            right = sum(c.passed for r in results for c in r.cases)
            total = sum(len(r.cases) for r in results)
            verdict = "[bold green]All right:[/]" if right == total else "[bold red]Some answers wrong:[/]"
            out.print(f"{verdict} {run.score:g}/{run.max_score:g} points, {right}/{total} answers right")
    raise typer.Exit(run.exit_code)


@quiz_app.command()
def sheet(
    quiz_id: Annotated[str, typer.Argument(metavar="ID", help="Quiz id")],
    student: Annotated[str, typer.Option("--student", help="Student id: it picks the numbers")],
    fmt: Annotated[SheetFormat, typer.Option("--format", "-f", help="md, ipynb or toml")] = SheetFormat.md,
    lang: LangArg = Language.en,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing")] = None,
) -> None:
    """A student's variant of a quiz to fill in: Markdown, a notebook, or a bare answer file."""
    with user_errors():
        import nbformat

        from grader.errors import UsageError
        from grader.quiz import bank
        from grader.quiz import sheet as sheets

        quiz = bank.load(bank.resolve(quiz_id))
        who = _student(student)
        if fmt is SheetFormat.ipynb:
            text = nbformat.writes(sheets.notebook(quiz, who, lang.value))  # type: ignore[no-untyped-call]
            if out is None:
                raise UsageError("a notebook needs a file: add --out sheet.ipynb")
        elif fmt is SheetFormat.toml:
            text = sheets.answer_file(quiz, who, lang.value)
        else:
            text = sheets.markdown(quiz, who, lang.value)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out}")


@quiz_app.command()
def export(
    quiz_id: Annotated[str, typer.Argument(metavar="ID", help="Quiz id")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="gift, moodle-xml or qti")],
    out: Annotated[Path, typer.Option(help="Output file (.txt/.gift, .xml, or .zip for qti)")],
    variants: Annotated[int, typer.Option(help="Pre-drawn variants per randomized question")] = 10,
    lang: LangArg = Language.en,
) -> None:
    """Write a quiz for Moodle (GIFT, Moodle XML) or Canvas (QTI zip), answers included."""
    with user_errors():
        from grader.errors import UsageError, did_you_mean
        from grader.quiz.export.items import ExportFormat
        from grader.quiz.export.write import write_export

        names = [f.value for f in ExportFormat]
        if fmt not in names:
            raise UsageError(f"unknown format {fmt!r}{did_you_mean(fmt, names)}; "
                             f"use one of {', '.join(names)}")
        path = write_export(quiz_id, ExportFormat(fmt), out, variants, lang.value)
        typer.echo(f"wrote {path}")
