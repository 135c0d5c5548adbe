"""Public cases of the dropout exercise (a course pack written with ``grader.api``).

The mask is drawn from a seed that every case draws afresh, so hidden cases
get new masks per student; train and test mode each get their own cases.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.api import Exercise, Layer

FUNCTIONS = ("dropout_forward", "dropout_backward")


def dropout_param(p: float, mode: str = "train") -> Any:
    """An input generator: ``{"p": p, "mode": mode, "seed": <drawn from the case's rng>}``."""
    def make(rng: np.random.Generator, dims: Any) -> dict[str, Any]:
        return {"p": p, "mode": mode, "seed": int(rng.integers(0, 2**31 - 1))}
    return make


def layer(p: float, mode: str = "train", shape: tuple[str, ...] = ("N", "D")) -> Layer:
    """The dropout pair at keep probability ``p`` in ``mode``, on inputs of ``shape``."""
    return Layer("dropout_forward", "dropout_backward",
                 inputs={"x": shape, "dropout_param": dropout_param(p, mode)},
                 outputs=("out", None), grads=("dx",))


EXERCISE = Exercise(
    id="dropout", title="Inverted dropout",
    teaches=("inverted dropout: keep each unit with probability p, scale by 1/p in training, "
             "identity at test time; the mask from the given seed; backward through the same mask"),
    functions=FUNCTIONS,
    public=(
        *layer(0.5).cases("train", {"N": 4, "D": 5}, ("N", "D"), seed=1, what="p=0.5, train"),
        *layer(0.3, "test").cases("test", {"N": 3, "D": 6}, ("N", "D"), seed=4,
                                  what="p=0.3, test mode")[:2],
        *layer(0.8, shape=("N", "C", "D")).cases("train_3d", {"N": 2, "C": 3, "D": 4},
                                                  ("N", "C", "D"), seed=6, what="p=0.8, 3-D x")[:2],
    ),
)
