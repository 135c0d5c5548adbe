"""The grader's own copy of the stubs and the public fixtures (package data in ``grader/data/``).

They let an installed grader work anywhere: ``dlgrade init`` writes the stubs
into a folder, and ``dlgrade check`` falls back to the packaged fixtures when no
reference and no release folder is found. Both are generated from the reference
solutions and committed (like ``exercises/``); a test keeps them current.
Regenerate with ``python -m grader.assign.packaged``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grader.assign.fixtures import write_fixtures
from grader.check.selftest import reference_source
from grader.engine import registry
from grader.engine.stubs import strip_solutions

DATA = Path(__file__).resolve().parent.parent / "data"


def refresh(data: Path = DATA) -> list[str]:
    """Write every exercise's stub and public fixtures under ``data``; returns the exercise ids."""
    ids = list(registry.builtin())  # course packs carry their own stubs and fixtures
    (data / "stubs").mkdir(parents=True, exist_ok=True)
    for ex in ids:
        stub = strip_solutions(reference_source(ex).text)
        (data / "stubs" / f"{ex}.py").write_text(stub, encoding="utf-8")
        write_fixtures(ex, data / "fixtures")
    return ids


if __name__ == "__main__":
    sys.stdout.write(f"wrote stubs and fixtures of {len(refresh())} exercises into {DATA}\n")
