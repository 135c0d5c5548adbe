"""The ``dlgrade check`` flow as a library call: pick exercises, grade, collect."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from grader import __version__
from grader.engine import registry
from grader.engine.expectations import Release
from grader.engine.grading import Options, submission_records
from grader.errors import UsageError
from grader.records import RunResult
from grader.sandbox.runner import Sandbox
from grader.submission.files import is_archive
from grader.submission.reader import Submission, tagged_exercises


def default_submission() -> Path:
    """The student's working copy: ``./exercises`` in the current folder."""
    return Path("exercises")


def select(names: list[str], all_: bool, submission: Path) -> list[str]:
    """Exercise ids to grade, validated.

    A single .py file names its exercise, and an archive holds a folder's worth of them.
    """
    archive = is_archive(submission.name)
    single = not submission.is_dir() and not archive and os.path.lexists(submission)
    if names and all_:
        raise UsageError("give exercise names or --all, not both")
    if names:
        ids = list(dict.fromkeys(registry.resolve(n) for n in names))
    elif all_:
        ids = list(registry.available())
    elif single:
        ids = [registry.resolve(submission.stem)]
    else:
        raise UsageError("name an exercise (e.g. 'dlgrade check knn') or use --all; see 'dlgrade list'")
    if single and len(ids) > 1:
        raise UsageError(f"{submission} is a single file: name the one exercise it holds")
    if all_ and submission.is_dir():
        with Submission(submission) as sub:
            held = set(sub.exercises())
        ids = [e for e in ids if e in held]
    return ids


def select_notebook(names: list[str], all_: bool, notebook: Path) -> list[str]:
    """Exercise ids to grade in a notebook: named ones, else those with tagged cells."""
    from grader.submission.notebooks import solution_tag

    if not os.path.lexists(notebook):
        raise UsageError(f"notebook {notebook} does not exist; pass --notebook FILE.ipynb")
    if names and all_:
        raise UsageError("give exercise names or --all, not both")
    if names:
        return list(dict.fromkeys(registry.resolve(n) for n in names))
    ids = [e for e in tagged_exercises(notebook) if e in registry.available()]
    if not ids:
        raise UsageError(f"{notebook} has no cell tagged {solution_tag('<exercise>')}: name the "
                         "exercise (e.g. 'dlgrade check knn --notebook FILE') to see what is missing")
    return ids


def with_release(opts: Options | None, *starts: Path) -> Options:
    """Options whose expected values come from the reference, else from release fixtures.

    The reference is used where installed; otherwise the fixtures of the release at
    ``starts`` (unless the options already name a source).
    """
    opts = opts or Options()
    if opts.expectations is not None:
        return opts
    return replace(opts, expectations=Release(*starts, Path.cwd()))


def check_submission(ids: list[str], submission: Path, opts: Options | None = None,
                     sandbox: Sandbox | None = None, notebook: Path | None = None) -> RunResult:
    """Grade ``submission`` (or ``notebook``) on the exercises ``ids``, as a plain record.

    ``grader.models.RunResult.of`` validates the record into the pydantic model.

    Uses ``sandbox`` if given, else starts (and closes) one.

    Raises:
        UsageError: The submission does not exist.
    """
    if notebook is None and not submission.exists():
        raise UsageError(f"submission {submission} does not exist; pass --submission PATH "
                         "(a folder of exercise .py files, or one .py file)")
    opts = with_release(opts, notebook or submission)

    own = sandbox is None
    box = (sandbox or Sandbox()).start()
    try:
        with Submission(notebook, "notebook") if notebook else Submission(submission) as sub:
            results = submission_records(ids, sub.read, box, opts)
    finally:
        if own:
            box.close()
    return RunResult(grader_version=__version__, exercises=results)
