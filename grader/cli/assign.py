"""``dlgrade assign``: a student release, or an instructor bundle for a course platform."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from grader.cli.common import Language, user_errors

NO_SECRET = ("warning: this bundle has no course secret (set DLGRADE_SECRET or pass --secret): "
             "every student gets the same hidden-case inputs, so answers can be shared")
if TYPE_CHECKING:
    from grader.assign.release import Spec
    from grader.engine.manifest import Manifest


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
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from grader.assign.release import Spec, parse_exercises, parse_points

        ids = parse_exercises(exercises)
        from grader.quiz import bank

        quiz_ids = tuple(bank.resolve(q) for q in (quizzes or "").split(",") if q.strip())
        if autograder is Platform.github_classroom:
            typer.echo(RETIRED, err=True)
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        task = bar.add_task("building", total=len(ids))

        def step(ex: str) -> None:
            bar.update(task, description=f"building {ex}", completed=ids.index(ex), refresh=True)

        spec = Spec(ids, parse_points(points, ids), lang.value, title, course, quiz_ids, wheel_url, step)
        bar.start()
        try:
            manifest, what = _write(spec, autograder, out, secret, image, force)
        finally:
            bar.stop()
        if autograder in (Platform.gradescope, Platform.prairielearn) and not secret:
            typer.echo(NO_SECRET, err=True)  # said when built, not only by the missing file
        total = sum(e.points for e in manifest.exercises)
        quiz_note = f", {len(manifest.quizzes)} quizzes" if manifest.quizzes else ""
        typer.echo(f"wrote {what}: {len(manifest.exercises)} exercises, {total:g} points{quiz_note}")


def _write(spec: Spec, autograder: Platform | None, out: Path, secret: str | None, image: str | None,
           force: bool) -> tuple[Manifest, str]:
    """Write what was asked for; the manifest, and a phrase saying what was written."""
    from grader import __version__
    from grader.assign.autograder import BUNDLE_NAME, write_gradescope
    from grader.assign.platforms import slug, write_classroom50, write_prairielearn
    from grader.assign.release import write_release

    key = secret.encode() if secret else None
    if autograder is Platform.gradescope:
        return (write_gradescope(spec, out, key, force),
                f"Gradescope bundle {out / BUNDLE_NAME} (instructors only: it holds the solutions)")
    if autograder in (Platform.classroom50, Platform.github_classroom):
        return (write_classroom50(spec, out, force),
                f"Classroom 50 folder {out} (template/ for students, autograders/{slug(spec.title)}/ "
                "for your classroom50 repository)")
    if autograder is Platform.prairielearn:
        return (write_prairielearn(spec, out, key, image or f"{DEFAULT_IMAGE}:{__version__}", force),
                f"PrairieLearn questions {out} (instructors only: serverFilesCourse holds the solutions)")
    return write_release(spec, out, force), f"student release {out}"
