"""Running trusted code (the reference, its mistake variants) in the parent, on copies of the inputs.

The calls run through ``grader.sandbox.execute.run_calls``, as the student's do in the child;
each function gets deep copies of its arguments, so no call can change the case's inputs or
an earlier call's results. A run can also take some calls' results from another run of the
same functions on the same inputs (``replay``): a mistake variant shares the reference's
calls that neither call a replaced function nor use such a call's results.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np

from grader.engine.suite import Call, Outputs
from grader.sandbox.execute import run_calls, to_arrays


def run_trusted(module: ModuleType | SimpleNamespace, calls: Sequence[Call],
                replay: Mapping[int, Any] | None = None, record: list[Any] | None = None) -> Outputs:
    """Outputs of trusted code on copies of the inputs.

    The calls whose index ``replay`` holds are not made: they return its value, the raw result
    that ``record`` collected (call by call) from a run of the same function on the same inputs.
    """
    replay = replay or {}
    names = {call.func for call in calls}
    done = [0]

    def wrapped(func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            n = done[0]
            done[0] += 1
            if n in replay:
                return replay[n]
            value = func(*_copied(list(args), {}), **_copied(kwargs, {}))
            if record is not None:
                record.append(value)
            return value

        return call

    namespace = SimpleNamespace(**{name: wrapped(f) if callable(f := getattr(module, name, None)) else f
                                   for name in names})
    arrays, _ = to_arrays(run_calls(namespace, list(calls)))
    return arrays


_ATOMIC = frozenset({type(None), int, float, bool, complex, str, bytes})
_NONE = object()


def _copied(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value, memo)``, quicker for plain containers and numeric arrays.

    The same copies: an array keeps its memory order (``order="K"``, as ``ndarray.__deepcopy__``),
    a tuple whose items copy to themselves is kept, an object met twice gets one copy, and
    anything else is left to ``copy.deepcopy``.
    """
    kind = type(value)
    if kind in _ATOMIC:
        return value
    found = memo.get(id(value), _NONE)
    if found is not _NONE:
        return found
    if kind is np.ndarray and value.dtype.kind in "biufc":
        found = value.copy(order="K")
    elif kind is list:
        found = memo[id(value)] = []
        found.extend([_copied(v, memo) for v in value])
    elif kind is dict:
        found = memo[id(value)] = {}
        for k, v in value.items():
            found[_copied(k, memo)] = _copied(v, memo)
    elif kind is tuple:
        items = [_copied(v, memo) for v in value]
        if id(value) in memo:  # reached again through its own items
            return memo[id(value)]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        found = tuple(items)
    else:
        return copy.deepcopy(value, memo)
    memo[id(value)] = found  # the originals all live in ``value`` meanwhile: ids stay unique
    return found
