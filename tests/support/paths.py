"""Where things are: the repository, and the course notes (optional)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTES_ENV = "DLGRADE_NOTES"


def notes_dir() -> Path | None:
    """The course notes (``../shared/seeds`` beside the repository, or ``$DLGRADE_NOTES``),
    or None where they are absent: the project never needs them."""
    for candidate in (os.environ.get(NOTES_ENV), ROOT.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("*.txt")):
            return Path(candidate)
    return None
