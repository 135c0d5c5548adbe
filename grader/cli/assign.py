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
    classroom50 = "classroom50"
    prairielearn = "prairielearn"
    github_classroom = "github-classroom"  # deprecated: GitHub Classroom was retired in August 2026


DEFAULT_IMAGE = "dlgrade/grader"
RETIRED = ("--autograder github-classroom is deprecated: GitHub Classroom was retired on 28 August 2026. "
           "Writing the Classroom 50 bundle instead (--autograder classroom50); see docs/platforms.md.")


def assign_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to create")],
    exercises: Annotated[str | None, typer.Option(help="Comma-separated ids (default: all)")] = None,
    points: Annotated[str | None, typer.Option(
        help="Points per exercise: 10, or knn=10,softmax=5 (default: each suite's total)")] = None,
    lang: Annotated[Language, typer.Option(envvar="DLGRADE_LANG", help="Language of notebooks, README and "
                                           "feedback (default: $DLGRADE_LANG, else en)")] = Language.en,
    title: Annotated[str, typer.Option(help="Assignment title")] = "dlgrade assignment",
    course: Annotated[str, typer.Option(help="Course name")] = "Deep learning",
    autograder: Annotated[Platform | None, typer.Option(
        help="Write the instructor bundle for this platform instead of the plain release")] = None,
    secret: Annotated[str | None, typer.Option(
        envvar="DLGRADE_SECRET", show_envvar=True,
        help="Course secret for per-student hidden cases (Gradescope and PrairieLearn bundles)")] = None,
    image: Annotated[str | None, typer.Option(
        help="PrairieLearn grading image (default: dlgrade/grader:<version>; build it from the Dockerfile)")]
    = None,
    wheel_url: Annotated[str, typer.Option(
        help="URL of the release wheel for notebooks opened alone (Colab); default: the wheel beside them")]
    = "",
    force: Annotated[bool, typer.Option(help="Replace an earlier release in --out")] = False,
    quizzes: Annotated[str | None, typer.Option(
        help="Comma-separated quiz ids to include (questions only), e.g. cnn-shapes,optimizers")] = None,
) -> None:
    """Write a student release (stubs, notebooks, fixtures, grader, README) or an autograder bundle."""
    with user_errors():
        from grader import __version__
        from grader.assign.autograder import BUNDLE_NAME, write_gradescope
        from grader.assign.platforms import slug, write_classroom50, write_prairielearn
        from grader.assign.release import Spec, parse_exercises, parse_points, write_release

        ids = parse_exercises(exercises)
        from grader.quiz import bank

        quiz_ids = tuple(bank.resolve(q) for q in (quizzes or "").split(",") if q.strip())
        spec = Spec(ids, parse_points(points, ids), lang.value, title, course, quiz_ids, wheel_url)
        if autograder is Platform.gradescope:
            manifest = write_gradescope(spec, out, secret.encode() if secret else None, force)
            what = f"Gradescope bundle {out / BUNDLE_NAME} (instructors only: it holds the solutions)"
            if not secret:
                typer.echo(NO_SECRET, err=True)
        elif autograder in (Platform.classroom50, Platform.github_classroom):
            if autograder is Platform.github_classroom:
                typer.echo(RETIRED, err=True)
            manifest = write_classroom50(spec, out, force)
            what = (f"Classroom 50 folder {out} (template/ for students, autograders/{slug(title)}/ "
                    "for your classroom50 repository)")
        elif autograder is Platform.prairielearn:
            manifest = write_prairielearn(spec, out, secret.encode() if secret else None,
                                          image or f"{DEFAULT_IMAGE}:{__version__}", force)
            if not secret:
                typer.echo(NO_SECRET, err=True)
            what = f"PrairieLearn questions {out} (instructors only: serverFilesCourse holds the solutions)"
        else:
            manifest = write_release(spec, out, force)
            what = f"student release {out}"
        total = sum(e.points for e in manifest.exercises)
        quiz_note = f", {len(manifest.quizzes)} quizzes" if manifest.quizzes else ""
        typer.echo(f"wrote {what}: {len(manifest.exercises)} exercises, {total:g} points{quiz_note}")
