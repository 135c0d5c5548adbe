"""PrairieLearn external grader: grade ``/grade/student/<id>.py``, write ``/grade/results/results.json``.

The contract is PrairieLearn's docs/externalGrading.md ("Grading results"):
``score`` in [0, 1]; ``gradable: false`` (with ``format_errors``) marks an
upload that could not be graded, so no attempt is spent; ``tests`` rows have
``name``, ``description``, ``points``, ``max_points``, ``message``, ``output``;
the file must stay under 1 MB. The question's ``run.sh`` runs
``python -I -m grader.platforms.prairielearn <id> --root /grade --files
/grade/serverFilesCourse/dlgrade`` from ``/grade/results``: the student's files
are read as text, never imported. With the instructor wheel in ``--files``,
its ``solutions`` package is unpacked into a private folder for this process
(hidden cases, diagnosis by the reference); otherwise the public fixtures are used.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import io
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from grader import __version__
from grader.check.run import with_release
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.manifest import MANIFEST_NAME, Manifest
from grader.engine.texts import Lang
from grader.models import ExerciseResult, RunResult, Verdict
from grader.platforms.gradescope import SECRET_FILE, case_output
from grader.render.language import localize_exercise
from grader.render.terminal import print_run
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission

MAX_BYTES = 1_000_000  # PrairieLearn's limit on results.json
NOT_GRADABLE = {Verdict.MISSING_MODULE, Verdict.BAD_SOURCE, Verdict.SYNTAX_ERROR}


class PLTest(BaseModel):
    """One row of ``tests`` (rendered by ``<pl-external-grader-results>``)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    message: str = ""
    output: str = ""


class PLResults(BaseModel):
    """The whole ``results.json``."""

    model_config = ConfigDict(extra="forbid")

    gradable: bool = True
    score: float = Field(default=0.0, ge=0, le=1)
    format_errors: list[str] = []
    message: str = ""
    output: str = ""
    tests: list[PLTest] = []


def use_instructor_wheel(files: Path) -> bool:
    """Make the instructor wheel's ``solutions`` importable in this process only; True if done."""
    wheels = sorted(files.glob("dlgrade_autograder-*.whl"))
    if not wheels:
        return False
    wheel = wheels[0]
    if not wheel.name.startswith(f"dlgrade_autograder-{__version__}-"):
        raise RuntimeError(f"{wheel.name} does not match the grading image's dlgrade {__version__}: "
                           "rebuild the image from this bundle's Dockerfile")
    target = Path(tempfile.mkdtemp(prefix="dlgrade-solutions-"))  # 0700: not for the sandbox
    atexit.register(shutil.rmtree, target, True)
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith("solutions/") and not name.endswith("/"):
                zf.extract(name, target)
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    registry.forget()
    return True


def report(result: ExerciseResult) -> str:
    """The terminal report of ``dlgrade check``, as plain text."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
    print_run(RunResult(grader_version=__version__, exercises=[result]), console)
    return buffer.getvalue()


def to_results(result: ExerciseResult, points: float, lang: Lang = "en") -> PLResults:
    """Per-case tests scaled to the exercise's manifest points; score = fraction earned."""
    problems = {c.verdict for c in result.cases} & NOT_GRADABLE
    if problems and not any(c.passed for c in result.cases):
        first = next(c for c in result.cases if c.verdict in NOT_GRADABLE)
        return PLResults(gradable=False, format_errors=[first.message or first.verdict.value],
                         message="Your file could not be graded; nothing was counted. "
                                 "Fix it and submit again.")
    scale = result.factor(points)
    tests = [PLTest(name=case.name, description=case.description, points=round(case.points * scale, 6),
                    max_points=round(case.max_points * scale, 6),
                    message="passed" if case.passed else (case.message or case.verdict.value),
                    output=case_output(result, k, lang)) for k, case in enumerate(result.cases)]
    fraction = result.score / result.max_score if result.max_score else 0.0
    note = "" if result.isolated else " (graded without OS-level isolation)"
    return PLResults(score=min(1.0, max(0.0, round(fraction, 6))), tests=tests, output=report(result),
                     message=f"dlgrade {__version__}: {fraction * points:.4g}/{points:g} points{note}")


def run(exercise: str, root: Path, files: Path) -> PLResults:
    """Grade one exercise of a PrairieLearn job rooted at ``root``."""
    manifest = Manifest.load(files / MANIFEST_NAME)
    hidden = use_instructor_wheel(files)
    ex = registry.resolve(exercise)
    secret_file = files / SECRET_FILE
    secret = secret_file.read_bytes().strip() if secret_file.is_file() else None
    opts = with_release(Options(hidden=hidden, secret=secret), files)
    with Submission(root / "student", "folder", "your upload") as upload:
        source = upload.read(ex)  # read as text; nothing uploaded is ever imported
    with Sandbox(protect=[files]) as box:  # below full isolation: the secret and wheel stay unreadable
        sys.stderr.write(f"dlgrade: sandbox: {box.isolation}\n")
        result = grade_exercise(registry.load(ex), source, box, opts)
    points = {e.id: e.points for e in manifest.exercises}.get(ex, result.max_score)
    return to_results(localize_exercise(result, manifest.lang), points, manifest.lang)


def write(results: PLResults, root: Path) -> Path:
    """Write ``results.json`` (dropping the long report if it would pass PrairieLearn's 1 MB limit)."""
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = results.model_dump_json(indent=2)
    if len(text.encode()) > MAX_BYTES:
        text = results.model_copy(update={"output": "(report too long; see the tests)"}).model_dump_json()
    out.write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Grade and write results.json; a grader failure is still a results.json the student sees."""
    parser = argparse.ArgumentParser(prog="python -I -m grader.platforms.prairielearn")
    parser.add_argument("exercise")
    parser.add_argument("--root", type=Path, default=Path("/grade"))
    parser.add_argument("--files", type=Path, help="the dlgrade folder of serverFilesCourse")
    args = parser.parse_args(argv)
    files = args.files or args.root / "serverFilesCourse" / "dlgrade"
    try:
        results, code = run(args.exercise, args.root, files), 0
    except Exception as exc:  # the student must see a result, never a silent failure
        results, code = PLResults(gradable=False, format_errors=[
            f"The autograder failed ({type(exc).__name__}: {exc}). Please tell your instructor."]), 1
    write(results, args.root)
    return code


if __name__ == "__main__":
    sys.exit(main())
