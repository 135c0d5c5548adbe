# A correct student-style submission: the notes' circuit gate by gate.
import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    return out


def sigmoid_graph_forward(w, x):
    dot = np.sum(w[:-1] * x) + w[-1]
    f = sigmoid(dot)
    return f, (w, x, f)


def sigmoid_graph_backward(df, cache):
    w, x, f = cache
    ddot = (1 - f) * f * df
    dx = w[:-1] * ddot
    dw = np.zeros_like(w)
    dw[:-1] = x * ddot
    dw[-1] = ddot
    return dw, dx
