"""A convolutional layer, naive forward and backward passes.

From the course notes (卷积层): a filter slides over the image; at each position
the output is the sum of the window times the filter, element by element.
The notes' example: a 4 x 4 image, a 2 x 2 filter ``[[1, -1], [1, -1]]``,
stride 1, so the first output is the first window times the filter::

    feature_map(1,1) = 1*1 + 0*(-1) + 1*1 + 1*(-1) = 1

and the feature map is 3 x 3. Its size, in the notes' formula, is

    (W + 2P - F) / S + 1      (input width W, zero padding P, filter width F, stride S)

here (4 + 0 - 2) / 1 + 1 = 3; with a 3 x 3 filter and padding 1 the size stays 4.
When S does not divide evenly, the division rounds down (the last window
that does not fit is dropped): ``//`` in the code below.

Convention (as in CS231n and every deep-learning library): the filter is
*not* flipped (this is cross-correlation), and padding adds zeros around
the input, never around the output.

Shapes: ``x (N, C, H, W)``: N images of C channels; ``w (F, C, HH, WW)``: F
filters, each as deep as the input; ``b (F,)``: one bias per filter;
``out (N, F, H', W')`` with ``H' = 1 + (H + 2*pad - HH) // stride`` and
``W' = 1 + (W + 2*pad - WW) // stride``.
"""

import numpy as np


def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer, with loops.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, HH, WW) filters.
    - b: (F,) biases.
    - conv_param: {'stride': S, 'pad': P}; P zeros are added on every side of
      each image (``np.pad`` on the H and W axes only).

    Returns a tuple of:
    - out: (N, F, H', W'), out[n, f, i, j] = sum(window * w[f]) + b[f], where
      window = x_padded[n, :, i*S : i*S + HH, j*S : j*S + WW]. Every position
      gets the bias.
    - cache: (x, w, b, conv_param).
    """
    out = None
    raise NotImplementedError("conv_forward_naive: write your code here")
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer, with loops.

    Inputs:
    - dout: (N, F, H', W') upstream gradient.
    - cache: (x, w, b, conv_param) from conv_forward_naive.

    Returns a tuple of:
    - dx: (N, C, H, W) gradient on x. Each window sent dout[n, f, i, j] * w[f]
      back to the positions it covers; overlapping windows add up. Compute it
      on the padded input, then cut the padding off.
    - dw: (F, C, HH, WW), the sum over n, i, j of dout[n, f, i, j] * window.
    - db: (F,), the sum of dout[:, f] over the batch and every position.

    Gradient = upstream gradient x local gradient: the local gradient of
    sum(window * w[f]) + b[f] is w[f] for the window, the window for w[f] and 1 for b[f].
    """
    dx, dw, db = None, None, None
    raise NotImplementedError("conv_backward_naive: write your code here")
    return dx, dw, db
