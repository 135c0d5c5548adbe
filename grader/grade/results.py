"""What a class grading run writes: the run's identity and one file per student.

A results folder (:class:`ResultsFolder`, the one owner of its layout) holds
``dlgrade-results.json`` (a :class:`RunInfo`) and ``students/<id>.json`` (a
:class:`StudentResult` each). Both are written atomically, so a killed run
never leaves half a file behind; a full disk or a read-only folder is one
clear error (:class:`grader.grade.writes.OutputError`). Student files are
checked against the run's manifest (``grader.grade.validate``) when a
gradebook is loaded for export.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, computed_field, model_validator

from grader import __version__
from grader.engine import registry
from grader.engine.manifest import ExerciseEntry, Manifest
from grader.errors import UsageError
from grader.grade.roster import Student
from grader.grade.writes import write_atomic
from grader.models import ExerciseResult, Frozen

__all__ = ["RUN_FILE", "STUDENTS", "ResultsFolder", "RunInfo", "StudentResult", "write_atomic"]

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


class ResultsFolder:
    """The results folder of one grading run (or merge): its layout, reads and writes."""

    def __init__(self, root: Path) -> None:
        """The results folder at ``root`` (created when something is written)."""
        self.root = root
        self.run_file = root / RUN_FILE
        self.students_dir = root / STUDENTS

    def student_path(self, student_id: str) -> Path:
        """Where a student's result is saved."""
        return self.students_dir / f"{student_id}.json"

    def read_run(self) -> RunInfo | None:
        """The run information, or None if the folder has none.

        Raises:
            UsageError: The file is not a dlgrade results file.
        """
        if not self.run_file.is_file():
            return None
        try:
            return RunInfo.model_validate_json(self.run_file.read_text(encoding="utf-8"))
        except ValidationError as exc:
            raise UsageError(f"{self.run_file} is not a dlgrade results file ({exc.errors()[0]['msg']})"
                             ) from None

    def write_run(self, info: RunInfo) -> None:
        """Record what this folder is graded with (atomically; OutputError if it cannot)."""
        write_atomic(self.run_file, info.model_dump_json(indent=2) + "\n")

    def save(self, result: StudentResult) -> None:
        """Save one student's result atomically (OutputError if it cannot)."""
        write_atomic(self.student_path(result.student.id), result.model_dump_json(indent=1) + "\n")

    def remove_stale(self) -> None:
        """Remove the temporary files a killed run left behind (see ``write_atomic``)."""
        for stale in self.students_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)

    def files(self) -> list[Path]:
        """Every student result file, sorted by name."""
        return sorted(self.students_dir.glob("*.json")) if self.students_dir.is_dir() else []

    def done_ids(self) -> set[str]:
        """Students whose result is already written (complete files only: writes are atomic)."""
        return {p.stem for p in self.files()}

    def read(self, path: Path) -> StudentResult:
        """One student result file.

        Raises:
            UsageError: The file is not a student result (the message says to delete it and regrade).
        """
        try:
            return StudentResult.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, UnicodeDecodeError) as exc:
            why = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else "not UTF-8"
            raise UsageError(f"{path} is not a student result ({why}); "
                             "delete it and grade again to redo that student") from None

    def entries(self) -> list[tuple[Path, StudentResult]]:
        """Every student file with its result (check them with ``grader.grade.validate``)."""
        return [(path, self.read(path)) for path in self.files()]

    def students(self) -> list[StudentResult]:
        """Every student's result, sorted by id (unchecked: exports use ``gradebook.load``)."""
        return sorted((r for _, r in self.entries()), key=lambda r: r.student.id)
