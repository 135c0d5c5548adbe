"""Every randomized quiz answer computed independently of the answer key and
answer functions (other formulas, numerical derivatives, experiments), shared by
the bank tests and the all-variants tests."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _d(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def _impulse_width(n: int, k: int) -> int:
    """Receptive field by experiment: stack n k-wide all-ones convs on an impulse."""
    x = np.zeros(64)
    x[32] = 1
    for _ in range(n):
        x = np.convolve(x, np.ones(k), mode="same")
    return int(np.count_nonzero(x))


def _size(*shape: float) -> int:
    """How many numbers an array of this shape holds."""
    return int(np.zeros(tuple(int(d) for d in shape)).size)


def _adam_step(w: float, g: float, lr: float) -> float:
    # The CS231n adam update, as the adam exercise states it (t incremented before use).
    cfg = {"learning_rate": lr, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "m": 0.0, "v": 0.0, "t": 0}
    cfg["t"] += 1
    cfg["m"] = cfg["beta1"] * cfg["m"] + (1 - cfg["beta1"]) * g
    cfg["v"] = cfg["beta2"] * cfg["v"] + (1 - cfg["beta2"]) * g ** 2
    mt = cfg["m"] / (1 - cfg["beta1"] ** cfg["t"])
    vt = cfg["v"] / (1 - cfg["beta2"] ** cfg["t"])
    return w - cfg["learning_rate"] * mt / (np.sqrt(vt) + cfg["epsilon"])


P = dict[str, float]
INDEPENDENT: dict[str, Callable[[P], float]] = {
    "ml-basics/iterations": lambda p: len(range(0, int(p["N"]), int(p["B"]))),
    "activations/sigmoid-derivative": lambda p: _d(_sig, p["x"]),
    "losses/softmax-scores": lambda p: 1 / (1 + math.exp(p["s2"] - p["s1"]) + math.exp(p["s3"] - p["s1"])),
    "losses/hinge": lambda p: sum(max(0.0, s - p["sy"] + 1) for s in (p["s2"], p["s3"])),
    "losses/cross-entropy": lambda p: math.log(1 / p["p"]),
    "losses/mse": lambda p: float(np.mean(np.square(np.array([p["p1"], p["p2"]]) - [p["t1"], p["t2"]]))),
    "losses/mae": lambda p: float(np.mean(np.abs(np.array([p["p1"], p["p2"]]) - [p["t1"], p["t2"]]))),
    "backprop/mul-gate": lambda p: _d(lambda x: p["g"] * x * p["y"], p["x"]),
    "backprop/max-gate": lambda p: _d(lambda x: p["g"] * max(x, p["y"]), p["x"]),
    "cnn-shapes/conv-output": lambda p: len(range(0, int(p["W"] + 2 * p["P"] - p["F"]) + 1, int(p["S"]))),
    "cnn-shapes/conv-params": lambda p: _size(p["C_out"], p["C_in"], p["k"], p["k"]) + _size(p["C_out"]),
    # 'same' padding keeps H x H; every output value of every filter costs k*k*C_in multiplications.
    "cnn-shapes/conv-macs": lambda p: (p["H"] * p["H"] * p["C_out"]) * (p["k"] ** 2 * p["C_in"]),
    "cnn-shapes/pool-output": lambda p: len(range(0, int(p["W"] - p["F"]) + 1, int(p["S"]))),
    "cnn-shapes/receptive-field": lambda p: _impulse_width(int(p["n"]), int(p["k"])),
    "cnn-shapes/fc-params": lambda p: _size(p["n_in"], p["n_out"]) + _size(p["n_out"]),
    "rnn-lstm/rnn-params": lambda p: _size(p["H"], p["D"]) + _size(p["H"], p["H"]) + _size(p["H"]),
    # The lstm_cell contract: Wx (D, 4H), Wh (H, 4H), b (4H,).
    "rnn-lstm/lstm-params": lambda p: _size(p["D"], 4 * p["H"]) + _size(p["H"], 4 * p["H"])
    + _size(4 * p["H"]),
    "rnn-lstm/cell-update": lambda p: float(np.dot([p["f"], p["i"]], [p["c"], p["g"]])),
    "word2vec/hierarchical": lambda p: next(d for d in range(64) if 2 ** d >= p["V"]),
    "word2vec/neg-loss": lambda p: math.log1p(math.exp(-p["so"])) + math.log1p(math.exp(p["s1"]))
    + math.log1p(math.exp(p["s2"])),
    "word2vec/updated-vectors": lambda p: len({-1} | set(range(int(p["K"])))),
    "optimizers/momentum-step": lambda p: p["w"] + p["mu"] * p["v"] - p["lr"] * p["g"],
    "optimizers/adam-first-step": lambda p: _adam_step(p["w"], p["g"], p["lr"]),
    "regularization/l2-penalty": lambda p: p["lam"] * float(np.sum(np.square([p["w1"], p["w2"], p["w3"]]))),
    "regularization/dropout-kept": lambda p: p["n"] - p["n"] * p["p"],
}
