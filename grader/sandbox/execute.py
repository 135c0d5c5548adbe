"""Run a case's calls against a module and flatten what they return.

Shared by the sandbox child (student code) and the trusted parent (reference
and known-mistake variants), so both sides compute outputs the same way.
Imported by the zygote: standard library and numpy only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_INVALID = 1000  # outputs of the wrong kind sent per case (the grader keeps 20 of those it asked for)


class CallError(Exception):
    """The student's function returned something of the wrong form."""


def _resolve(value: Any, results: list[Any]) -> Any:
    if isinstance(value, dict):
        if "__ref__" in value:
            call, index = value["__ref__"]
            raw = results[call]
            return raw if index is None else raw[index]
        return {k: _resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, results) for v in value]
    if type(value).__name__ == "Ref":
        raw = results[value.call]
        return raw if value.index is None else raw[value.index]
    return value


def _flatten(key: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, out)
    else:  # a copy: a later call may update this array in place (Adam's config)
        out[key] = value.copy() if isinstance(value, np.ndarray) else value


def as_plain(call: Any) -> dict[str, Any]:
    """A ``grader.engine.suite.Call`` as the plain dict the wire carries."""
    if isinstance(call, dict):
        return call
    return {
        "func": call.func,
        "args": list(call.args),
        "kwargs": dict(call.kwargs),
        "returns": list(call.returns),
        "label": call.label,
        "single": call.single,
    }


def run_calls(namespace: Any, calls: list[Any]) -> dict[str, Any]:
    """Call each function in turn; return raw leaves keyed by output name.

    Raises whatever the called code raises, AttributeError naming a missing
    function, or CallError when a function returns the wrong number of values.
    """
    results: list[Any] = []
    outputs: dict[str, Any] = {}
    for raw_call in calls:
        call = as_plain(raw_call)
        func = getattr(namespace, call["func"], None)
        if not callable(func):
            raise AttributeError(f"function {call['func']!r} is not defined")
        args = _resolve(call["args"], results)
        kwargs = _resolve(call["kwargs"], results)
        value = func(*args, **kwargs)
        results.append(value)
        names = call["returns"]
        values = (value,) if call["single"] else value
        if not call["single"] and (not isinstance(value, (tuple, list)) or len(value) != len(names)):
            got = f"{len(value)} values" if isinstance(value, (tuple, list)) else type(value).__name__
            raise CallError(f"{call['func']} must return {len(names)} values, got {got}")
        label = call["label"]
        for name, item in zip(names, values, strict=False):
            if name is not None:
                _flatten(f"{label}.{name}" if label else name, item, outputs)
    return outputs


def to_arrays(outputs: dict[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Convert leaves to arrays; leaves that are not numbers are reported by type."""
    arrays: dict[str, np.ndarray] = {}
    invalid: dict[str, str] = {}
    for key, leaf in outputs.items():
        kind = type(leaf).__name__
        if isinstance(leaf, (bool, int, float, np.generic, np.matrix)) or type(leaf) is np.ndarray:
            arr = np.array(leaf, copy=True, subok=False)  # a np.matrix becomes a plain 2-D array
            if arr.dtype.kind in "biuf":
                arrays[key] = arr
                continue
            kind = f"array of {arr.dtype}"
        if len(invalid) < MAX_INVALID:  # the grader keeps no more: do not send more
            invalid[key[:100]] = kind
    return arrays, invalid


def _param_name(namespace: Any, func: str, position: int) -> str:
    code = getattr(getattr(namespace, func, None), "__code__", None)
    names = getattr(code, "co_varnames", ())[: getattr(code, "co_argcount", 0)]
    if position < len(names) and isinstance(names[position], str):
        return str(names[position])
    return f"argument {position + 1}"


def input_arrays(calls: list[Any]) -> list[tuple[int, int | str, np.ndarray]]:
    """The arrays passed directly as arguments: (call, position or keyword, array)."""
    found: list[tuple[int, int | str, np.ndarray]] = []
    for i, raw_call in enumerate(calls):
        call = as_plain(raw_call)
        where: list[tuple[int | str, Any]] = [*enumerate(call["args"]), *call["kwargs"].items()]
        found.extend((i, pos, value) for pos, value in where if type(value) is np.ndarray)
    return found


def modified(namespace: Any, inputs: list[tuple[int, int | str, np.ndarray]],
             pristine: list[np.ndarray], calls: list[Any]) -> list[str]:
    """Names of the inputs the called code changed in place, e.g. ``predict_labels(dists)``."""
    names = []
    for (i, pos, now), before in zip(inputs, pristine, strict=True):
        same = now.shape == before.shape and now.dtype == before.dtype and bool(
            np.array_equal(now, before, equal_nan=now.dtype.kind in "fc"))
        if not same:
            func = as_plain(calls[i])["func"]
            name = pos if isinstance(pos, str) else _param_name(namespace, func, pos)
            names.append(f"{func}({name})")
    return list(dict.fromkeys(names))
