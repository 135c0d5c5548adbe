"""Calls as the child sees them: nothing tells a gradient-check probe from a graded call.

Every call gets a random label of its own and its return values positional
names (``r0``, ``r1``...); a return the grader does not want (a ``cache``) is
asked for like any other and dropped when the outputs come back. The calls go
in a random order that keeps each call after those whose results it uses, so
probes are mixed in with the graded calls. ``restore`` maps the child's keys
back to the suite's (``naive.dW``, ``config.m``).
"""

from __future__ import annotations

import os
import random
from typing import Any

KEEP_INVALID = 20  # outputs of the wrong kind kept per case


_RANDOM = random.SystemRandom()


def _refs(value: Any) -> list[int]:
    """The calls whose results ``value`` uses (``Ref`` objects, or their wire form)."""
    if type(value).__name__ == "Ref":
        return [int(value.call)]
    if isinstance(value, dict):
        if "__ref__" in value:
            return [int(value["__ref__"][0])]
        return [r for v in value.values() for r in _refs(v)]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _refs(v)]
    return []


def _renumber(value: Any, new: dict[int, int]) -> Any:
    if type(value).__name__ == "Ref":
        return {"__ref__": [new[int(value.call)], value.index]}
    if isinstance(value, dict):
        if "__ref__" in value:
            return {"__ref__": [new[int(value["__ref__"][0])], value["__ref__"][1]]}
        return {k: _renumber(v, new) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_renumber(v, new) for v in value)
    return value


def _shuffled(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The calls in a random order in which every call comes after the calls it uses."""
    needs = [set(_refs([c["args"], c["kwargs"]])) for c in calls]
    if not any(needs):  # independent calls (most cases): any order will do
        order = list(range(len(calls)))
        _RANDOM.shuffle(order)
        return [calls[i] for i in order]
    done: set[int] = set()
    order = []
    left = list(range(len(calls)))
    while left:
        ready = [i for i in left if needs[i] <= done]
        if not ready:  # a reference forward: leave the order as the suite wrote it
            return calls
        pick = _RANDOM.choice(ready)
        order.append(pick)
        done.add(pick)
        left.remove(pick)
    new = {old: pos for pos, old in enumerate(order)}
    return [calls[i] | {"args": _renumber(calls[i]["args"], new),
                        "kwargs": _renumber(calls[i]["kwargs"], new)} for i in order]


def disguise(calls: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    """The calls to send, and {child's key prefix: the suite's key, or None to drop}."""
    table: dict[str, str | None] = {}
    sent = []
    for call in _shuffled(calls):
        token = "k" + os.urandom(6).hex()  # secrets.token_hex(6), without importing hashlib and hmac
        returns = list(call["returns"])
        for j, name in enumerate(returns):
            label = call["label"]
            table[f"{token}.r{j}"] = None if name is None else (f"{label}.{name}" if label else name)
        sent.append(call | {"label": token, "returns": [f"r{j}" for j in range(len(returns))]})
    return sent, table


def _suite_key(key: str, table: dict[str, str | None]) -> str | None:
    token, _, rest = key.partition(".")
    position, _, sub = rest.partition(".")
    original = table.get(f"{token}.{position}")
    if original is None:
        return None
    return f"{original}.{sub}" if sub else original


def restore(outputs: dict[str, Any], invalid: dict[str, str], table: dict[str, str | None]
            ) -> tuple[dict[str, Any], dict[str, str]]:
    """The child's outputs and invalid outputs under the suite's keys; others dropped."""
    kept: dict[str, Any] = {}
    for key, value in outputs.items():
        name = _suite_key(key, table)
        if name is not None:
            kept[name] = value
    bad: dict[str, str] = {}
    for key, kind in invalid.items():
        name = _suite_key(key, table)
        if name is not None and len(bad) < KEEP_INVALID:
            bad[name] = kind
    return kept, bad
