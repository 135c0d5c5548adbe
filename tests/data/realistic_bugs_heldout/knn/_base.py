# A correct student-style submission (CS231n assignment 1 style); each bug file
# in this folder replaces one function of it.
import numpy as np


def compute_distances_two_loops(X_train, X):
    num_test = X.shape[0]
    num_train = X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        for j in range(num_train):
            dists[i, j] = np.sqrt(np.sum(np.square(X[i, :] - X_train[j, :])))
    return dists


def compute_distances_one_loop(X_train, X):
    num_test = X.shape[0]
    num_train = X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        dists[i, :] = np.sqrt(np.sum(np.square(X_train - X[i, :]), axis=1))
    return dists


def compute_distances_no_loops(X_train, X):
    test_sum = np.sum(np.square(X), axis=1)
    train_sum = np.sum(np.square(X_train), axis=1)
    inner = np.dot(X, X_train.T)
    d2 = test_sum.reshape(-1, 1) + train_sum - 2 * inner
    d2 = np.maximum(d2, 0)
    return np.sqrt(d2)


def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=int)
    for i in range(num_test):
        closest_y = y_train[np.argsort(dists[i])[:k]]
        y_pred[i] = np.argmax(np.bincount(closest_y))
    return y_pred
