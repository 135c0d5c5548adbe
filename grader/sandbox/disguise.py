"""Calls as the child sees them: nothing tells a gradient-check probe from a graded call.

Every call gets a random label of its own and its return values positional
names (``r0``, ``r1``...); a return the grader does not want (a ``cache``) is
asked for like any other and dropped when the outputs come back. ``restore``
maps the child's keys back to the suite's (``naive.dW``, ``config.m``).
"""

from __future__ import annotations

import secrets
from typing import Any

KEEP_INVALID = 20  # outputs of the wrong kind kept per case


def disguise(calls: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    """The calls to send, and {child's key prefix: the suite's key, or None to drop}."""
    table: dict[str, str | None] = {}
    sent = []
    for call in calls:
        token = "k" + secrets.token_hex(6)
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
