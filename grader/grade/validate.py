"""Checking a stored student result against the run that wrote it, before it is exported.

``students/<id>.json`` is plain JSON that anyone can edit or copy. Before a
result reaches a gradebook it must agree with the run's recorded manifest and
with itself: its file name is its student's id, its exercises are the
manifest's, each case earns its points exactly when it passed, the case
points are the suite's, and each exercise's points are the manifest's points
scaled by the case score. A file edited by hand or copied astray fails one of
these checks and is refused with its path.
"""

from __future__ import annotations

from pathlib import Path

from grader.engine import registry
from grader.grade.results import RunInfo, StudentResult, manifest_hash

TOLERANCE = 1e-6


def _suite_points(exercise: str) -> dict[str, float]:
    try:
        return {c.name: c.points for c in registry.load(exercise).cases}
    except (ModuleNotFoundError, KeyError, ValueError):
        return {}


def run_problem(path: Path, run: RunInfo) -> str:
    """Why the run file at ``path`` cannot be trusted ("" when it can): its manifest was edited."""
    if manifest_hash(run.manifest) != run.manifest_hash:
        return (f"{path}: its manifest does not match the manifest hash recorded when it was graded "
                "(edited by hand?); restore it or grade again into a new folder")
    return ""


def problem(path: Path, result: StudentResult, run: RunInfo) -> str:
    """Why ``result`` (read from ``path``) cannot be exported ("" when it can)."""
    if path.stem != result.student.id:
        return (f"{path} holds the result of student {result.student.id!r}, not {path.stem!r}: "
                f"a stray copy? remove it (the result of {result.student.id!r} is "
                f"{result.student.id}.json)")
    plan = {e.id: e.points for e in run.manifest.exercises}
    graded = [e.exercise for e in result.exercises]
    if sorted(graded) != sorted(plan) or len(set(graded)) != len(graded):
        return f"{path} grades {', '.join(graded) or 'nothing'}, not this run's manifest ({', '.join(plan)})"
    if result.max_points != plan or set(result.points) != set(plan):
        return f"{path}: its points possible differ from this run's manifest"
    for ex in result.exercises:
        known = _suite_points(ex.exercise)
        for case in ex.cases:
            earned = case.max_points if case.passed else 0.0
            if abs(case.points - earned) > TOLERANCE:
                return f"{path}: {ex.exercise}/{case.name} has {case.points:g} points with verdict " \
                       f"{case.verdict.value}"
            if case.name in known and abs(known[case.name] - case.max_points) > TOLERANCE:
                return f"{path}: {ex.exercise}/{case.name} is worth {known[case.name]:g}, not " \
                       f"{case.max_points:g}"
        scaled = ex.scaled(plan[ex.exercise])
        if abs(result.points[ex.exercise] - scaled) > TOLERANCE:
            return (f"{path}: {ex.exercise} has {result.points[ex.exercise]:g} points but its cases earn "
                    f"{scaled:g}")
    return ""
