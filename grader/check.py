"""The ``dlgrade check`` flow as a library call: pick exercises, grade, collect."""

from __future__ import annotations

from pathlib import Path

from grader import __version__, registry
from grader.engine import Options, grade_exercise
from grader.errors import UsageError
from grader.models import ExerciseResult, RunResult
from grader.sandbox.runner import Sandbox
from grader.submission import Source, read_source


def default_submission() -> Path:
    """The student's working copy: ``./exercises`` in the current folder."""
    return Path("exercises")


def select(names: list[str], all_: bool, submission: Path) -> list[str]:
    """Exercise ids to grade, validated; a single .py file names its exercise."""
    if names and all_:
        raise UsageError("give exercise names or --all, not both")
    if names:
        ids = list(dict.fromkeys(registry.resolve(n) for n in names))
    elif all_:
        ids = list(registry.available())
    elif submission.is_file():
        ids = [registry.resolve(submission.stem)]
    else:
        raise UsageError("name an exercise (e.g. 'dlgrade check knn') or use --all; see 'dlgrade list'")
    if submission.is_file() and len(ids) > 1:
        raise UsageError(f"{submission} is a single file: name the one exercise it holds")
    if submission.is_dir() and all_:
        ids = [e for e in ids if (submission / f"{e}.py").is_file()]
    return ids


def _grade(exercise: str, submission: Path, box: Sandbox, opts: Options | None) -> ExerciseResult:
    source = read_source(submission, exercise)
    result = grade_exercise(registry.load(exercise), source, box, opts)
    if isinstance(source, Source):  # the progress store tells attempts of the same file apart
        result = result.model_copy(update={"submission_sha256": source.sha256})
    return result


def check_submission(ids: list[str], submission: Path, opts: Options | None = None,
                     sandbox: Sandbox | None = None) -> RunResult:
    if not submission.exists():
        raise UsageError(f"submission {submission} does not exist; pass --submission PATH "
                         "(a folder of exercise .py files, or one .py file)")
    own = sandbox is None
    box = (sandbox or Sandbox()).start()
    try:
        results = [_grade(e, submission, box, opts) for e in ids]
    finally:
        if own:
            box.close()
    return RunResult(grader_version=__version__, exercises=results)
