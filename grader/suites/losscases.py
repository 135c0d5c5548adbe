"""Case builders shared by the two linear-classifier losses.

``hinge_loss`` and ``softmax`` both take ``(W, X, y, reg)`` and return ``(loss, dW)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.engine.gradcheck import probes
from grader.engine.suite import Build, Call

Data = Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]  # data(rng, n, d, c, **kw) -> W, X, y


@dataclass(frozen=True)
class LossCases:
    """Case builders for a loss over data from ``data``; ``labels`` name each function's outputs."""

    data: Data
    labels: dict[str, str]  # function name -> output label, e.g. "naive"

    def loss_calls(self, funcs: tuple[str, ...], n: int, d: int, c: int, reg: float,
                   **data_kw: Any) -> Build:
        """One call per function on the same data; labelled when there are several."""
        def build(rng: np.random.Generator) -> list[Call]:
            W, X, y = self.data(rng, n, d, c, **data_kw)
            if len(funcs) == 1:
                return [Call(funcs[0], (W, X, y, reg), returns=("loss", "dW"))]
            return [Call(f, (W, X, y, reg), returns=("loss", "dW"), label=self.labels[f]) for f in funcs]
        return build

    def gradcheck_calls(self, funcs: tuple[str, ...], n: int, d: int, c: int, reg: float,
                        count: int = 6) -> Build:
        """Each function's dW against centred differences of its own loss (no reference needed)."""
        def build(rng: np.random.Generator) -> list[Call]:
            W, X, y = self.data(rng, n, d, c)
            calls: list[Call] = []
            for f in funcs:
                args = (W, X, y, reg)
                calls.append(Call(f, args, returns=("loss", "dW"), label=self.labels[f]))
                calls += probes(f, args, 0, f"{self.labels[f]}.dW", rng, count, returns=("f", None))
            return calls
        return build
