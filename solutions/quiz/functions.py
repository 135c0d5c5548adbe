"""Answer functions of parametrized quiz questions: params (as drawn) -> answer.

Each takes the question's params as keyword arguments and returns a float.
Formulas follow the course notes (cited in the answer keys)."""

from __future__ import annotations

import math
from collections.abc import Callable


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def iterations_per_epoch(N: float, B: float) -> float:
    return float(math.ceil(N / B))


def sigmoid_derivative(x: float) -> float:
    s = _sigmoid(x)
    return s * (1.0 - s)


def softmax_first(s1: float, s2: float, s3: float) -> float:
    m = max(s1, s2, s3)  # shift for stability, as in the softmax exercise
    e = [math.exp(s - m) for s in (s1, s2, s3)]
    return e[0] / sum(e)


def hinge_loss(sy: float, s2: float, s3: float) -> float:
    return max(0.0, s2 - sy + 1) + max(0.0, s3 - sy + 1)


def cross_entropy(p: float) -> float:
    return -math.log(p)


def mse(p1: float, p2: float, t1: float, t2: float) -> float:
    return ((p1 - t1) ** 2 + (p2 - t2) ** 2) / 2


def mae(p1: float, p2: float, t1: float, t2: float) -> float:
    return (abs(p1 - t1) + abs(p2 - t2)) / 2


def mul_gate_grad_x(x: float, y: float, g: float) -> float:
    return g * y


def max_gate_grad_x(x: float, y: float, g: float) -> float:
    return g if x > y else 0.0


def conv_output_size(W: float, F: float, P: float, S: float) -> float:
    return float((int(W) + 2 * int(P) - int(F)) // int(S) + 1)


def conv_params(k: float, C_in: float, C_out: float) -> float:
    return k * k * C_in * C_out + C_out


def conv_macs(H: float, C_in: float, C_out: float, k: float) -> float:
    return H * H * C_out * k * k * C_in


def pool_output_size(W: float, F: float, S: float) -> float:
    return float((int(W) - int(F)) // int(S) + 1)


def receptive_field(n: float, k: float) -> float:
    return 1 + n * (k - 1)


def fc_params(n_in: float, n_out: float) -> float:
    return n_in * n_out + n_out


def rnn_params(D: float, H: float) -> float:
    return H * D + H * H + H


def lstm_params(D: float, H: float) -> float:
    return 4 * (D * H + H * H + H)


def lstm_cell_update(f: float, c: float, i: float, g: float) -> float:
    return f * c + i * g


def hierarchical_depth(V: float) -> float:
    return float(math.ceil(math.log2(V)))


def neg_sampling_loss(so: float, s1: float, s2: float) -> float:
    return -math.log(_sigmoid(so)) - math.log(_sigmoid(-s1)) - math.log(_sigmoid(-s2))


def negatives_plus_one(K: float) -> float:
    return K + 1


def momentum_step(w: float, v: float, g: float, lr: float, mu: float) -> float:
    return w + (mu * v - lr * g)


def adam_first_step(w: float, g: float, lr: float) -> float:
    beta1, beta2, eps, t = 0.9, 0.999, 1e-8, 1
    m = (1 - beta1) * g
    v = (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - lr * m_hat / (math.sqrt(v_hat) + eps)


def l2_penalty(w1: float, w2: float, w3: float, lam: float) -> float:
    return lam * (w1 * w1 + w2 * w2 + w3 * w3)


def dropout_kept(n: float, p: float) -> float:
    return n * (1 - p)


FUNCTIONS: dict[str, Callable[..., float]] = {
    name: fn for name, fn in globals().items()
    if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", "") == __name__
}
