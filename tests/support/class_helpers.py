"""Shared helpers of the class-grading tests: a small synthetic class and a manifest."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bench.synth import HOSTILE, kinds, make_class, write_student
from grader import __version__
from grader.cli.app import app
from grader.engine.manifest import ExerciseEntry, Manifest

KNN_POINTS = 10.0  # the manifest's points for knn (its suite has 18): scores are scaled to this


def knn_manifest(path: Path, points: float = KNN_POINTS) -> Path:
    Manifest(title="Test assignment", grader_version=__version__,
             exercises=[ExerciseEntry(id="knn", points=points)]).save(path)
    return path


def small_class(dest: Path, students: int = 10, loop_student: str | None = None) -> dict[str, str]:
    """A class of knn submissions; optionally one student whose vote never returns."""
    made = make_class(dest, students, ["knn"], zips_every=3)
    if loop_student:
        code = dict(kinds(["knn"]))["correct"]["knn"]
        assert code is not None
        write_student(dest, loop_student, {"knn": code + HOSTILE["loop"].format(func="predict_labels")},
                      "folder")
        made[loop_student] = "hostile: loop"
    return made


# A copied pair: answers typed in once (the same numbers whatever the inputs) and handed on.
# Identical float matrices on per-student inputs cannot happen by chance: the class report flags them.
HARD_CODED_DISTANCES = """

def _typed_in(X_train, X):
    return np.random.default_rng(7).random((X.shape[0], X_train.shape[0]))


compute_distances_two_loops = compute_distances_one_loop = compute_distances_no_loops = _typed_in
"""
# Identical labels that say nothing: every vote 0. Two honest students can share them (not flagged).
ZERO_VOTES = """

def predict_labels(dists, y_train, k=1):
    return np.zeros(dists.shape[0], dtype=np.int64)
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output  # stdout and stderr, interleaved
