"""Test helpers: submissions made from the reference with parts replaced."""

from __future__ import annotations

from grader.engine import registry
from grader.engine.suite import Mistake
from grader.engine.variants import mistake_source
from tests.support.paths import ROOT

__all__ = ["mistake_source"]



def reference_text(exercise: str) -> str:
    return (ROOT / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")


def with_functions(exercise: str, extra: str) -> str:
    """The reference source with ``extra`` appended (later definitions win)."""
    return reference_text(exercise) + "\n\n" + extra + "\n"


def all_mistakes() -> list[tuple[str, Mistake]]:
    return [(e, m) for e in registry.available() for m in registry.load(e).mistakes]
