"""What a class grading run writes: the run's identity and one file per student.

A results folder holds ``dlgrade-results.json`` (a :class:`RunInfo`) and
``students/<id>.json`` (a :class:`StudentResult` each). Both are written
atomically, so a killed run never leaves half a file behind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, computed_field, model_validator

from grader import __version__
from grader.engine import registry
from grader.engine.manifest import ExerciseEntry, Manifest
from grader.errors import UsageError
from grader.grade.roster import Student
from grader.models import ExerciseResult, Frozen

RUN_FILE = "dlgrade-results.json"
STUDENTS = "students"


class RunInfo(Frozen):
    """What every shard of one grading must share, and how this run went."""

    grader_version: str
    manifest: Manifest
    manifest_hash: str
    secret_fingerprint: str = ""  # "" when hidden cases are the same for everyone
    hidden: bool = True
    isolated: bool = False
    isolation: str = ""
    shard: str = ""

    def same_grading(self, other: RunInfo) -> str:
        """Why ``other`` was graded differently ("" when it was not)."""
        for field, what in (("grader_version", "grader versions"), ("manifest_hash", "manifests"),
                            ("secret_fingerprint", "secrets"), ("hidden", "hidden-case settings")):
            mine, theirs = getattr(self, field), getattr(other, field)
            if mine != theirs:
                return f"different {what} ({mine!r} vs {theirs!r})"
        return ""


class StudentResult(Frozen):
    """One student's graded exercises and points scaled to the manifest's."""

    student: Student
    exercises: list[ExerciseResult]
    points: dict[str, float]  # per exercise, scaled to the manifest's points
    max_points: dict[str, float]
    warnings: list[str] = Field(default_factory=list)
    isolated: bool = False

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        """Saved files carry the computed totals too; they are recomputed, not read."""
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in ("total", "max_total")}
            data["exercises"] = [{k: v for k, v in e.items() if k not in ("score", "max_score")}
                                 if isinstance(e, dict) else e for e in data.get("exercises", [])]
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> float:
        """The student's points, summed over the exercises."""
        return round(sum(self.points.values()), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_total(self) -> float:
        """The points possible, summed over the exercises."""
        return round(sum(self.max_points.values()), 6)


def default_manifest() -> Manifest:
    """Every exercise this grader has, with its suite's points."""
    return Manifest(grader_version=__version__,
                    exercises=[ExerciseEntry(id=e, points=registry.load(e).points)
                               for e in registry.available()])


def manifest_hash(manifest: Manifest) -> str:
    """A SHA-256 of the manifest's canonical JSON: results of different manifests do not mix."""
    canonical = json.dumps(manifest.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def secret_fingerprint(secret: bytes | None) -> str:
    """Tells secrets apart without revealing them."""
    return hmac.new(secret, b"dlgrade-fingerprint", hashlib.sha256).hexdigest()[:16] if secret else ""


def write_atomic(path: Path, text: str) -> None:
    """Write, fsync, then rename over ``path``: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_stale(folder: Path) -> None:
    """Remove the temporary files a killed run left behind (see ``write_atomic``)."""
    for stale in (folder / STUDENTS).glob(".*.tmp"):
        stale.unlink(missing_ok=True)


def read_run(folder: Path) -> RunInfo | None:
    """The run information of a results folder, or None if it has none.

    Raises:
        UsageError: The file is not a dlgrade results file.
    """
    path = folder / RUN_FILE
    if not path.is_file():
        return None
    try:
        return RunInfo.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise UsageError(f"{path} is not a dlgrade results file ({exc.errors()[0]['msg']})") from None


def student_path(folder: Path, student_id: str) -> Path:
    """Where a student's result is saved in a results folder."""
    return folder / STUDENTS / f"{student_id}.json"


def done_ids(folder: Path) -> set[str]:
    """Students whose result is already written (complete files only: writes are atomic)."""
    base = folder / STUDENTS
    return {p.stem for p in base.glob("*.json")} if base.is_dir() else set()


def read_students(folder: Path) -> list[StudentResult]:
    """Every student result saved in ``folder``, sorted by id.

    Raises:
        UsageError: A file is not a student result (the message says to delete it and regrade).
    """
    results = []
    for path in sorted((folder / STUDENTS).glob("*.json")):
        try:
            results.append(StudentResult.model_validate_json(path.read_text(encoding="utf-8")))
        except ValidationError as exc:
            raise UsageError(f"{path} is not a student result ({exc.errors()[0]['msg']}); "
                             "delete it and grade again to redo that student") from None
    return sorted(results, key=lambda r: r.student.id)
