"""Max pooling, naive forward and backward passes.

From the course notes (池化层): pooling shrinks a feature map by keeping one
value per window; max pooling keeps the largest. The notes pool a 3 x 3 map
with a 2 x 2 window and stride 1 into a 2 x 2 map, by the same size formula
as convolution: (3 - 2)/1 + 1 = 2.

Backward, the max gate routes the gradient (notes, 前向和反向传播的特殊运算结构:
max(X, Y) with X < Y sends 0 to X and the whole upstream gradient to Y): in
each window, the position that held the maximum receives dout, the others 0.
When windows overlap (stride < pool size) a position can be the maximum of
several windows and then receives the sum of their gradients.

Tie rule: if a window holds its maximum more than once, the whole gradient
goes to the *first* maximum in row-major order, the one ``np.argmax`` of the
flattened window picks.

Shapes: ``x (N, C, H, W)``; ``out (N, C, H', W')`` with
``H' = 1 + (H - pool_height) // stride`` and ``W' = 1 + (W - pool_width) // stride``.
"""

import numpy as np


def max_pool_forward_naive(x, pool_param):
    """Forward pass of max pooling, with loops.

    Inputs:
    - x: (N, C, H, W) input; each channel is pooled on its own.
    - pool_param: {'pool_height': PH, 'pool_width': PW, 'stride': S}. No padding.

    Returns a tuple of:
    - out: (N, C, H', W'), out[n, c, i, j] = max of x[n, c, i*S : i*S + PH, j*S : j*S + PW].
    - cache: (x, pool_param).
    """
    out = None
    raise NotImplementedError("max_pool_forward_naive: write your code here")
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Backward pass of max pooling, with loops.

    Inputs:
    - dout: (N, C, H', W') upstream gradient.
    - cache: (x, pool_param) from max_pool_forward_naive.

    Returns:
    - dx: (N, C, H, W). For each window, dout[n, c, i, j] is *added* at the
      position of the window's first maximum (np.argmax of the flattened
      window, then np.unravel_index); every other position gets nothing from it.
    """
    dx = None
    raise NotImplementedError("max_pool_backward_naive: write your code here")
    return dx
