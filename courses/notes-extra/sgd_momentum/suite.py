"""Public cases of the SGD-with-momentum exercise (a course pack written with ``grader.api``).

Several steps are a chain of calls: call k+1 gets call k's ``next_w`` and
``config`` back, as a training loop would (like the ``adam`` suite). An
optimizer has no backward pass, so there is no gradient check here; the
checks compare the weights and the carried velocity with the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.api import Call, Case, Exercise, MatchReference, Ref

FUNCTIONS = ("sgd_momentum",)
KEYS = ("next_w", "config.velocity")
Build = Callable[[np.random.Generator], list[Call]]


def steps(n: int, shape: tuple[int, ...] = (3, 4), config: dict[str, Any] | None = None,
          velocity: bool = False) -> Build:
    """``n`` chained steps from ``config`` (None: the defaults); ``velocity`` starts it non-zero."""
    def build(rng: np.random.Generator) -> list[Call]:
        w = rng.standard_normal(shape)
        start = None if config is None and not velocity else dict(config or {})
        if velocity and start is not None:
            start["velocity"] = 0.1 * rng.standard_normal(shape)
        calls = []
        for k in range(n):
            dw = rng.standard_normal(shape)
            returns: tuple[str | None, ...] = ("next_w", "config") if k == n - 1 else (None, None)
            args: tuple[Any, ...]
            if k == 0:
                args = (w, dw) if start is None else (w, dw, start)
            else:
                args = (Ref(k - 1, 0), dw, Ref(k - 1, 1))
            calls.append(Call("sgd_momentum", args, returns=returns))
        return calls
    return build


CUSTOM = {"learning_rate": 0.1, "momentum": 0.5}

EXERCISE = Exercise(
    id="sgd_momentum", title="SGD with momentum",
    teaches="the momentum update v = mu v - lr dw, w + v, with the velocity carried in config",
    functions=FUNCTIONS,
    public=(
        Case("single_step_defaults", 2, steps(1), MatchReference(1e-7, KEYS), seed=1,
             description="one step with config=None: learning_rate 1e-2, momentum 0.9, velocity 0"),
        Case("given_velocity", 2, steps(1, (5,), {}, velocity=True), MatchReference(1e-7, KEYS), seed=2,
             description="one step from a config that already holds a velocity"),
        Case("several_steps", 2, steps(4), MatchReference(1e-7, KEYS), seed=3,
             description="four steps, each given the previous step's next_w and config"),
        Case("custom_hyperparameters", 1, steps(2, (2, 3), CUSTOM), MatchReference(1e-7, KEYS), seed=4,
             description="learning_rate 0.1 and momentum 0.5 in config"),
    ),
)
