"""What comes back from the sandbox child.

An outcome, and arrays that are checked before they are loaded (plain numeric
dtype, bounded size, no pickle).

Imports numpy only when an array is loaded, so the sandbox starts before numpy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from grader.sandbox.limits import MAX_ELEMENTS

if TYPE_CHECKING:
    import numpy as np

Status = Literal["ok", "exception", "syntax_error", "bad_return", "timeout", "crash", "invalid"]


class UnsafeOutput(ValueError):
    """A blob from the child is not a plain numeric array."""


@dataclass(frozen=True)
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


def load_untrusted(blob: bytes) -> np.ndarray:
    """Load a .npy blob from the child after checking its header."""
    import numpy as np

    buf = io.BytesIO(blob)
    try:
        version = np.lib.format.read_magic(buf)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(buf)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(buf)
    except (ValueError, OSError, SyntaxError) as exc:
        raise UnsafeOutput(f"not an .npy array ({exc})") from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf":
        raise UnsafeOutput(f"dtype {dtype} is not a plain number type")
    if int(np.prod(shape, dtype=np.int64)) > MAX_ELEMENTS:
        raise UnsafeOutput(f"array of shape {shape} is too large")
    buf.seek(0)
    arr = np.load(buf, allow_pickle=False)
    if arr.shape != shape or arr.dtype != dtype:
        raise UnsafeOutput("array header does not match its data")
    return np.asarray(arr)
