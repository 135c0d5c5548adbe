"""A known mistake written out as a real submission file.

The source is the reference followed by the mistake's replacement functions
and whatever module-level helpers and constants they use, so the variant can
be graded through the sandbox exactly like a student's file (tests, the
benchmark's synthetic class, demos).
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.engine import registry
from grader.engine.suite import Mistake


def _names(code: types.CodeType) -> set[str]:
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _names(const)
    return found


def _definitions(func: Callable[..., Any], seen: dict[str, str]) -> None:
    """Source of ``func`` and, first, of the module-level names it uses."""
    if isinstance(func, functools.partial):
        _definitions(func.func, seen)
        return
    module = inspect.getmodule(func)
    for name in sorted(_names(func.__code__)):
        value = func.__globals__.get(name)
        if name in seen or value is None:
            continue
        if isinstance(value, types.FunctionType) and inspect.getmodule(value) is module:
            _definitions(value, seen)
        elif isinstance(value, types.ModuleType):
            seen[name] = f"import {value.__name__} as {name}"
        elif isinstance(value, (int, float, str, bool, tuple)):
            seen[name] = f"{name} = {value!r}"
    if func.__name__ not in seen:
        seen[func.__name__] = inspect.getsource(func)


def _binding(name: str, func: Callable[..., Any]) -> str:
    if isinstance(func, functools.partial):
        return (f"{name} = functools.partial({func.func.__name__}, *{func.args!r}, "
                f"**{func.keywords!r})")
    return f"{name} = {func.__name__}"


def mistake_source(exercise: str, mistake: Mistake) -> str:
    """The reference source with the mistake's functions bound to the contract names."""
    ref = registry.reference(exercise)
    if ref is None or ref.__file__ is None:
        raise FileNotFoundError(f"no reference solution for {exercise}")
    seen: dict[str, str] = {"functools": "import functools"}
    for func in mistake.functions.values():
        _definitions(func, seen)
    bindings = [_binding(n, f) for n, f in mistake.functions.items()]
    body = "\n\n".join(seen.values()) + "\n\n" + "\n".join(bindings)
    reference = Path(ref.__file__).read_text(encoding="utf-8")
    return f"{reference}\n\n# --- known mistake: {mistake.id}\n{body}\n"
