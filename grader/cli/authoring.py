"""``dlgrade new`` and ``dlgrade mutate``, and the ``--course DIR`` option every command takes.

``--course`` may appear anywhere on the command line (``dlgrade selftest
--course DIR`` or ``dlgrade --course DIR list``): the app's group takes it out
before the command's own options are parsed, so every command, present and
future, sees the pack's exercises. (``dlgrade assign --course NAME`` keeps its
older meaning, the course's display name, unless NAME is a folder.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from grader.cli.common import Format, console, user_errors
from grader.engine import courses
from grader.errors import UsageError

EXIT_FAILED = 1


def _take_course(args: list[str]) -> tuple[list[str], Path | None]:
    """Split ``--course DIR`` off the arguments.

    ``dlgrade assign`` has its own ``--course NAME`` (the course's display name):
    there a value that is not a folder stays put.
    """
    rest: list[str] = []
    course: Path | None = None
    command = next((a for a in args if not a.startswith("-")), "")
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        value: str | None = None
        if arg == "--course":
            if i + 1 >= len(args) or args[i + 1].startswith("-"):
                raise typer.BadParameter("--course needs a folder: --course DIR")
            value, step = args[i + 1], 2
        elif arg.startswith("--course="):
            value, step = arg.split("=", 1)[1], 1
        if value is None or (command == "assign" and not Path(value).is_dir()):
            rest.append(arg)
            i += 1
            continue
        course = Path(value)
        i += step
    return rest, course


class CourseGroup(TyperGroup):
    """The root group: ``--course DIR`` anywhere selects the course pack for this run."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Select the pack named by ``--course`` (or none), then parse the rest as usual."""
        rest, course = _take_course(list(args))
        courses.use(course)
        return super().parse_args(ctx, rest)


def new_command(
    exercise: Annotated[str, typer.Argument(help="The new exercise's id, e.g. dropout")],
    title: Annotated[str | None, typer.Option(help="Its title (default: from the id)")] = None,
) -> None:
    """Create a working exercise skeleton in the course pack given by --course DIR."""
    with user_errors():
        from grader.authoring.scaffold import new_exercise

        course = courses.active_path()
        if course is None:
            raise UsageError("name the course pack to write into: dlgrade new ID --course DIR")
        for path in new_exercise(exercise, course, title):
            typer.echo(f"wrote {path}")
        typer.echo(f"next: dlgrade selftest {exercise} --course {course}")


def _print_report(report: Any) -> None:
    out = console()
    rate = f"{100 * report.kill_rate:.1f}%"
    out.print(f"[bold]{report.exercise}[/bold]: {report.mutants} mutants, {report.killed} killed, "
              f"{report.survived} survived, {report.equivalent} equivalent; kill rate {rate} "
              f"({report.seconds:g} s, {report.workers} sandboxes)")
    for o in report.outcomes:
        if o.status == "survived":
            why = (f"outputs differ on {o.case}, yet every check passes" if o.reached
                   else "no case runs this line")
            out.print(f"\n[yellow]survived[/yellow] {o.id} ({o.operator}) {o.description}: {why}")
            out.print(o.diff.rstrip(), markup=False)
    for o in report.outcomes:
        if o.status == "equivalent":
            out.print(f"equivalent {o.id} ({o.operator}) {o.description}: every output matches "
                      "the reference on every case", markup=False)


def mutate_command(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids (default with --all)")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every exercise")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel sandboxes")] = 2,
    fail_under: Annotated[float, typer.Option(
        help="Exit 1 when a kill rate is below this fraction")] = 0.95,
    fmt: Annotated[Format, typer.Option("--format", help="text, or json for CI")] = Format.text,
    operator: Annotated[list[str] | None, typer.Option(
        "--operator", help="Only this mutation operator (repeatable): swap_operator, slice_bound, "
        "axis, keepdims, transpose, drop_term, sign_flip, augassign, constant")] = None,
) -> None:
    """Plant small bugs in the reference's solution regions; show which ones the suite misses."""
    with user_errors():
        from grader.authoring.analysis import analyse_exercise
        from grader.engine import registry

        if exercises and all_:
            raise UsageError("give exercise names or --all, not both")
        if not exercises and not all_:
            raise UsageError("name an exercise (e.g. 'dlgrade mutate softmax') or use --all")
        ids = list(registry.available()) if all_ else [registry.resolve(e) for e in exercises or []]
        reports = []
        for exercise in ids:  # text: each report as soon as it is ready
            reports.append(analyse_exercise(exercise, workers=jobs, operators=operator))
            if fmt is Format.text:
                _print_report(reports[-1])
        if fmt is Format.json:
            import json

            payload = [dict(r.model_dump(), kill_rate=r.kill_rate) for r in reports]
            typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2))
    if any(r.kill_rate < fail_under for r in reports):
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add ``new`` and ``mutate`` to the app."""
    app.command("new")(new_command)
    app.command("mutate")(mutate_command)
