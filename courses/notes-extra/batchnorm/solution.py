"""Batch normalisation in training mode, with running averages: forward and backward.

The course notes name the BN layer (批标准化, "基于参数标准化设计了 BN 层":
networks train faster and their hyper-parameters matter less). In training
mode it normalises every feature over the minibatch, then lets the network
scale and shift it back with learnable ``gamma`` and ``beta``:

    mu   = x.mean(axis=0)                     # (D,)
    var  = x.var(axis=0)                      # (D,) biased: divides by N
    xhat = (x - mu) / sqrt(var + eps)         # (N, D)
    out  = gamma * xhat + beta                # (N, D)

It also keeps exponential running averages of ``mu`` and ``var`` for test
time, where the batch statistics are replaced by them:

    running_mean = momentum * running_mean + (1 - momentum) * mu
    running_var  = momentum * running_var  + (1 - momentum) * var
    out (test)   = gamma * (x - running_mean) / sqrt(running_var + eps) + beta

Backward (the compact form of the computational graph):

    dbeta  = dout.sum(axis=0)      dgamma = (dout * xhat).sum(axis=0)
    dxhat  = dout * gamma
    dx     = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / sqrt(var + eps)

Conventions the grader compares against (Stanford CS231n, assignment 2,
``batchnorm_forward``): ``eps`` default 1e-5, ``momentum`` default 0.9,
running averages start at zeros and are stored back in ``bn_param``; the
variance is the biased one (``np.var``, divides by N). Unlike CS231n, the
updated running averages are also returned, so that they can be graded.

Shapes: N examples, D features. ``x, out, dout, dx (N, D)``;
``gamma, beta, dgamma, dbeta, running_mean, running_var (D,)``.
"""

import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalisation.

    Inputs:
    - x: (N, D) data; gamma: (D,) scale; beta: (D,) shift.
    - bn_param: dict with
      - mode: "train" (batch statistics) or "test" (running averages).
      - eps: float, default 1e-5; momentum: float, default 0.9.
      - running_mean, running_var: (D,), default zeros.

    Returns a tuple:
    - out: (N, D).
    - running_mean, running_var: (D,), updated in training mode (and stored in bn_param).
    - cache: what the backward pass needs; the reference stores
      (xhat, gamma, std) in training mode, None in test mode.
    """
    mode = bn_param["mode"]
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    out, cache = None, None
    if mode == "train":
        # BEGIN SOLUTION
        mu = x.mean(axis=0)  # (D,)
        var = x.var(axis=0)  # (D,) biased, as in the paper
        std = np.sqrt(var + eps)
        xhat = (x - mu) / std  # (N, D)
        out = gamma * xhat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        cache = (xhat, gamma, std)
        # END SOLUTION
    else:
        # BEGIN SOLUTION
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        # END SOLUTION
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, running_mean, running_var, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalisation (training mode).

    Inputs:
    - dout: (N, D) upstream gradient.
    - cache: from batchnorm_forward in training mode.

    Returns a tuple:
    - dx: (N, D), dgamma: (D,), dbeta: (D,).
    """
    dx, dgamma, dbeta = None, None, None
    # BEGIN SOLUTION
    xhat, gamma, std = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma  # (N, D)
    # through xhat directly, through the mean, and through the variance:
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    # END SOLUTION
    return dx, dgamma, dbeta
