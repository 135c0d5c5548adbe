"""The assignment manifest, as validated JSON.

Which exercises (and quizzes) a release holds, their points, and the grader version
it was made with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader.errors import UsageError

MANIFEST_NAME = "dlgrade-manifest.json"  # grader.engine.manifest_plain reads it on a check, without pydantic


class ExerciseEntry(BaseModel):
    """An exercise of a release and its points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    points: float = Field(gt=0)


class Manifest(BaseModel):
    """A release's contents, points, language and grader version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    course: str = "Deep learning"
    title: str = "dlgrade assignment"
    grader_version: str
    lang: Literal["en", "zh"] = "en"
    exercises: list[ExerciseEntry]
    quizzes: list[str] = []
    content_hash: str = ""
    fixtures: str = "fixtures"  # folder of public fixtures, relative to the manifest
    numpy: str = ""  # the numpy range the release was graded with, e.g. ">=2.0,<3"; "" in older ones

    def save(self, path: Path) -> None:
        """Write the manifest to ``path`` as JSON."""
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read and validate the manifest at ``path`` (a file, or a folder holding one).

        Raises:
            UsageError: It is missing or invalid (the message names the field).
        """
        if path.is_dir():
            path = path / MANIFEST_NAME
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"no manifest at {path}; make one with 'dlgrade assign'") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UsageError(f"{path}: {where}: {first['msg']}") from None


def numpy_range(version: str) -> str:
    """The range of numpy versions that grade like ``version``: the same major release.

    numpy 2.0 removed ``np.int``, ``ndarray.itemset``, ``np.lib.pad``...
    """
    major = int(version.split(".")[0])
    return f">={major}.0,<{major + 1}"
