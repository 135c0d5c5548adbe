"""Probe calls for numerical gradient checks (centred differences, h = 1e-5).

The gradient check needs no reference: the student's forward is evaluated at
``x + h e_i`` and ``x - h e_i`` in the sandbox, and the parent compares
``(f(x + h e_i) - f(x - h e_i)) / 2h`` with the student's analytic gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.engine.suite import Call, Probe

H = 1e-5


def probes(func: str, args: tuple[Any, ...], wrt: int, grad: str, rng: np.random.Generator,
           count: int = 6, *, returns: tuple[str | None, ...] = ("f",),
           weight: np.ndarray | None = None, single: bool = False, h: float = H) -> list[Call]:
    """Calls of ``func`` with ``args[wrt]`` nudged at ``count`` random elements.

    ``returns`` names the forward's outputs; the one called ``"f"`` is the
    value differentiated (a scalar loss, or an array dotted with ``weight``).
    """
    base = np.asarray(args[wrt], dtype=np.float64)
    picks = rng.choice(base.size, size=min(count, base.size), replace=False)
    calls: list[Call] = []
    for n, flat in enumerate(sorted(int(i) for i in picks)):
        index = tuple(int(i) for i in np.unravel_index(flat, base.shape))
        for sign in (1, -1):
            nudged = base.copy()
            nudged[index] += sign * h
            new_args = (*args[:wrt], nudged, *args[wrt + 1:])
            calls.append(Call(func, new_args, returns=returns, single=single,
                              label=f"{grad}{'+' if sign > 0 else '-'}{n}",
                              probe=Probe(grad, index, sign, h, weight)))
    return calls
