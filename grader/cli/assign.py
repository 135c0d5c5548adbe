"""``dlgrade assign``: a student release, or an instructor bundle for a course platform."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import Language, user_errors

NO_SECRET = ("warning: this bundle has no course secret (set DLGRADE_SECRET or pass --secret): "
             "every student gets the same hidden-case inputs, so answers can be shared")


class Platform(StrEnum):
    """Hosted grading platforms ``dlgrade assign`` can build a bundle for."""

    gradescope = "gradescope"
    github_classroom = "github-classroom"


def assign_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to create")],
    exercises: Annotated[str | None, typer.Option(help="Comma-separated ids (default: all)")] = None,
    points: Annotated[str | None, typer.Option(
        help="Points per exercise: 10, or knn=10,softmax=5 (default: each suite's total)")] = None,
    lang: Annotated[Language, typer.Option(help="Language of notebooks and README")] = Language.en,
    title: Annotated[str, typer.Option(help="Assignment title")] = "dlgrade assignment",
    course: Annotated[str, typer.Option(help="Course name")] = "Deep learning",
    autograder: Annotated[Platform | None, typer.Option(
        help="Write the instructor bundle for this platform instead of the plain release")] = None,
    secret: Annotated[str | None, typer.Option(
        envvar="DLGRADE_SECRET", show_envvar=True,
        help="Course secret for per-student hidden cases (Gradescope bundle)")] = None,
    force: Annotated[bool, typer.Option(help="Replace an earlier release in --out")] = False,
    quizzes: Annotated[str | None, typer.Option(
        help="Comma-separated quiz ids to include (questions only), e.g. cnn-shapes,optimizers")] = None,
) -> None:
    """Write a student release (stubs, notebooks, fixtures, grader, README) or an autograder bundle."""
    with user_errors():
        from grader.assign.autograder import BUNDLE_NAME, write_classroom, write_gradescope
        from grader.assign.release import Spec, parse_exercises, parse_points, write_release

        ids = parse_exercises(exercises)
        from grader.quiz import bank

        quiz_ids = tuple(bank.resolve(q) for q in (quizzes or "").split(",") if q.strip())
        spec = Spec(ids, parse_points(points, ids), lang.value, title, course, quiz_ids)
        if autograder is Platform.gradescope:
            manifest = write_gradescope(spec, out, secret.encode() if secret else None, force)
            what = f"Gradescope bundle {out / BUNDLE_NAME} (instructors only: it holds the solutions)"
            if not secret:
                typer.echo(NO_SECRET, err=True)
        elif autograder is Platform.github_classroom:
            manifest = write_classroom(spec, out, force)
            what = f"GitHub Classroom template repository {out}"
        else:
            manifest = write_release(spec, out, force)
            what = f"student release {out}"
        total = sum(e.points for e in manifest.exercises)
        quiz_note = f", {len(manifest.quizzes)} quizzes" if manifest.quizzes else ""
        typer.echo(f"wrote {what}: {len(manifest.exercises)} exercises, {total:g} points{quiz_note}")
