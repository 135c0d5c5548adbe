"""Public cases of the two-layer network exercise (a course pack written with ``grader.api``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.api import Call, Case, Exercise, Loss, MatchReference, fixed, labels

FUNCTIONS = ("two_layer_scores", "two_layer_loss")
SHAPES: dict[str, Any] = {"W1": ("D", "H"), "b1": ("H",), "W2": ("H", "C"), "b2": ("C",)}


def loss(reg: float) -> Loss:
    """``two_layer_loss`` with regularisation strength ``reg``."""
    return Loss("two_layer_loss",
                inputs={"X": ("N", "D"), "y": labels("N", "C"), **SHAPES, "reg": fixed(reg)},
                grads=("dW1", "db1", "dW2", "db2"))


def scores(n: int, d: int, h: int, c: int) -> Callable[[np.random.Generator], list[Call]]:
    """The scores of a random network (its biases shifted so that some ReLUs are off)."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = (rng.standard_normal((n, d)), rng.standard_normal((d, h)), rng.standard_normal(h) - 0.5,
                rng.standard_normal((h, c)), rng.standard_normal(c))
        return [Call("two_layer_scores", args, single=True, returns=("scores",))]
    return build


EXERCISE = Exercise(
    id="two_layer_net", title="Two-layer network",
    teaches=("affine - ReLU - affine scores, softmax loss with L2 on both weight matrices, and "
             "backpropagation through the whole graph"),
    functions=FUNCTIONS,
    public=(
        Case("scores", 2, scores(4, 5, 6, 3), MatchReference(1e-7), seed=1,
             description="two_layer_scores: N=4, D=5, H=6, C=3"),
        *loss(0.0).cases("loss_no_reg", {"N": 5, "D": 4, "H": 6, "C": 3}, seed=2, points=(2, 2),
                         what="reg = 0"),
        *loss(0.1).cases("loss_reg", {"N": 4, "D": 3, "H": 5, "C": 4}, seed=4, points=(2, 2),
                         what="reg = 0.1"),
    ),
)
