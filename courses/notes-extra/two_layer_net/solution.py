"""A two-layer network: affine - ReLU - affine scores, softmax loss with L2, gradients.

From the course notes: the score function of a linear classifier
(得分函数 ``s = x W``), an activation between two layers (激活函数: ReLU,
"梯度为1" where it is active), the softmax classifier (Softmax分类器: scores
become probabilities, the loss is ``-log`` of the correct class's
probability), the regularisation penalty (正则化惩罚项) and backpropagation
on the computational graph (反向传播: the chain rule, node by node).

    h      = max(0, X @ W1 + b1)                           # (N, H) hidden layer, ReLU
    scores = h @ W2 + b2                                   # (N, C)
    p      = softmax(scores) row by row (shift by the row max first)
    loss   = mean_i(-log p[i, y[i]]) + reg * (sum(W1**2) + sum(W2**2))

Backward, from the top: ``dscores = (p - onehot(y)) / N``; ``dW2 = h.T @
dscores + 2 reg W2``; ``db2 = dscores.sum(0)``; ``dh = dscores @ W2.T``;
the ReLU passes ``dh`` only where its input was positive; then the same
affine rule once more for ``W1`` and ``b1``.

Conventions the grader compares against (Stanford CS231n, assignment 1,
``TwoLayerNet.loss``): the data loss is averaged over N; the penalty is
``reg * sum(W * W)`` for both weight matrices (so its gradient is
``2 * reg * W``) and the biases are not regularised.

Shapes: N examples, D input features, H hidden units, C classes.
``X (N, D)``, ``y (N,)`` integer labels in ``0..C-1``, ``W1 (D, H)``, ``b1 (H,)``,
``W2 (H, C)``, ``b2 (C,)``.
"""

import numpy as np


def two_layer_scores(X, W1, b1, W2, b2):
    """Class scores of the network: affine - ReLU - affine.

    Inputs: X (N, D), W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).

    Returns:
    - scores: (N, C), scores[i, c] is the score of class c for example i.
    """
    scores = None
    # BEGIN SOLUTION
    h = np.maximum(0, X @ W1 + b1)  # (N, H) ReLU
    scores = h @ W2 + b2  # (N, C)
    # END SOLUTION
    return scores


def two_layer_loss(X, y, W1, b1, W2, b2, reg):
    """Softmax loss with L2 regularisation of the two-layer network, and its gradients.

    Inputs: X (N, D), y (N,) labels, W1 (D, H), b1 (H,), W2 (H, C), b2 (C,),
    reg: float, the regularisation strength.

    Returns a tuple:
    - loss: float, mean softmax loss over N + reg * (sum(W1**2) + sum(W2**2)).
    - dW1: (D, H), db1: (H,), dW2: (H, C), db2: (C,): gradients of loss.
    """
    loss, dW1, db1, dW2, db2 = None, None, None, None, None
    # BEGIN SOLUTION
    N = X.shape[0]
    a = X @ W1 + b1  # (N, H) pre-activation
    h = np.maximum(0, a)  # (N, H)
    scores = h @ W2 + b2  # (N, C)
    shifted = scores - np.max(scores, axis=1, keepdims=True)  # numerically stable
    p = np.exp(shifted)
    p /= np.sum(p, axis=1, keepdims=True)  # (N, C) probabilities
    rows = np.arange(N)
    loss = -np.mean(np.log(p[rows, y])) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = p.copy()
    dscores[rows, y] -= 1
    dscores /= N  # (N, C)
    dW2 = h.T @ dscores + 2 * reg * W2
    db2 = dscores.sum(axis=0)
    dh = dscores @ W2.T  # (N, H)
    da = dh * (a > 0)  # ReLU: gradient flows only where the unit was active
    dW1 = X.T @ da + 2 * reg * W1
    db1 = da.sum(axis=0)
    # END SOLUTION
    return loss, dW1, db1, dW2, db2
