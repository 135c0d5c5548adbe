"""Multiclass SVM (hinge) loss and its gradient, with a loop and without.

From the course notes (损失函数 / 3.1 实例): a linear classifier gives every
class a score, ``s = x W``. For one sample with correct class ``y_i`` the
hinge loss adds up, over the *other* classes, how far each one comes to
beating the correct class by less than a safety margin of 1:

    L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + 1)

The "+1" is the notes' point about 3.15 vs 3.20: a correct score that wins
by only a hair still costs something; only a lead of at least 1 is free
(a lead of exactly 1 gives ``max(0, 0) = 0``).
The notes then average over the N samples and add the regularisation
penalty (正则化惩罚项), the sum of the squared weights times ``reg``:

    L = (1/N) sum_i L_i + reg * sum(W * W)

Conventions the grader compares against (Stanford CS231n, assignment 1):

- shapes: ``X (N, D)`` N samples of dimension D (one per row), ``W (D, C)``
  one column of weights per class, ``y (N,)`` integer labels in ``[0, C)``,
  scores ``X @ W`` are ``(N, C)``;
- margin ``delta = 1``; the ``j == y_i`` term is *not* in the sum;
- the data loss is averaged over N, the penalty is ``reg * np.sum(W * W)``
  (no 1/2 in front), so its gradient is ``2 * reg * W``;
- return ``(loss, dW)``: ``loss`` a float, ``dW (D, C)`` the gradient of
  ``loss`` with respect to ``W``.

The gradient, one positive margin at a time: if ``s_j - s_{y_i} + 1 > 0``
then raising ``W[:, j]`` by ``X[i]`` raises the loss, and raising
``W[:, y_i]`` lowers it, so ``dW[:, j] += X[i]`` and ``dW[:, y_i] -= X[i]``.
"""

import numpy as np


def svm_loss_naive(W, X, y, reg):
    """Hinge loss and gradient with explicit loops over samples and classes.

    Inputs:
    - W: (D, C) weights, one column per class.
    - X: (N, D) a minibatch of N samples.
    - y: (N,) integer labels; y[i] = c means X[i] has label c, 0 <= c < C.
    - reg: float, regularisation strength.

    Returns a tuple:
    - loss: float, (1/N) sum_i sum_{j != y_i} max(0, s[i, j] - s[i, y_i] + 1) + reg * sum(W * W),
      where s = X @ W (N, C) are the scores.
    - dW: (D, C) gradient of the loss with respect to W.
    """
    dW = np.zeros(W.shape)  # (D, C)
    loss = 0.0
    raise NotImplementedError("svm_loss_naive: write your code here")
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    """The same loss and gradient as ``svm_loss_naive``, without any loop.

    Inputs and outputs as in ``svm_loss_naive``: ``W (D, C)``, ``X (N, D)``,
    ``y (N,)``, ``reg`` float; returns ``(loss, dW)`` with ``dW (D, C)``.

    Hints: ``scores = X @ W`` is ``(N, C)``; the correct scores are
    ``scores[np.arange(N), y]`` (shape ``(N,)``, reshape to ``(N, 1)`` to
    broadcast); set the margins at the correct class to 0 before summing.
    For the gradient build a coefficient matrix ``coeff (N, C)``: 1 where
    the margin is positive, and at ``(i, y_i)`` minus the number of
    positive margins of row i; then ``dW = X.T @ coeff / N``.
    """
    loss = 0.0
    dW = np.zeros(W.shape)  # (D, C)
    raise NotImplementedError("svm_loss_vectorized: write your code here")
    return loss, dW
