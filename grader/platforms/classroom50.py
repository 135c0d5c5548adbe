"""Classroom 50: grade a student's checkout and write ``result.json`` (``classroom50/result/v1``).

Classroom 50 (foundation50/classroom50) grades in GitHub Actions: its runner
fetches the assignment's bundle (``CLASSROOM/autograders/ASSIGNMENT/`` of the
teacher's ``classroom50`` repository), runs ``autograder.py`` with the student's
checkout as working folder, then reads ``./result.json``. The contract is the
wiki page "Advanced Autograding" ("The result.json contract"): integer
``score``/``max-score`` that are the sums of ``tests[]`` rows (``test-name``,
``passed``, ``score``, ``max-score``; extra row fields are kept verbatim), and
``datetime`` = the graded commit's committer date, so a regrade keeps it.

The bundle's ``autograder.py`` (written by ``dlgrade assign --autograder
classroom50``) runs this module as ``python -I -m grader.platforms.classroom50``
with an installed dlgrade and a working folder outside the checkout: nothing
in the checkout (a student's own ``grader/`` or ``solutions/``) is importable.
Expected values come from the bundle's fixtures (``$DLGRADE_FIXTURES``), never
from the checkout's copy, which the student can edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from grader import __version__
from grader.check.run import with_release
from grader.engine import registry
from grader.engine.grading import Options, grade_submission
from grader.engine.manifest import Manifest
from grader.models import ExerciseResult
from grader.platforms.gradescope import case_output
from grader.platforms.scoring import integer_cases
from grader.render.language import localize_exercise
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission, read_source
from grader.submission.source import Source, SourceProblem

SCHEMA: Literal["classroom50/result/v1"] = "classroom50/result/v1"
RESULT_FILE = "result.json"
BODY_FILE = "release-body.md"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


class C50Test(BaseModel):
    """One row of ``tests``: the four documented fields, plus dlgrade's own diagnostics."""

    model_config = ConfigDict(extra="forbid")

    test_name: str = Field(serialization_alias="test-name", min_length=1)
    passed: bool
    score: int = Field(ge=0)
    max_score: int = Field(serialization_alias="max-score", ge=0)
    exercise: str
    visibility: str
    message: str = ""
    isolated: bool


class C50Result(BaseModel):
    """The whole ``result.json``."""

    model_config = ConfigDict(extra="forbid")

    schema_: Literal["classroom50/result/v1"] = Field(default=SCHEMA, serialization_alias="schema")
    classroom: str
    assignment: str
    assignment_type: str = "individual"
    owner: str
    submission: str
    commit: str
    release: str
    review: str
    datetime: str
    graded_at: str
    score: int = Field(ge=0)
    max_score: int = Field(serialization_alias="max-score", ge=0)
    tests: list[C50Test]


def submitted_at(workspace: Path, sha: str) -> dt.datetime | None:
    """The graded commit's committer date (UTC), or None when git cannot tell."""
    if not re.fullmatch(r"[0-9a-fA-F]{7,64}", sha):
        return None
    try:
        out = subprocess.run(["git", "-c", "safe.directory=*", "-C", str(workspace), "show", "-s",
                              "--format=%cI", sha], capture_output=True, text=True, timeout=30, check=False)
        when = dt.datetime.fromisoformat(out.stdout.strip()) if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return when.astimezone(dt.UTC) if when and when.tzinfo else None


def locate(workspace: Path, repo: Submission, exercise: str) -> Source | SourceProblem:
    """``exercises/<id>.py`` of the release layout, else the module or a tagged notebook anywhere."""
    module = workspace / "exercises" / f"{exercise}.py"
    if module.is_file() and not module.is_symlink():
        return read_source(workspace / "exercises", exercise)
    return repo.read(exercise)


def grade(workspace: Path, manifest: Manifest, opts: Options) -> list[ExerciseResult]:
    """Every exercise of the manifest, graded in one sandbox."""
    ids = [registry.resolve(e.id) for e in manifest.exercises]
    with Sandbox() as box, Submission(workspace, "folder", "your repository") as repo:
        sys.stderr.write(f"dlgrade: sandbox: {box.isolation}\n")
        return grade_submission(ids, lambda e: locate(workspace, repo, e), box, opts)


def to_result(results: list[ExerciseResult], manifest: Manifest, env: dict[str, str],
              when: dt.datetime, now: dt.datetime) -> C50Result:
    """The ``result.json`` model from graded exercises and the runner's environment."""
    points = {e.id: e.points for e in manifest.exercises}
    by_id = {r.exercise: r for r in results}
    rows = []
    for ic in integer_cases(results, points):
        result = localize_exercise(by_id[ic.exercise], manifest.lang)  # the release's language
        case = result.cases[ic.index]
        rows.append(C50Test(test_name=f"{ic.exercise}: {case.name}", passed=case.passed, score=ic.score,
                            max_score=ic.max_score, exercise=ic.exercise, visibility=case.visibility,
                            message=case_output(result, ic.index, manifest.lang), isolated=result.isolated))
    commit = env.get("COMMIT_URL", "")
    return C50Result(
        classroom=env.get("CLASSROOM", ""), assignment=env.get("ASSIGNMENT", ""),
        assignment_type=env.get("ASSIGNMENT_TYPE") or "individual",
        owner=env.get("OWNER") or env.get("USERNAME") or env.get("GITHUB_ACTOR", ""),
        submission=env.get("SUBMISSION_TAG", ""), commit=commit, release=env.get("RELEASE_URL", ""),
        review=env.get("REVIEW_URL") or commit, datetime=when.strftime(STAMP),
        graded_at=now.strftime(STAMP), score=sum(r.score for r in rows),
        max_score=sum(r.max_score for r in rows), tests=rows)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (student text cannot close it)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def release_body(result: C50Result) -> str:
    """Markdown for the submission's Release: the score, a table, and the feedback of failed cases."""
    lines = [f"### dlgrade {__version__}: {result.score}/{result.max_score}", "",
             "| Test | Result | Score |", "|---|---|---|"]
    for t in result.tests:
        name = t.test_name.replace("|", "\\|")
        lines.append(f"| {name} | {'PASS' if t.passed else 'FAIL'} | {t.score} / {t.max_score} |")
    failed = [t for t in result.tests if not t.passed]
    if failed:
        text = "\n\n".join(f"{t.test_name}\n{t.message}" for t in failed)
        fence = _fence(text)
        lines += ["", "Feedback (run `dlgrade check` locally for the full report):", fence, text, fence]
    if not all(t.isolated for t in result.tests):
        lines += ["", "_Graded without OS-level isolation (see the workflow log)._"]
    return "\n".join(lines) + "\n"


def run(workspace: Path, manifest_path: Path, env: dict[str, str]) -> C50Result:
    """Grade ``workspace`` for the manifest's exercises, hidden cases when the reference is installed."""
    manifest = Manifest.load(manifest_path)
    hidden = any(registry.reference(e.id) is not None for e in manifest.exercises)
    secret = env.get("DLGRADE_SECRET", "").encode() or None
    student = env.get("OWNER") or env.get("USERNAME") or None
    opts = with_release(Options(hidden=hidden, secret=secret, student=student, vary_public=hidden),
                        manifest_path.parent)  # public inputs per student only where the reference is
    results = grade(workspace, manifest, opts)
    now = dt.datetime.now(dt.UTC)
    when = submitted_at(workspace, env.get("GITHUB_SHA", "")) or now
    return to_result(results, manifest, env, when, now)


def main(argv: list[str] | None = None) -> int:
    """Write ``result.json`` and ``release-body.md`` into the checkout; exit 0 when grading ran."""
    parser = argparse.ArgumentParser(prog="python -I -m grader.platforms.classroom50")
    parser.add_argument("--workspace", type=Path, required=True, help="the student's checkout")
    parser.add_argument("--manifest", type=Path, required=True, help="the bundle's dlgrade-manifest.json")
    args = parser.parse_args(argv)
    workspace = args.workspace.resolve()
    result = run(workspace, args.manifest.resolve(), dict(os.environ))
    (workspace / RESULT_FILE).write_text(result.model_dump_json(by_alias=True, indent=2) + "\n",
                                         encoding="utf-8")
    (workspace / BODY_FILE).write_text(release_body(result), encoding="utf-8")
    sys.stdout.write(f"dlgrade {__version__}: {result.score}/{result.max_score} points "
                     f"({sum(t.passed for t in result.tests)}/{len(result.tests)} tests passed)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
