"""One time step of a vanilla RNN with tanh: forward and backward.

From the course notes (循环神经网络RNN, RNN 的基本原理): an RNN "brings the
previous output into the hidden layer of the next step"; the hidden state
``s`` depends on the current input and on the previous hidden state through
a weight matrix ``W`` that is shared by all time steps (RNN每一步的参数共享).
In the standard RNN "the repeating module is a single tanh layer":

    next_h = tanh(x @ Wx + prev_h @ Wh + b)        # (N, H)

Backward through tanh, whose derivative is ``1 - tanh(a)**2 = 1 - next_h**2``:

    da      = dnext_h * (1 - next_h**2)            # (N, H)
    dx      = da @ Wx.T      dprev_h = da @ Wh.T
    dWx     = x.T @ da       dWh     = prev_h.T @ da      db = da.sum(axis=0)

Conventions the grader compares against (Stanford CS231n, assignment 3,
``rnn_step_forward``): the cache is ``(x, prev_h, Wx, Wh, next_h)``.

Shapes: N examples in the minibatch, D input features, H hidden units.
``x (N, D)``, ``prev_h, next_h (N, H)``, ``Wx (D, H)``, ``Wh (H, H)``, ``b (H,)``.
"""

import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """Forward pass of one RNN time step with tanh.

    Inputs: x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,).

    Returns a tuple:
    - next_h: (N, H), tanh(x @ Wx + prev_h @ Wh + b).
    - cache: (x, prev_h, Wx, Wh, next_h).
    """
    next_h, cache = None, None
    # BEGIN SOLUTION
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)  # (N, H)
    cache = (x, prev_h, Wx, Wh, next_h)
    # END SOLUTION
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    """Backward pass of one RNN time step.

    Inputs:
    - dnext_h: (N, H) upstream gradient with respect to next_h.
    - cache: what rnn_step_forward returned.

    Returns a tuple:
    - dx: (N, D), dprev_h: (N, H), dWx: (D, H), dWh: (H, H), db: (H,).
    """
    dx, dprev_h, dWx, dWh, db = None, None, None, None, None
    # BEGIN SOLUTION
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h**2)  # tanh'(a) = 1 - tanh(a)**2
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    # END SOLUTION
    return dx, dprev_h, dWx, dWh, db
