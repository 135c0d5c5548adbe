"""SGD with momentum: one update step.

From the course notes (优化器 / 二、Momentum 动量梯度下降): momentum keeps a
moving average of past gradients, so the update direction "depends not only
on the current gradient but also on the weighted average of past ones".
Along directions where the gradients agree the steps grow; where they flip
sign the steps shrink: faster convergence, less oscillation. The notes'
picture is a ball rolling downhill that gathers speed. "λ 表示动量参数
momentum; when λ = 0 it is plain SGD; λ is usually 0.9."

The update, with velocity ``v`` starting at 0:

    v      = momentum * v - learning_rate * dw    # the velocity integrates the gradient
    next_w = w + v                                # and the weights follow the velocity

Conventions the grader compares against (Stanford CS231n, assignment 2,
``optim.py``, ``sgd_momentum``): the velocity already holds the learning
rate (not the ``(1 - momentum)`` exponential-average form); the new velocity
is used for the step; ``config`` is returned with ``velocity`` updated and
passed back in by the caller at the next step, as for ``adam``.
"""

import numpy as np


def sgd_momentum(w, dw, config=None):
    """One SGD-with-momentum update of the weights ``w`` given their gradient ``dw``.

    Inputs:
    - w: array of any shape S, the current weights.
    - dw: array of shape S, the gradient of the loss with respect to w.
    - config: dict, or None for all the defaults; missing keys get defaults:
      - learning_rate: float, default 1e-2.
      - momentum: float in [0, 1), default 0.9 (0 gives plain SGD).
      - velocity: array of shape S, default zeros.

    Returns a tuple:
    - next_w: array of shape S, the updated weights.
    - config: the same dict with velocity updated and every key above present.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    next_w = None
    # BEGIN SOLUTION
    v = config["momentum"] * v - config["learning_rate"] * dw  # integrate the gradient
    next_w = w + v  # step along the NEW velocity
    # END SOLUTION
    config["velocity"] = v
    return next_w, config
