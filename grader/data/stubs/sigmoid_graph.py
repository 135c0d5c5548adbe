"""Backpropagation on a computational graph: the sigmoid neuron.

The function is a chain of simple gates (course notes, 反向传播 6.3 复杂实例)::

    z = w[0]*x[0] + w[1]*x[1] + ... + w[D-1]*x[D-1] + w[D]     (* and + gates)
    f = 1 / (1 + exp(-z))                                    (*-1, exp, +1, 1/x gates)

Shapes: ``w (D+1,)`` (the last entry is the bias), ``x (D,)``, ``f`` a scalar.

Backward, one gate at a time: **gradient = upstream gradient x local
gradient**. The notes walk the circuit with ``w = [2, -3, -3]`` and
``x = [-1, -2]``: ``z = 1``, ``f = 0.73``; the 1/x gate turns the upstream
1.00 into ``-1/x^2 = -0.53``; the +1 gate passes it on; the exp gate
multiplies by ``e^(-1)`` (-0.20); the *-1 gate flips it to 0.20 = dz.
The notes' shortcut gives the same number at once: the sigmoid's local
gradient is ``(1 - f) * f = (1 - 0.73) * 0.73 ≈ 0.20``. Then each ``w[i]*x[i]``
gate sends ``dz * x[i]`` to ``w[i]`` and ``dz * w[i]`` to ``x[i]``, and the bias
``w[D]`` receives ``dz * 1``:

    dw ≈ [-0.20, -0.39, 0.20],   dx ≈ [0.39, -0.59].
"""

import numpy as np


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), element-wise, without overflow.

    Input: x, a number or an array of any shape. Returns an array of the same shape.

    For a large negative x, ``np.exp(-x)`` overflows (numpy warns and returns
    inf). Compute with ``e = exp(-|x|)``, which never overflows:
    ``1 / (1 + e)`` where x >= 0 and ``e / (1 + e)`` where x < 0.
    """
    raise NotImplementedError("sigmoid: write your code here")


def sigmoid_graph_forward(w, x):
    """Forward pass of f = sigmoid(w[0]*x[0] + ... + w[D-1]*x[D-1] + w[D]).

    Inputs:
    - w: (D+1,) weights; w[D] is the bias.
    - x: (D,) inputs.

    Returns a tuple of:
    - f: the scalar output (0.73 in the notes' example).
    - cache: (w, x, f), what the backward pass needs.
    """
    raise NotImplementedError("sigmoid_graph_forward: write your code here")
    return f, cache


def sigmoid_graph_backward(df, cache):
    """Backward pass: the gradients of the output with respect to w and x.

    Inputs:
    - df: the upstream gradient, a scalar (1.0 when f itself is the loss).
    - cache: (w, x, f) from sigmoid_graph_forward.

    Returns a tuple of:
    - dw: (D+1,) gradient on w: dz * x[i] for i < D, and dz * 1 for the bias w[D].
    - dx: (D,) gradient on x: dz * w[i].

    where dz = df * (1 - f) * f (upstream gradient x the sigmoid's local gradient).
    """
    raise NotImplementedError("sigmoid_graph_backward: write your code here")
    return dw, dx
