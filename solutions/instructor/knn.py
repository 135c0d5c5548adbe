"""Instructor-only data of the KNN exercise: hidden cases and known mistakes."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import MatchReference
from grader.engine.suite import Call, Case, Instructor, Mistake
from grader.suites.knn import DIST_ATOL, dist_calls


def _ties(rng: np.random.Generator) -> list[Call]:
    # k=4 and the four nearest are two 3s and two 1s: the smaller label, 1, must win.
    # Rows alternate which label is seen first, so "first seen" and "largest" differ.
    y_train = np.array([3, 1, 3, 1, 2, 0, 2, 0])
    dists = 1.0 + rng.random((6, 8))
    for i in range(6):
        near = [0, 1, 2, 3] if i % 2 == 0 else [1, 0, 3, 2]
        dists[i, near] = np.sort(rng.random(4)) * 0.9
    return [Call("predict_labels", (dists, y_train), {"k": 4}, single=True, returns=("y_pred",))]


def _duplicates(rng: np.random.Generator) -> list[Call]:
    # Every test point is a training point (shuffled), on scales from 0.5 to 4: 40 distances are
    # exactly 0, and |x|^2 - 2 x.y + |y|^2 rounds at least one of them below 0 for every student's
    # seed (none of 2000 seeds drew none, for five ways of writing the expansion), so a missing
    # clip before np.sqrt gives NaN for every student, not for one in four.
    base = rng.standard_normal((40, 16)) * rng.uniform(0.5, 4.0, (40, 1))
    X_train = np.concatenate([base, base[:3]])  # duplicated training points
    X = base[rng.permutation(40)]
    return [Call("compute_distances_no_loops", (X_train, X), single=True, returns=("dists",))]


def _single(rng: np.random.Generator) -> list[Call]:
    dists = rng.random((1, 7))
    y_train = rng.integers(0, 5, 7)
    return [Call("predict_labels", (dists, y_train), {"k": 3}, single=True, returns=("y_pred",))]


def _large_k(rng: np.random.Generator) -> list[Call]:
    dists = rng.random((9, 15))
    y_train = rng.integers(0, 3, 15)
    return [Call("predict_labels", (dists, y_train), {"k": 15}, single=True, returns=("y_pred",))]


HIDDEN = [
    Case("hidden_vote_ties", 2, _ties, MatchReference(0), seed=101, visibility="hidden",
         description="tied votes go to the smallest label"),
    Case("hidden_duplicates", 1, _duplicates, MatchReference(1e-6, atol=DIST_ATOL), seed=102,
         visibility="hidden", description="duplicate training points and zero distances"),
    Case("hidden_one_test_point", 1, _single, MatchReference(0), seed=103, visibility="hidden",
         description="a single test point"),
    Case("hidden_k_all", 1, _large_k, MatchReference(0), seed=104, visibility="hidden",
         description="k equal to the number of training points"),
    Case("hidden_two_loops_wide", 1, dist_calls("compute_distances_two_loops", 6, 3, 50),
         MatchReference(1e-7), seed=105, visibility="hidden", description="high-dimensional points"),
]


def _vote_first_seen(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        closest = list(np.asarray(y_train)[np.argsort(dists[i], kind="stable")[:k]])
        y_pred[i] = max(closest, key=closest.count)  # first label seen wins a tie
    return y_pred


def _vote_largest(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        counts = np.bincount(np.asarray(y_train)[np.argsort(dists[i], kind="stable")[:k]])
        y_pred[i] = len(counts) - 1 - np.argmax(counts[::-1])
    return y_pred


def _vote_farthest(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.bincount(np.asarray(y_train)[np.argsort(-dists[i], kind="stable")[:k]]).argmax()
    return y_pred


def _squared(X_train, X):  # type: ignore[no-untyped-def]
    return np.sum((X[:, None, :] - X_train[None, :, :]) ** 2, axis=2)


def _no_loops_plus(X_train, X):  # type: ignore[no-untyped-def]
    sq = np.sum(X**2, axis=1, keepdims=True) + 2.0 * X @ X_train.T + np.sum(X_train**2, axis=1)
    return np.sqrt(np.maximum(sq, 0.0))


MISTAKES = [
    Mistake("tie_first_seen", "A tied vote goes to the first label seen, not the smallest",
            "np.bincount(closest_y).argmax() returns the smallest label among the tied ones.",
            {"predict_labels": _vote_first_seen}),
    Mistake("tie_largest", "A tied vote goes to the largest label",
            "Use np.bincount(closest_y).argmax(): argmax picks the first (smallest) maximum.",
            {"predict_labels": _vote_largest}),
    Mistake("farthest_neighbours", "The vote uses the k farthest points instead of the nearest",
            "np.argsort sorts ascending: the first k indices are the nearest points.",
            {"predict_labels": _vote_farthest}),
    Mistake("no_sqrt", "Distances are squared: the square root is missing",
            "Euclidean distance is sqrt(sum of squared differences).",
            {"compute_distances_two_loops": _squared, "compute_distances_one_loop": _squared,
             "compute_distances_no_loops": _squared}),
    Mistake("cross_term_sign", "The no-loop expansion adds 2 x.y instead of subtracting it",
            "|x - y|^2 = |x|^2 - 2 x.y + |y|^2: the cross term is subtracted.",
            {"compute_distances_no_loops": _no_loops_plus}),
]


# Mistakes students make (issue 13), each written the way a student writes it.

def _l1(X_train, X):  # type: ignore[no-untyped-def]
    return np.sum(np.abs(X[:, None, :] - X_train[None, :, :]), axis=2)


def _train_by_test(X_train, X):  # type: ignore[no-untyped-def]
    sq = np.sum(X_train**2, axis=1)[:, None] - 2.0 * X_train @ X.T + np.sum(X**2, axis=1)
    return np.sqrt(np.maximum(sq, 0.0))


def _no_clip(X_train, X):  # type: ignore[no-untyped-def]
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.sum(X**2, axis=1, keepdims=True) - 2.0 * X @ X_train.T + np.sum(X_train**2, axis=1))


def _skip_nearest(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        closest = np.asarray(y_train)[np.argsort(dists[i], kind="stable")[1:k + 1]]
        y_pred[i] = np.bincount(closest).argmax() if closest.size else 0
    return y_pred


def _argmax_of_labels(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.argmax(np.asarray(y_train)[np.argsort(dists[i], kind="stable")[:k]])
    return y_pred


_DISTANCES = ("compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops")

MISTAKES += [
    Mistake("l1_distance", "The distance is L1 (sum of |differences|), not Euclidean",
            "Euclidean distance squares the differences, sums them and takes the square root: "
            "np.sqrt(np.sum((X[i] - X_train[j]) ** 2)); np.sum(np.abs(...)) is the L1 (Manhattan) "
            "distance.", dict.fromkeys(_DISTANCES, _l1)),
    Mistake("distances_transposed", "The distance matrix is (num_train, num_test), transposed",
            "dists[i, j] is test point i against training point j: one row per test point, so "
            "the shape is (num_test, num_train); build it from X (rows) and X_train (columns).",
            dict.fromkeys(_DISTANCES, _train_by_test)),
    Mistake("no_clip_before_sqrt", "A zero distance comes out NaN: no clip before np.sqrt",
            "Rounding makes |x|^2 - 2 x.y + |y|^2 slightly negative when x == y, and np.sqrt of a "
            "negative number is NaN: take np.sqrt(np.maximum(d2, 0)).",
            {"compute_distances_no_loops": _no_clip}),
    Mistake("neighbours_skip_nearest", "The vote skips the nearest point: [1:k+1] instead of [:k]",
            "The test point is not among the training points, so the nearest one counts: take "
            "np.argsort(dists[i])[:k]. Skipping index 0 is for leave-one-out on the training set.",
            {"predict_labels": _skip_nearest}),
    Mistake("vote_argmax_of_labels", "The vote takes argmax of the labels, not of their counts",
            "np.argmax(closest_y) is the position of the largest label among the neighbours; the "
            "vote is the most frequent label: np.bincount(closest_y).argmax().",
            {"predict_labels": _argmax_of_labels}),
]


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
