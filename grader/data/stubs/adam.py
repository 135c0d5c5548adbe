"""Adam: one update step of the adaptive-moment optimizer.

From the course notes (优化器 / 三、Adam 优化器): Adam is "RMSprop +
Momentum". It keeps two moving averages per weight, the first moment ``m``
(the momentum of the gradient) and the second moment ``v`` (its squared
size, as in RMSprop), both starting at 0. Because they start at 0 they are
too small during the first steps, so the notes apply a bias correction
(偏差修正) before using them:

    t  = t + 1                       # the step counter goes up FIRST
    m  = beta1 * m + (1 - beta1) * dw
    mt = m / (1 - beta1**t)          # bias-corrected first moment
    v  = beta2 * v + (1 - beta2) * dw**2
    vt = v / (1 - beta2**t)          # bias-corrected second moment
    next_w = w - learning_rate * mt / (np.sqrt(vt) + epsilon)

The notes' defaults: beta1 = 0.9 (the momentum's beta), beta2 = 0.999 (the
RMSprop beta), epsilon = 1e-8 (a smoothing term added *after* the square
root, so that a zero ``vt`` does not divide by zero).

Conventions the grader compares against (Stanford CS231n, assignment 2,
``optim.py``): ``t`` counts the updates done so far and is incremented
*before* the bias correction uses it, so the very first update uses
``t = 1`` (with ``t = 0`` the correction would divide by zero). The caller
passes the returned ``config`` back into the next call; that is how ``m``,
``v`` and ``t`` carry over from one step to the next.
"""

import numpy as np


def adam(w, dw, config=None):
    """One Adam update of the weights ``w`` given their gradient ``dw``.

    Inputs:
    - w: array of any shape S, the current weights.
    - dw: array of shape S, the gradient of the loss with respect to w.
    - config: dict, or None for all the defaults; missing keys get defaults:
      - learning_rate: float, default 1e-3.
      - beta1: float, decay of the first moment m, default 0.9.
      - beta2: float, decay of the second moment v, default 0.999.
      - epsilon: float, smoothing added after the square root, default 1e-8.
      - m: array of shape S, moving average of dw, default zeros.
      - v: array of shape S, moving average of dw**2, default zeros.
      - t: int, the number of updates done so far, default 0.

    Returns a tuple:
    - next_w: array of shape S, the updated weights.
    - config: the same dict with m, v and t updated (t one larger than before)
      and all the hyper-parameters above present.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    next_w = None
    raise NotImplementedError("adam: write your code here")
    return next_w, config
