"""Public cases of the Adam exercise.

Several steps are a chain of calls: call k+1 gets call k's ``next_w`` and
``config`` back (``Ref(k, 0)``, ``Ref(k, 1)``), as a training loop would.
Only the last call's outputs are compared: a submission may legitimately
update ``w`` or ``config``'s arrays in place, which would change an earlier
step's outputs after the fact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.engine.compare import MatchReference
from grader.engine.suite import Build, Call, Case, Exercise, Ref

FUNCTIONS = ("adam",)

KEYS = ("next_w", "config.m", "config.v", "config.t")


def steps(n: int, shape: tuple[int, ...] = (3, 4), config: dict[str, Any] | None = None,
          scale: float = 1.0, state: bool = False) -> Build:
    """``n`` chained Adam steps.

    ``config`` holds hyper-parameters (and ``state`` adds random m, v and t = 3, as if
    some steps had already been taken).
    """
    def build(rng: np.random.Generator) -> list[Call]:
        w = rng.standard_normal(shape)
        start: dict[str, Any] | None = None if config is None and not state else dict(config or {})
        if state and start is not None:
            start.update(m=0.1 * rng.standard_normal(shape), v=0.01 * rng.random(shape) + 1e-3, t=3)
        calls = []
        for k in range(n):
            dw = scale * rng.standard_normal(shape)
            last = k == n - 1
            returns: tuple[str | None, ...] = ("next_w", "config") if last else (None, None)
            if k == 0:
                args: tuple[Any, ...] = (w, dw) if start is None else (w, dw, start)
            else:
                args = (Ref(k - 1, 0), dw, Ref(k - 1, 1))
            calls.append(Call("adam", args, returns=returns))
        return calls
    return build


def cs231n_check(rng: np.random.Generator) -> list[Call]:
    """The CS231n FullyConnectedNets Adam check: N, D = 4, 5 at t = 5."""
    # The inputs of the CS231n FullyConnectedNets adam check (N, D = 4, 5; t = 5).
    n, d = 4, 5
    w = np.linspace(-0.4, 0.6, num=n * d).reshape(n, d)
    dw = np.linspace(-0.6, 0.4, num=n * d).reshape(n, d)
    m = np.linspace(0.6, 0.9, num=n * d).reshape(n, d)
    v = np.linspace(0.7, 0.5, num=n * d).reshape(n, d)
    return [Call("adam", (w, dw, {"learning_rate": 1e-2, "m": m, "v": v, "t": 5}),
                 returns=("next_w", "config"))]


CUSTOM = {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-3}

PUBLIC = [
    Case("single_step_defaults", 2, steps(1), MatchReference(1e-7, ("next_w",)), seed=1,
         description="one step with config=None: all the defaults, t becomes 1"),
    Case("config_m_v_t", 2, steps(1, (5,), state=True), MatchReference(1e-7, KEYS[1:]), seed=2,
         description="the returned config: updated m, v and t (starting from t = 3)"),
    Case("several_steps", 2, steps(4), MatchReference(1e-7, KEYS), seed=3,
         description="four steps, each given the previous step's next_w and config"),
    Case("custom_hyperparameters", 2, steps(2, (2, 3), CUSTOM), MatchReference(1e-7, KEYS), seed=4,
         description="learning_rate 0.05, beta1 0.8, beta2 0.99, epsilon 1e-3 in config"),
    Case("cs231n_check", 1, cs231n_check, MatchReference(1e-7, KEYS),
         description="the CS231n notebook's check: lr 1e-2, given m and v, t = 5"),
]

EXERCISE = Exercise(
    id="adam",
    title="Adam optimizer",
    teaches="one Adam step: first and second moments, bias correction with t incremented first, "
            "config carried over",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
