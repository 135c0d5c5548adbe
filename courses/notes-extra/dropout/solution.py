"""Inverted dropout: forward and backward.

The course notes fight overfitting with a penalty on the weights (正则化惩罚项:
"防止模型过拟合训练数据"); dropout is the other everyday regulariser. During
training every activation is kept with probability ``p`` and zeroed
otherwise, so the network cannot rely on any single unit; at test time
nothing is dropped.

*Inverted* dropout divides the kept activations by ``p`` during training, so
the expected value of every output equals its input and the test-time pass
is the identity (no rescaling at test time):

    mask = (rng.random(x.shape) < p) / p      # train: kept units scaled by 1/p
    out  = x * mask                           # train
    out  = x                                  # test

The mask must be reproducible, so the function draws it from the seed it is
given, exactly as above with ``rng = np.random.default_rng(dropout_param["seed"])``.
The backward pass lets the upstream gradient through the same mask:
``dx = dout * mask`` in training, ``dx = dout`` at test time.

Conventions the grader compares against (Stanford CS231n, assignment 2,
``dropout_forward``): ``p`` is the probability of KEEPING a unit (not of
dropping it); ``cache = (dropout_param, mask)``, with ``mask`` None in test mode.

Shapes: ``x`` has any shape S; ``out``, ``mask``, ``dout``, ``dx`` have shape S.
"""

import numpy as np


def dropout_forward(x, dropout_param):
    """Forward pass of inverted dropout.

    Inputs:
    - x: array of any shape S.
    - dropout_param: dict with
      - p: float in (0, 1], the probability of keeping each unit.
      - mode: "train" (drop and rescale) or "test" (identity).
      - seed: int, the seed of the mask: rng = np.random.default_rng(seed),
        mask = (rng.random(x.shape) < p) / p.

    Returns a tuple:
    - out: array of shape S, x * mask in training, x at test time.
    - cache: (dropout_param, mask); mask is None in test mode.
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    mask = None
    out = None
    # BEGIN SOLUTION
    if mode == "train":
        rng = np.random.default_rng(dropout_param["seed"])
        mask = (rng.random(x.shape) < p) / p  # kept units scaled by 1/p: E[out] = x
        out = x * mask
    else:
        out = x.copy()  # test time: nothing is dropped, nothing rescaled
    # END SOLUTION
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Inputs:
    - dout: array of shape S, upstream gradient of the loss with respect to out.
    - cache: (dropout_param, mask) from dropout_forward.

    Returns:
    - dx: array of shape S: dout * mask in training, dout at test time.
    """
    dropout_param, mask = cache
    dx = None
    # BEGIN SOLUTION
    # training: the same units are dropped and scaled on the way back
    dx = dout * mask if dropout_param["mode"] == "train" else dout.copy()
    # END SOLUTION
    return dx
