"""Instructor-only data of the negative-sampling exercise: hidden cases and known mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.negative_sampling import gradient_check, pair, sigmoid_values

HIDDEN = [
    Case("hidden_many_repeats", 2, pair(4, 3, 12, repeats=True), MatchReference(1e-7), seed=301,
         visibility="hidden", description="twelve negative samples from three words"),
    Case("hidden_large_scores", 1, pair(7, 6, 4, scale=3.0), MatchReference(1e-7), seed=302,
         visibility="hidden", description="large dot products"),
    Case("hidden_sigmoid_extremes", 1, sigmoid_values(True), MatchReference(1e-7), seed=303,
         visibility="hidden", description="sigma at -30 and 30"),
    Case("hidden_gradient_check_repeats", 1, gradient_check(4, 3, 6, repeats=True, count=5),
         GradCheck(), seed=304, visibility="hidden",
         description="numerical gradient check with repeated negative samples"),
]


def _sigmoid(x):  # type: ignore[no-untyped-def]
    return 1.0 / (1.0 + np.exp(-x))


def _loss_and_gradient(v_c, o, outside_vectors, neg, *, neg_sign=-1.0, accumulate=True,  # type: ignore[no-untyped-def]
                       outside_factor=True):
    """The reference with one mistake; ``neg_sign = +1`` scores negatives with sigma(+u_k.v_c)."""
    u_o = outside_vectors[o]
    s_o = _sigmoid(u_o @ v_c)
    u_k = outside_vectors[neg]
    s_k = _sigmoid(neg_sign * (u_k @ v_c))  # sigma(-u_k . v_c) when neg_sign = -1
    loss = float(-np.log(s_o) - np.sum(np.log(s_k)))
    coef = -neg_sign * (1.0 - s_k)  # d/dz of -log sigma(neg_sign z)
    grad_center = (s_o - 1.0) * u_o + coef @ u_k
    grad_outside = np.zeros(outside_vectors.shape)
    grad_outside[o] += (s_o - 1.0) * v_c if outside_factor else -v_c
    rows = np.outer(coef, v_c)
    if accumulate:
        np.add.at(grad_outside, neg, rows)
    else:
        grad_outside[neg] += rows  # a repeated index is added only once
    return loss, grad_center, grad_outside


MISTAKES = [
    Mistake("neg_sign_flipped", "The negative samples use sigma(u_k . v_c) instead of sigma(-u_k . v_c)",
            "A negative sample is a pair whose target is 0 (the notes, 负采样), so its term is "
            "-log sigma(-u_k . v_c), with the minus sign inside the sigmoid; its gradients are "
            "(1 - sigma(-u_k . v_c)) u_k and (1 - sigma(-u_k . v_c)) v_c.",
            {"neg_sampling_loss_and_gradient": partial(_loss_and_gradient, neg_sign=1.0)}),
    Mistake("duplicates_counted_once", "A word drawn twice as a negative sample gets its gradient once",
            "grad[idx] += rows adds a repeated index only once (numpy buffers fancy indexing): loop "
            "over the samples, or use np.add.at(grad_outside_vectors, neg_sample_indices, rows).",
            {"neg_sampling_loss_and_gradient": partial(_loss_and_gradient, accumulate=False)}),
    Mistake("outside_row_missing_sigmoid", "The outside word's gradient row misses its sigmoid factor",
            "The derivative of -log sigma(z) is sigma(z) - 1, so row o of grad_outside_vectors is "
            "(sigma(u_o . v_c) - 1) * v_c, not -v_c.",
            {"neg_sampling_loss_and_gradient": partial(_loss_and_gradient, outside_factor=False)}),
]


# Mistakes students make (issue 13): the reference with one change each.

def _slip(v_c, o, outside_vectors, neg, *, center_neg=True, neg_row_sign=1.0,  # type: ignore[no-untyped-def]
          neg_log_sign=-1.0, overwrite_o=False):
    u_o, u_k = outside_vectors[o], outside_vectors[neg]
    s_o, s_k = _sigmoid(u_o @ v_c), _sigmoid(-(u_k @ v_c))
    loss = float(-np.log(s_o) + neg_log_sign * np.sum(np.log(s_k)))
    grad_center = (s_o - 1.0) * u_o + ((1.0 - s_k) @ u_k if center_neg else 0.0)
    grad_outside = np.zeros(outside_vectors.shape)
    if not overwrite_o:
        grad_outside[o] += (s_o - 1.0) * v_c
    np.add.at(grad_outside, neg, neg_row_sign * np.outer(1.0 - s_k, v_c))
    if overwrite_o:  # assigned after the negatives were added to the same row
        grad_outside[o] = (s_o - 1.0) * v_c
    return loss, grad_center, grad_outside


def _ns(**flags):  # type: ignore[no-untyped-def]
    return {"neg_sampling_loss_and_gradient": partial(_slip, **flags)}


MISTAKES += [
    Mistake("center_grad_missing_negatives", "The centre word's gradient misses the negative samples' term",
            "Every negative sample's -log sigma(-u_k . v_c) depends on v_c too: add "
            "(1 - sigma(-u_k . v_c)) * u_k to grad_center_vec for each k.",
            _ns(center_neg=False)),
    Mistake("negative_grad_sign_flipped", "The negative samples' gradient rows have the wrong sign",
            "d/du_k of -log sigma(-u_k . v_c) is +(1 - sigma(-u_k . v_c)) * v_c: add it to row k "
            "(a negative sample is pushed away from v_c by gradient descent).",
            _ns(neg_row_sign=-1.0)),
    Mistake("negative_log_added", "The negative samples' log term is added to the loss instead of subtracted",
            "The loss is -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c): each log is <= 0, so "
            "both terms are subtracted and the loss is >= 0.",
            _ns(neg_log_sign=1.0)),
    Mistake("outside_row_overwritten", "The outside word's gradient row is overwritten, not accumulated",
            "When the outside word is also drawn as a negative sample its row gets both terms: "
            "grad_outside_vectors[o] += (sigma(u_o . v_c) - 1) * v_c, with +=, not =.",
            _ns(overwrite_o=True)),
]


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES))
