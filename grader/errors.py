"""Errors of the person running dlgrade (not of the student's code)."""

from __future__ import annotations

from collections.abc import Iterable


class UsageError(Exception):
    """A mistake in how dlgrade was called: one line, exit code 2."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix naming the choice closest to ``word``, or ""."""
    import difflib  # only when something was misspelt

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""
