"""Public cases of the KNN exercise."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import Agree, All, MatchReference
from grader.engine.suite import Call, Case, Exercise

DIST_ATOL = 1e-5  # a distance of exactly 0 may come out as sqrt(rounding error) ~ 1e-7
DIST = MatchReference(1e-7, atol=DIST_ATOL)
FUNCTIONS = ("compute_distances_two_loops", "compute_distances_one_loop",
             "compute_distances_no_loops", "predict_labels")


def dist_calls(func: str, n_train: int, n_test: int, dim: int):  # type: ignore[no-untyped-def]
    """One call of the distance function ``func`` on random training and test points."""
    def build(rng: np.random.Generator) -> list[Call]:
        X_train = rng.standard_normal((n_train, dim))
        X = rng.standard_normal((n_test, dim))
        return [Call(func, (X_train, X), single=True, returns=("dists",))]
    return build


def agree_build(rng: np.random.Generator) -> list[Call]:
    """The three distance implementations on the same points, to agree with each other."""
    X_train, X = rng.standard_normal((12, 5)), rng.standard_normal((4, 5))
    return [Call(f, (X_train, X), single=True, returns=("dists",),
                 label=f.split("_")[-2])
            for f in FUNCTIONS[:3]]


def vote_build(k: int, n_train: int, classes: int):  # type: ignore[no-untyped-def]
    """``predict_labels`` with ``k`` on random distances and labels."""
    def build(rng: np.random.Generator) -> list[Call]:
        dists = rng.random((6, n_train))
        y_train = rng.integers(0, classes, n_train)
        return [Call("predict_labels", (dists, y_train), {"k": k}, single=True, returns=("y_pred",))]
    return build


def notes_vote(rng: np.random.Generator) -> list[Call]:
    """The notes' picture: k=3 votes one way, k=5 the other."""
    # The notes' picture: 2 triangles (label 0) and 1 square (label 1) within k=3,
    # three squares among the 5 nearest. Distances are ours; the votes are the notes'.
    dists = np.array([[0.5, 0.7, 0.6, 1.1, 1.2, 3.0]])
    y_train = np.array([0, 0, 1, 1, 1, 0])
    return [Call("predict_labels", (dists, y_train), {"k": 3}, single=True, returns=("k3",), label="a"),
            Call("predict_labels", (dists, y_train), {"k": 5}, single=True, returns=("k5",), label="b")]


PUBLIC = [
    Case("two_loops", 2, dist_calls("compute_distances_two_loops", 10, 4, 3), DIST, seed=1,
         description="distances with two loops, 4 test x 10 train points in 3-D"),
    Case("one_loop", 2, dist_calls("compute_distances_one_loop", 10, 4, 3), DIST, seed=2,
         description="distances with one loop"),
    Case("no_loops", 2, dist_calls("compute_distances_no_loops", 30, 7, 8), DIST, seed=3,
         description="fully vectorized distances"),
    Case("versions_agree", 1, agree_build,
         All((Agree((("two.dists", "one.dists"), ("two.dists", "no.dists")), atol=DIST_ATOL),
             DIST)),
         seed=4, description="the three distance functions give the same matrix"),
    Case("vote_k1", 1, vote_build(1, 10, 3), MatchReference(0), seed=5, description="k=1: the nearest label"),
    Case("vote_notes_k3_k5", 2, notes_vote, MatchReference(0),
         description="the notes' example: k=3 votes triangle, k=5 votes square"),
    Case("vote_k5", 2, vote_build(5, 20, 4), MatchReference(0), seed=6, description="k=5 majority votes"),
]

EXERCISE = Exercise(
    id="knn",
    title="K-nearest neighbours",
    teaches="Euclidean distance matrices with two, one and no loops; the k-NN vote and its tie rule",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
