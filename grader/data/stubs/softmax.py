"""Softmax and the softmax (cross-entropy) loss, with a loop and without.

From the course notes (Softmax分类器 / softmax layer): take the class scores,
exponentiate them to make them positive and stretch them apart, divide by
their sum to get each class's share (a probability), and charge ``-log`` (the
natural log, ``np.log``) of the share the correct class got. The notes' example has three scores
``3, 1, -1``:

    e^3 = 20.0855, e^1 = 2.7183, e^-1 = 0.3679, sum = 23.1717
    softmax([3, 1, -1]) = [20.0855, 2.7183, 0.3679] / 23.1717
                        ≈ [0.8668, 0.1173, 0.0159]

so the first class is predicted, and if it is the correct one the loss is
``-log(0.8668) ≈ 0.1429``.

Numerical stability: ``np.exp(1000.0)`` is ``inf`` (float64 overflows past
e^709), and ``inf / inf`` is NaN. Softmax does not change when the same
number is subtracted from every score of a row, so subtract the row's
maximum first: the largest exponent is then ``e^0 = 1`` and nothing
overflows.

Conventions the grader compares against (Stanford CS231n, assignment 1), the
same as the ``hinge_loss`` exercise:

- shapes: ``X (N, D)`` N samples (rows) of dimension D, ``W (D, C)``,
  ``y (N,)`` integer labels in ``[0, C)``, scores ``X @ W`` are ``(N, C)``;
- ``L = (1/N) sum_i -log p_{i, y_i} + reg * np.sum(W * W)`` with
  ``p_i = softmax(s_i)``: the data loss is averaged over N, the penalty has
  no 1/2 in front, so its gradient is ``2 * reg * W``;
- return ``(loss, dW)``: ``loss`` a float, ``dW (D, C)``.

The gradient: ``d(-log p_{y_i}) / d s_j = p_j - 1[j == y_i]``, so
``dW[:, j] += (p_j - 1[j == y_i]) * X[i]``. Gradient descent subtracts
``dW``, so one step moves the column of every wrong class ``j`` away from
``x_i`` (by ``p_j``: the more probability it took, the further), which lowers
its score on ``x_i``, and moves the correct class's column towards ``x_i``
(by ``1 - p_{y_i}``), which raises the correct score.
"""

import numpy as np


def softmax(x):
    """Row-wise, numerically stable softmax.

    Inputs:
    - x: (N, C) scores, one row per sample; a 1-D array (C,) is one row.

    Returns:
    - p: same shape as x, p[i, j] = exp(x[i, j] - m_i) / sum_k exp(x[i, k] - m_i)
      with m_i = max_k x[i, k]; every row is positive and sums to 1.

    Example (the course notes): softmax(np.array([3.0, 1.0, -1.0]))
    ≈ [0.8668, 0.1173, 0.0159]; softmax of 1000 times those scores must
    still be finite (≈ [1, 0, 0]).
    """
    x = np.asarray(x, dtype=np.float64)
    p = np.zeros_like(x)  # same shape as x
    raise NotImplementedError("softmax: write your code here")
    return p


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and gradient with explicit loops over samples and classes.

    Inputs:
    - W: (D, C) weights, one column per class.
    - X: (N, D) a minibatch of N samples.
    - y: (N,) integer labels; y[i] = c means X[i] has label c, 0 <= c < C.
    - reg: float, regularisation strength.

    Returns a tuple:
    - loss: float, (1/N) sum_i -log(softmax(x_i W)[y_i]) + reg * sum(W * W).
    - dW: (D, C) gradient of the loss with respect to W.

    Subtract each sample's largest score before ``np.exp``.
    """
    loss = 0.0
    dW = np.zeros(W.shape)  # (D, C)
    raise NotImplementedError("softmax_loss_naive: write your code here")
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    """The same loss and gradient as ``softmax_loss_naive``, without any loop.

    Inputs and outputs as in ``softmax_loss_naive``: ``W (D, C)``,
    ``X (N, D)``, ``y (N,)``, ``reg`` float; returns ``(loss, dW)`` with
    ``dW (D, C)``.

    Hints: ``scores = X @ W`` is ``(N, C)``; shift each row by its maximum
    (``keepdims=True``); the correct-class entries are
    ``probs[np.arange(N), y]``; the gradient with respect to the scores is
    ``dscores = probs`` with 1 subtracted at ``(i, y_i)``, and
    ``dW = X.T @ dscores / N`` (plus the regulariser's gradient).
    """
    loss = 0.0
    dW = np.zeros(W.shape)  # (D, C)
    raise NotImplementedError("softmax_loss_vectorized: write your code here")
    return loss, dW
