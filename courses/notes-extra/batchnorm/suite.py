"""Public cases of the batch-normalisation exercise (a course pack written with ``grader.api``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.api import Exercise, Layer

FUNCTIONS = ("batchnorm_forward", "batchnorm_backward")


def bn_param(mode: str = "train", running: bool = False, momentum: float | None = None) -> Any:
    """An input generator for ``bn_param``; ``running`` starts from random running averages."""
    def make(rng: np.random.Generator, dims: Any) -> dict[str, Any]:
        param: dict[str, Any] = {"mode": mode}
        if running:
            param["running_mean"] = rng.standard_normal(dims["D"])
            param["running_var"] = rng.random(dims["D"]) + 0.5
        if momentum is not None:
            param["momentum"] = momentum
        return param
    return make


def scaled(scale: float, shift: float) -> Any:
    """x of shape (N, D) with a non-zero mean and a non-unit spread, as real activations have."""
    def make(rng: np.random.Generator, dims: Any) -> np.ndarray:
        return scale * rng.standard_normal((dims["N"], dims["D"])) + shift
    return make


def layer(param: Any, x: Any = ("N", "D")) -> Layer:
    return Layer("batchnorm_forward", "batchnorm_backward",
                 inputs={"x": x, "gamma": ("D",), "beta": ("D",), "bn_param": param},
                 outputs=("out", "running_mean", "running_var", None),
                 grads=("dx", "dgamma", "dbeta"))


TRAIN = layer(bn_param(), scaled(3.0, 2.0))

EXERCISE = Exercise(
    id="batchnorm", title="Batch normalisation",
    teaches=("training-mode batch normalisation: batch mean and biased variance, scale and shift, "
             "running averages for test time, and the backward pass through mean and variance"),
    functions=FUNCTIONS,
    public=(
        *TRAIN.cases("train", {"N": 6, "D": 4}, ("N", "D"), seed=1, points=(2, 2, 2)),
        layer(bn_param(running=True, momentum=0.8)).cases(
            "running_averages", {"N": 5, "D": 3}, ("N", "D"), seed=4,
            what="from given running averages, momentum 0.8")[0],
        layer(bn_param("test", running=True)).cases("test", {"N": 4, "D": 3}, ("N", "D"), seed=5,
                                                    what="test mode")[0],
    ),
)
