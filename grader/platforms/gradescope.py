"""Gradescope: the documented ``results.json`` schema, and the autograder run.

``python -m grader.platforms.gradescope`` is what the bundle's ``run_autograder``
calls. It grades ``<root>/submission`` (``.py`` files or notebooks, anywhere
in the upload, read by ``grader.submission.reader``) with hidden cases, per
student when the bundle holds a secret, and writes ``<root>/results/results.json``. The root is
``/autograder`` unless ``$DLGRADE_AUTOGRADER_ROOT`` says otherwise (tests).
Schema: gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format").
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from grader import __version__
from grader.check.collect import wrong_assignment
from grader.engine import registry
from grader.engine.grading import Options, grade_submission
from grader.engine.manifest import MANIFEST_NAME, Manifest
from grader.engine.texts import Lang
from grader.models import ExerciseResult, RunResult
from grader.render.language import WORDS, localize, verdict_label
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission

ROOT_ENV = "DLGRADE_AUTOGRADER_ROOT"
SECRET_FILE = "dlgrade-secret"
Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]


class GSTest(BaseModel):
    """One entry of ``tests`` in results.json."""

    model_config = ConfigDict(extra="forbid")

    name: str
    score: float = Field(ge=0)
    max_score: float = Field(ge=0)
    status: Literal["passed", "failed"] | None = None
    output: str = ""
    output_format: Literal["text", "html", "simple_format", "md", "ansi"] = "text"
    visibility: Visibility = "visible"
    number: str | None = None
    tags: list[str] = []


class GSResults(BaseModel):
    """The whole results.json."""

    model_config = ConfigDict(extra="forbid")

    score: float | None = None
    execution_time: float | None = None
    output: str = ""
    output_format: Literal["text", "html", "simple_format", "md", "ansi"] = "text"
    visibility: Visibility = "visible"
    stdout_visibility: Visibility = "hidden"
    extra_data: dict[str, str] = {}
    tests: list[GSTest] = []


def case_output(result: ExerciseResult, index: int, lang: Lang = "en") -> str:
    """The text Gradescope shows for a case: description, verdict or message, known mistake."""
    case, w = result.cases[index], WORDS[lang]
    parts = [case.description] if case.description else []
    parts.append(w["pass"] if case.passed else case.message or verdict_label(case.verdict.value, lang))
    if case.mistake:
        named = w["named"].format(title=case.mistake.title)
        parts.append(f"{named} {w['hint'].format(hint=case.mistake.hint)}")
    return "\n".join(parts)


def to_results(run: RunResult, points: dict[str, float], seconds: float, lang: Lang = "en") -> GSResults:
    """Per-case tests, each scaled so an exercise is worth its manifest points."""
    tests = []
    for n, result in enumerate(run.exercises, 1):
        scale = result.factor(points.get(result.exercise))
        for k, case in enumerate(result.cases, 1):
            tests.append(GSTest(
                name=f"{result.exercise}: {case.name}", number=f"{n}.{k}",
                score=round(case.points * scale, 6), max_score=round(case.max_points * scale, 6),
                status="passed" if case.passed else "failed", output=case_output(result, k - 1, lang),
                visibility="visible" if case.visibility == "public" else "after_published",
                tags=[result.exercise, case.visibility]))
    total = round(sum(t.score for t in tests), 4)
    possible = round(sum(t.max_score for t in tests), 4)
    return GSResults(score=total, execution_time=round(seconds, 2), tests=tests,
                     output=f"dlgrade {__version__}: {total:g}/{possible:g} points")


def student_id(root: Path) -> str | None:
    """The submitters' ids from Gradescope's submission_metadata.json (groups: joined)."""
    try:
        meta = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
        users = [str(u.get("id") or u.get("email")) for u in meta.get("users", [])]
    except (OSError, ValueError, AttributeError):
        return None
    return "+".join(sorted(users)) or None


def run(root: Path) -> GSResults:
    """Grade the submission in a Gradescope container rooted at ``root``."""
    start = time.perf_counter()
    source_dir = root / "source"
    manifest = Manifest.load(source_dir / MANIFEST_NAME)
    secret_path = source_dir / SECRET_FILE
    secret = secret_path.read_bytes().strip() if secret_path.is_file() else None
    opts = Options(hidden=True, secret=secret or os.environ.get("DLGRADE_SECRET", "").encode() or None,
                   student=student_id(root), vary_public=True)
    variant = "per-student" if opts.secret and opts.student else "fixed"
    ids = [registry.resolve(e.id) for e in manifest.exercises]
    # Below full isolation the child sees this machine's files: the bundle (its wheel holds the
    # solutions, its secret file the secret) is made unreadable by the child's uid first.
    with Sandbox(protect=[source_dir]) as box, \
            Submission(root / "submission", "folder", "your upload") as upload:
        results = grade_submission(ids, upload.read, box, opts)
        level, isolation = box.level, box.isolation
    points = {e.id: e.points for e in manifest.exercises}
    run = localize(RunResult(grader_version=__version__, exercises=results), manifest.lang)
    results_json = to_results(run, points, time.perf_counter() - start, manifest.lang)
    extra = {"hidden_inputs": variant, "sandbox": level} | (
        {"student": opts.student} if opts.student else {})
    wrong = wrong_assignment(root / "submission", manifest)  # a 'dlgrade collect' zip of another one
    output = f"{results_json.output}\nsandbox: {level} ({isolation})"
    update = {"extra_data": extra, "output": f"{wrong}\n{output}" if wrong else output}
    return results_json.model_copy(update=update)


def main() -> int:
    """Grade and write ``results/results.json``; an autograder failure is a result the student sees."""
    root = Path(os.environ.get(ROOT_ENV, "/autograder"))
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = run(root)
        code = 0
    except Exception as exc:  # the student must see a result, never a silent failure
        results = GSResults(score=0.0, output=f"The autograder failed ({type(exc).__name__}: {exc}). "
                            "Please tell your instructor.")
        code = 1
    out.write_text(results.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
