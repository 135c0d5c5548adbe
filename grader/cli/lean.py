"""``dlgrade check`` without typer, pydantic or rich: the command students run most.

``main`` hands a plain ``check`` command line to ``parse_check`` (the options of
the Typer command, spelled the ways Click accepts them); anything else, help
included, goes to Typer, which parses and reports errors as for every command.
Both paths call ``run_check``, so they grade, print and record alike. The
zygote is spawned first, so its numpy import overlaps the grader's imports;
pydantic is imported only for ``--format json``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.cli.exits import printing, report
from grader.frozen import frozen

if TYPE_CHECKING:
    from grader.engine.texts import Lang

FLAGS = {"--all": "all_", "--public-only": "public_only", "--no-record": "no_record"}
VALUED = {"--submission": "submission", "-s": "submission", "--format": "fmt", "-f": "fmt",
          "--notebook": "notebook", "--student": "student", "--store": "store", "--lang": "lang",
          "-l": "lang", "--course": "course"}
PATHS = ("submission", "notebook", "store", "course")
CHOICES = {"fmt": ("text", "json"), "lang": ("en", "zh")}
STUDENT_ENV, LANG_ENV = "DLGRADE_STUDENT", "DLGRADE_LANG"


@frozen
class CheckArgs:
    """The options of ``dlgrade check`` (see ``grader.cli.check.check`` for their help)."""

    exercises: tuple[str, ...] = ()
    all_: bool = False
    submission: Path | None = None
    fmt: str = "text"
    public_only: bool = False
    notebook: Path | None = None
    student: str | None = None
    store: Path | None = None
    no_record: bool = False
    lang: str = "en"
    course: Path | None = None  # a root option of the app, given before or after ``check``


def parse_check(argv: Sequence[str]) -> CheckArgs | None:
    """The options of ``argv`` (after the program name) if the lean path handles it.

    Returns:
        The parsed options of a plain ``check``; None for anything else (help, an
        unknown or repeated option, a bad value), which Typer then handles.
    """
    values: dict[str, object] = {}
    args = list(argv)
    first = args[0] if args else ""
    if (first == "--course" and len(args) > 1) or first.startswith("--course="):
        _, eq, value = args[0].partition("=")
        values["course"] = Path(value if eq else args[1])
        del args[:1 if eq else 2]
    if not args or args[0] != "check":
        return None
    names: list[str] = []
    args = args[1:]
    while args:
        token = args.pop(0)
        if not token.startswith("-"):
            names.append(token)
            continue
        option, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        field = FLAGS.get(option) or VALUED.get(option)
        if field is None or field in values:
            return None  # help, "--", "-sPATH", a typo or a repeat: Typer decides
        if option in FLAGS:
            if eq:
                return None
            values[field] = True
            continue
        if not eq:
            if not args or args[0].startswith("-"):
                return None
            value = args.pop(0)
        if value not in CHOICES.get(field, (value,)):
            return None
        values[field] = Path(value) if field in PATHS else value
    if "student" not in values:
        values["student"] = os.environ.get(STUDENT_ENV) or None
    if "lang" not in values and os.environ.get(LANG_ENV):
        if os.environ[LANG_ENV] not in CHOICES["lang"]:
            return None  # Typer says what is wrong with it
        values["lang"] = os.environ[LANG_ENV]
    return CheckArgs(exercises=tuple(names), **values)  # type: ignore[arg-type]


def run_check(args: CheckArgs, one_shot: bool = False) -> int:
    """Grade, print and record as ``args`` say; the exit code (0, 1 or 5).

    ``one_shot``: the process exits next, so the zygote is not waited for.
    """
    from grader.sandbox.warm import started

    if args.course is not None:  # on the Typer path the app's group has done this
        from grader.engine import courses

        courses.use(args.course)
    sandbox = started()  # first: the zygote imports numpy while we import the rest (or a warm one is lent)
    try:
        history = None
        if not args.no_record:  # a broken store fails first
            from grader.progress.store import open_store

            history = open_store(args.store)
        from grader.check.run import check_submission, default_submission, select, select_notebook
        from grader.engine.grading import Options
        from grader.engine.seeds import secret_from_env

        sub = args.submission or default_submission()
        names = list(args.exercises)
        ids = (select_notebook(names, args.all_, args.notebook) if args.notebook
               else select(names, args.all_, sub))
        opts = Options(hidden=not args.public_only, secret=secret_from_env(), student=args.student)
        from grader.render.language import localize

        lang: Lang = "zh" if args.lang == "zh" else "en"
        run = localize(check_submission(ids, sub, opts, sandbox, notebook=args.notebook), lang)
    except BaseException:
        sandbox.close()
        raise
    sandbox.shutdown()  # the zygote winds down while we print and record
    try:
        with printing():  # `dlgrade check | head`: a closed stdout is a normal end
            if args.fmt == "json":
                from grader.models import RunResult

                sys.stdout.write(RunResult.of(run).model_dump_json(indent=2) + "\n")
                sys.stdout.flush()
            else:
                from grader.render.plain import print_run

                print_run(run, lang=lang)
                _numpy_note(run, args.notebook or sub, lang)
        if history is not None:
            with history:
                history.record_run(run)
    finally:
        if not one_shot:  # about to exit: the zygote exits at the end of its input, and under
            sandbox.close()  # bubblewrap --die-with-parent and the PID namespace end it with us
    return run.exit_code


def _numpy_note(run: Any, start: Path, lang: Lang) -> None:
    """Say when the student's numpy is another major than the release was graded with.

    Only inside a release: its manifest is read without pydantic (``grader.engine.manifest_plain``).
    """
    from grader.engine.manifest_plain import release_numpy_note
    from grader.engine.texts import message

    versions = {e.numpy_version for e in run.exercises if e.numpy_version}
    if note := release_numpy_note(min(versions, default=""), start):
        sys.stdout.write(message(note, lang) + "\n")


def guarded(action: Callable[[], int]) -> int:
    """Run ``action``; its exit code, or the one ``grader.cli.exits.report`` gives its error."""
    try:
        return action()
    except Exception as exc:
        return report(exc)
