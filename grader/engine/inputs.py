"""A case's inputs as named arrays, and a hash of everything that determines its outputs."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from grader.engine.suite import Call, Ref


def input_arrays(calls: list[Call]) -> dict[str, np.ndarray]:
    """Every numeric input of the calls, flattened to named arrays."""
    out: dict[str, np.ndarray] = {}

    def add(name: str, value: Any) -> None:
        if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
            out[name] = value
        elif isinstance(value, bool | int | float | np.number):
            out[name] = np.asarray(value)
        elif isinstance(value, dict):
            for k in sorted(value):
                add(f"{name}.{k}", value[k])
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                add(f"{name}.{i}", v)

    for i, call in enumerate(calls):
        for j, arg in enumerate(call.args):
            add(f"{i}.{call.func}.{j}", arg)
        for key in sorted(call.kwargs):
            add(f"{i}.{call.func}.{key}", call.kwargs[key])
    return out


def calls_digest(prefix: str, calls: list[Call]) -> str:
    """A hash of ``prefix``, the calls (functions, labels, returns, references) and every numeric input."""
    h = hashlib.sha256(f"{prefix}|".encode())
    for call in calls:
        refs = [repr(a) for a in (*call.args, *call.kwargs.values()) if isinstance(a, Ref)]
        h.update(f"{call.func}|{call.label}|{call.returns}|{call.single}|{refs}|".encode())
    for key, arr in sorted(input_arrays(calls).items()):
        h.update(f"{key}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()
