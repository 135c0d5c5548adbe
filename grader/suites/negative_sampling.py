"""Public cases of the negative-sampling (word2vec) exercise."""

from __future__ import annotations

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.gradcheck import probes
from grader.engine.suite import Build, Call, Case, Exercise

FUNCTIONS = ("sigmoid", "neg_sampling_loss_and_gradient")

FUNC = "neg_sampling_loss_and_gradient"
RETURNS = ("loss", "grad_center_vec", "grad_outside_vectors")


def pair_args(rng: np.random.Generator, vocab: int, dim: int, k: int, repeats: bool = False,
              scale: float = 1.0) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """(center vector, outside index, outside vectors, negative indices).

    The negatives never include the outside word (as CS224n's sampler) and, with
    ``repeats``, hold at least one index twice.
    """
    center = scale * rng.standard_normal(dim)
    outside = scale * rng.standard_normal((vocab, dim))
    o = int(rng.integers(vocab))
    others = np.array([w for w in range(vocab) if w != o])
    if repeats:
        neg = rng.choice(others, size=k, replace=True)
        neg[rng.permutation(k)[:2]] = neg[0]  # make sure one word is drawn at least twice
    else:
        neg = rng.choice(others, size=k, replace=False)
    return center, o, outside, neg.astype(np.int64)


def pair(vocab: int, dim: int, k: int, repeats: bool = False, scale: float = 1.0) -> Build:
    """One call on a random pair (see ``pair_args``)."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = pair_args(rng, vocab, dim, k, repeats, scale)
        return [Call(FUNC, args, returns=RETURNS)]
    return build


def gradient_check(vocab: int, dim: int, k: int, repeats: bool = False, count: int = 6) -> Build:
    """The student's gradients against centred differences of the student's own loss."""
    def build(rng: np.random.Generator) -> list[Call]:
        args = pair_args(rng, vocab, dim, k, repeats)
        calls = [Call(FUNC, args, returns=RETURNS)]
        f_only = ("f", None, None)
        calls += probes(FUNC, args, 0, "grad_center_vec", rng, count, returns=f_only)
        calls += probes(FUNC, args, 2, "grad_outside_vectors", rng, count, returns=f_only)
        return calls
    return build


def outside_sampled(rng: np.random.Generator) -> list[Call]:
    """The outside word also drawn (twice) as a negative sample.

    A sampler that does not exclude it can do that: its gradient row gets the positive term
    and both negative ones.
    """
    center, o, outside, neg = pair_args(rng, 6, 4, 5)
    neg[[1, 3]] = o
    return [Call(FUNC, (center, o, outside, neg), returns=RETURNS)]


def sigmoid_values(extreme: bool) -> Build:
    """``sigmoid`` on values in [-6, 6], including 0 (and, if ``extreme``, -30 and 30)."""
    def build(rng: np.random.Generator) -> list[Call]:
        x = rng.uniform(-6, 6, (3, 4))
        x[0, 0] = 0.0  # sigma(0) = 0.5
        if extreme:
            x[1, :2] = (-30.0, 30.0)
        return [Call("sigmoid", (x,), single=True, returns=("s",))]
    return build


PUBLIC = [
    Case("sigmoid", 1, sigmoid_values(False), MatchReference(1e-7), seed=1,
         description="sigma(x) element-wise on a (3, 4) array, sigma(0) = 0.5"),
    Case("k1", 2, pair(4, 3, 1), MatchReference(1e-7), seed=2,
         description="one negative sample: loss and both gradients"),
    Case("k5", 2, pair(9, 5, 5), MatchReference(1e-7), seed=3,
         description="five different negative samples"),
    Case("repeated_negatives", 2, pair(6, 4, 6, repeats=True), MatchReference(1e-7), seed=4,
         description="a word drawn twice as a negative sample counts twice"),
    Case("outside_and_zero_rows", 2, pair(10, 4, 2), MatchReference(1e-7, ("grad_outside_vectors",)),
         seed=5, description="the outside word's gradient row, and the rows that must stay zero"),
    Case("outside_also_negative", 1, outside_sampled, MatchReference(1e-7), seed=7,
         description="the outside word drawn twice as a negative sample: its row adds all three terms"),
    Case("gradient_check", 2, gradient_check(5, 4, 4), GradCheck(), seed=6,
         description="both gradients against the numerical gradient of your own loss"),
]

EXERCISE = Exercise(
    id="negative_sampling",
    title="word2vec negative sampling",
    teaches="the skip-gram negative-sampling loss, its gradients for the center and outside vectors, "
            "repeated negative samples that accumulate",
    functions=FUNCTIONS,
    public=tuple(PUBLIC),
)
