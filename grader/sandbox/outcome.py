"""What comes back from the sandbox child.

An outcome, and arrays that are checked before they are loaded (a whitelisted
numeric dtype, bounded size, exact length, no pickle: ``grader.sandbox.arrays``).

Imports numpy only when an array is loaded, so the sandbox starts before numpy.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Literal

from grader.frozen import frozen

if TYPE_CHECKING:
    import numpy as np

Status = Literal["ok", "exception", "syntax_error", "bad_return", "timeout", "crash", "invalid"]


class UnsafeOutput(ValueError):
    """A blob from the child is not a plain numeric array."""


@frozen
class ChildOutcome:
    """What the parent learned from one case run in the child."""

    status: Status
    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)
    exc_type: str = ""
    message: str = ""
    where: str = ""
    stdout: str = ""
    exit_code: int = 0
    cpu: float = 0.0
    mutated: tuple[str, ...] = ()  # inputs the submission changed in place
    wall: float = 0.0  # seconds from the case's start to its answer, as the grader saw it


def load_untrusted(blob: bytes) -> np.ndarray:
    """Load an array blob from the child after checking all of it (see ``grader.sandbox.arrays``).

    Raises:
        UnsafeOutput: Anything but a plain numeric array of the wire format.
    """
    from grader.sandbox.arrays import BadArray, unpack

    try:
        return unpack(blob)
    except BadArray as exc:
        raise UnsafeOutput(str(exc)) from None
