"""K-nearest neighbours (KNN): distances and the majority vote.

From the course notes (K近邻算法): to classify an unknown point, take the k
training points closest to it and let them vote; the class seen most often
among them wins. With k=3 the notes' circle holds two triangles and one
square, so the point is a triangle; with k=5 it holds three squares, so it
becomes a square.

Shapes: ``X_train (num_train, D)``, ``X (num_test, D)``; the distance matrix
is ``dists (num_test, num_train)`` with ``dists[i, j]`` the Euclidean
distance between test point ``i`` and training point ``j``.
"""

import numpy as np


def compute_distances_two_loops(X_train, X):
    """Euclidean distances with a loop over test points and training points.

    Inputs:
    - X_train: (num_train, D) training points.
    - X: (num_test, D) test points.

    Returns:
    - dists: (num_test, num_train), dists[i, j] = sqrt(sum_d (X[i, d] - X_train[j, d])**2).
    """
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    raise NotImplementedError("compute_distances_two_loops: write your code here")
    return dists


def compute_distances_one_loop(X_train, X):
    """The same distances with a single loop over test points (broadcast the rest).

    Returns dists (num_test, num_train).
    """
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    raise NotImplementedError("compute_distances_one_loop: write your code here")
    return dists


def compute_distances_no_loops(X_train, X):
    """The same distances with no loop at all.

    Expand ``|x - y|^2 = |x|^2 - 2 x.y + |y|^2`` and compute all three terms
    with matrix operations and broadcasting. Rounding can make a squared
    distance a tiny negative number: clip it at 0 before the square root.

    Returns dists (num_test, num_train).
    """
    raise NotImplementedError("compute_distances_no_loops: write your code here")
    return dists


def predict_labels(dists, y_train, k=1):
    """Predict a label for each test point by a vote of its k nearest neighbours.

    Inputs:
    - dists: (num_test, num_train) distances, as computed above.
    - y_train: (num_train,) integer labels of the training points.
    - k: how many neighbours vote.

    Returns:
    - y_pred: (num_test,) integer labels.

    Convention: if two labels get the same number of votes, the *smaller*
    label wins (``np.bincount(...).argmax()`` does exactly this). Among
    training points at the same distance, take them in index order (a stable
    sort, ``np.argsort(..., kind="stable")``).
    """
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    raise NotImplementedError("predict_labels: write your code here")
    return y_pred
