"""One time step of an LSTM: forward and backward.

From the course notes (LSTM 长短期记忆神经网络 / LSTM 核心): an LSTM carries a
cell state ``c`` next to the hidden state ``h`` and controls it with three
gates. A gate is "a sigmoid layer and a pointwise multiplication": sigmoid
gives a number between 0 ("let nothing through") and 1 ("let everything
through") for every entry of the cell state.

- the forget gate ``f`` decides what to keep of the old cell state;
- the input gate ``i`` decides how much of the new candidate ``g`` (a tanh
  layer, values in (-1, 1)) to write into it;
- the output gate ``o`` decides what part of ``tanh(c)`` becomes ``h``.

All four come from one affine map of the input and the previous hidden state:

    a = x @ Wx + prev_h @ Wh + b                      # (N, 4H)
    i = sigmoid(a[:, 0:H])      f = sigmoid(a[:, H:2H])
    o = sigmoid(a[:, 2H:3H])    g = tanh(a[:, 3H:4H])
    next_c = f * prev_c + i * g
    next_h = o * tanh(next_c)

Conventions the grader compares against (Stanford CS231n, assignment 3,
``lstm_step_forward``): the 4H columns of ``a`` are in the order input,
forget, output, candidate (``i, f, o, g``); ``next_h`` uses the *new* cell
state ``next_c``.

Shapes: N examples in the minibatch, D input features, H hidden units.
``x (N, D)``, ``prev_h, prev_c, next_h, next_c (N, H)``, ``Wx (D, 4H)``,
``Wh (H, 4H)``, ``b (4H,)``.
"""

import numpy as np


def sigmoid(x):
    """A numerically stable sigmoid (no overflow for large |x|); given, not graded."""
    pos = x >= 0
    z = np.exp(-np.abs(x))
    return np.where(pos, 1.0 / (1.0 + z), z / (1.0 + z))


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """Forward pass of one LSTM time step.

    Inputs:
    - x: (N, D) input data.
    - prev_h: (N, H) previous hidden state.
    - prev_c: (N, H) previous cell state.
    - Wx: (D, 4H) input-to-hidden weights.
    - Wh: (H, 4H) hidden-to-hidden weights.
    - b: (4H,) biases.

    Returns a tuple:
    - next_h: (N, H) next hidden state, o * tanh(next_c).
    - next_c: (N, H) next cell state, f * prev_c + i * g.
    - cache: whatever the backward pass needs; the reference stores, in order,
      (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c).
    """
    next_h, next_c, cache = None, None, None
    raise NotImplementedError("lstm_step_forward: write your code here")
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM time step.

    Inputs:
    - dnext_h: (N, H) upstream gradient of the loss with respect to next_h.
    - dnext_c: (N, H) upstream gradient with respect to next_c.
    - cache: what lstm_step_forward returned.

    Returns a tuple:
    - dx: (N, D), dprev_h: (N, H), dprev_c: (N, H),
    - dWx: (D, 4H), dWh: (H, 4H), db: (4H,)

    The cell state receives gradient from both outputs: from next_c directly
    and from next_h through tanh, ``dc = dnext_c + dnext_h * o * (1 - tanh(next_c)**2)``.
    Then every gate gets the upstream gradient times its local gradient
    (sigmoid' = s (1 - s), tanh' = 1 - t**2), and the four blocks are put back
    side by side in the i, f, o, g order to form ``da (N, 4H)``.
    """
    dx, dprev_h, dprev_c, dWx, dWh, db = None, None, None, None, None, None
    raise NotImplementedError("lstm_step_backward: write your code here")
    return dx, dprev_h, dprev_c, dWx, dWh, db
