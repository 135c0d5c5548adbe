"""``dlgrade selftest``: prove the suites are sound.

For each exercise: the reference passes every case in the real sandbox, the
stub stripped from it fails every case with "not implemented", every known
mistake fails at least one case and is named there by the diagnosis, and the
committed stub in ``exercises/`` is what stripping the reference produces.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from grader.check.stubsync import sync_detail
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.mistakes import run_trusted, variant
from grader.engine.naming import explain_exception, explain_failure
from grader.engine.seeds import case_seed
from grader.engine.stubs import strip_solutions
from grader.engine.suite import Exercise, Mistake
from grader.records import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source


class Finding(BaseModel):
    """One selftest result: what was checked for an exercise, whether it is fine, and why."""

    model_config = ConfigDict(frozen=True)

    exercise: str
    subject: str  # "reference", "stub", "exercises/ in sync", or "mistake <id>"
    ok: bool
    detail: str


def reference_source(exercise: str) -> Source:
    """The installed reference solution of ``exercise`` as a graded source."""
    module = registry.reference(exercise)
    if module is None or module.__file__ is None:
        raise FileNotFoundError(f"no reference solution for {exercise}: selftest needs solutions/")
    return Source(exercise, Path(module.__file__).read_text(encoding="utf-8"), f"{exercise}.py")


def mistake_finding(ex: Exercise, mistake: Mistake) -> Finding:
    """Whether the suite catches a known mistake (some case fails) and names it (diagnosis)."""
    ref = registry.reference(ex.id)
    assert ref is not None, "selftest runs with the reference installed"
    wrong = variant(ref, mistake)
    caught, named = [], []
    for case in ex.cases:
        calls = case.build(np.random.default_rng(case_seed(ex.id, case)))
        try:
            got = run_trusted(wrong, calls)
        except Exception as exc:  # named when no other mistake fails with the same error
            caught.append(case.name)
            found = explain_exception(ex, calls, type(exc).__name__, str(exc)[:500])
            if any(n.id == mistake.id for n in found):
                named.append(case.name)
            continue
        expected = run_trusted(ref, calls) if case.check.needs_expected else None
        if case.check.judge(got, expected, calls, True).passed:
            continue
        caught.append(case.name)
        if any(n.id == mistake.id for n in explain_failure(ex, calls, got, expected, None)):
            named.append(case.name)
    ok = bool(caught) and bool(named)
    detail = (f"caught by {', '.join(caught) or 'no case'}; "
              f"named by {', '.join(named) or 'no case'}")
    return Finding(exercise=ex.id, subject=f"mistake {mistake.id}", ok=ok, detail=detail)


def selftest_exercise(exercise: str, sandbox: Sandbox, stubs_dir: Path | None) -> list[Finding]:
    """Selftest one exercise: the reference passes, the stub is not implemented, mistakes are caught.

    With ``stubs_dir``, also that the stub there equals the stripped reference.
    """
    ex = registry.load(exercise)
    source = reference_source(exercise)
    findings = []
    ref = grade_exercise(ex, source, sandbox, Options())
    bad = [c.name for c in ref.cases if not c.passed]
    findings.append(Finding(exercise=exercise, subject="reference", ok=not bad,
                            detail=f"{len(ref.cases) - len(bad)}/{len(ref.cases)} cases pass"
                            + (f"; failing: {', '.join(bad)}" if bad else "")))
    stub_text = strip_solutions(source.text)
    stub = grade_exercise(ex, Source(exercise, stub_text, f"{exercise}.py"), sandbox, Options())
    bad = [c.name for c in stub.cases if c.verdict is not Verdict.NOT_IMPLEMENTED]
    findings.append(Finding(exercise=exercise, subject="stub", ok=not bad,
                            detail=f"{len(stub.cases) - len(bad)}/{len(stub.cases)} cases say "
                            "not implemented" + (f"; others: {', '.join(bad)}" if bad else "")))
    if stubs_dir is not None and not registry.in_pack(exercise):  # a pack's stubs are built on assign
        ok, detail = sync_detail(stubs_dir / f"{exercise}.py", stub_text)
        findings.append(Finding(exercise=exercise, subject="exercises/ in sync", ok=ok, detail=detail))
    findings.extend(mistake_finding(ex, m) for m in ex.mistakes)
    return findings


def run_selftest(exercises: list[str], stubs_dir: Path | None) -> list[Finding]:
    """Selftest ``exercises`` in one sandbox; every finding, in order."""
    with Sandbox() as box:
        return [f for e in exercises for f in selftest_exercise(e, box, stubs_dir)]
