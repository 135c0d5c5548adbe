"""The sigmoid_graph, conv and max_pool references against published values.

Expected values come from the course notes, the CS231n lecture notes and the
CS231n assignment 2 notebook, never from the references themselves: graded
cases take their expected outputs from these references, so a wrong
reference would grade everyone wrong.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from grader.engine.compare import rel_error
from grader.suites.conv import NOTES_FILTERS, NOTES_IMAGE
from grader.suites.max_pool import NOTES_MAP
from solutions import conv, max_pool, sigmoid_graph

# ---------------------------------------------------------------- sigmoid_graph


def test_sigmoid_circuit_of_the_notes() -> None:
    # CS231n notes "Backpropagation, Intuitions" (cs231n.github.io/optimization-2/), the sigmoid
    # neuron with w = [2, -3, -3], x = [-1, -2]: the forward gives 0.73 and the local gradient
    # (1 - 0.73) * 0.73 ~= 0.2; the same circuit in the course notes (002, 6.3 复杂实例).
    # To 2 decimals: dw = [-0.20, -0.39, 0.20], dx = [0.39, -0.59].
    f, cache = sigmoid_graph.sigmoid_graph_forward(np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
    assert round(float(f), 2) == 0.73
    dw, dx = sigmoid_graph.sigmoid_graph_backward(1.0, cache)
    np.testing.assert_allclose(dw, [-0.20, -0.39, 0.20], atol=0.005)
    np.testing.assert_allclose(dx, [0.39, -0.59], atol=0.005)
    # The notebook rakeshchada/learning-deep-learning (after the CS231n notes) prints the
    # circuit's gradients to 12 digits: dw0 -0.196611933241, dw1 -0.393223866483,
    # dx0 0.393223866483, dx1 -0.589835799724, dw2 0.196611933241.
    np.testing.assert_allclose(dw, [-0.196611933241, -0.393223866483, 0.196611933241], rtol=1e-10)
    np.testing.assert_allclose(dx, [0.393223866483, -0.589835799724], rtol=1e-10)


def test_sigmoid_circuit_gate_by_gate() -> None:
    # The course notes' walk through the gates (002, 6.3): z = 1, the 1/x gate's local gradient
    # -1/(1 + e^-1)^2 = -0.53, the exp gate multiplies by e^-1 (-0.20), the *-1 gate flips it.
    z = 2 * -1 + -3 * -2 + -3
    after_reciprocal = -1 / (1 + math.exp(-z)) ** 2
    assert round(after_reciprocal, 2) == -0.53
    dz = -(after_reciprocal * math.exp(-z))
    _, cache = sigmoid_graph.sigmoid_graph_forward(np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
    dw, _ = sigmoid_graph.sigmoid_graph_backward(1.0, cache)
    assert float(dw[2]) == pytest.approx(dz, rel=1e-12)  # the bias gets dz * 1


def test_sigmoid_is_stable_without_warnings() -> None:
    x = np.array([-1000.0, -710.0, -30.0, 0.0, 30.0, 710.0, 1000.0])
    # Overflow, 0 * inf and inf / inf are errors; underflow of exp(-1000) to 0 is the right answer.
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        s = sigmoid_graph.sigmoid(x)
    assert s[3] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(s[2], math.exp(-30) / (1 + math.exp(-30)), rtol=1e-12)
    np.testing.assert_allclose(s[4], 1 / (1 + math.exp(-30)), rtol=1e-15)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        f, cache = sigmoid_graph.sigmoid_graph_forward(np.array([-1.0, -800.0]), np.array([1.0]))
        dw, dx = sigmoid_graph.sigmoid_graph_backward(1.0, cache)
    assert f == 0.0 and np.all(dw == 0.0) and np.all(dx == 0.0)


# ---------------------------------------------------------------- conv


def test_conv_forward_naive_of_cs231n() -> None:
    # CS231n assignment 2, ConvolutionalNetworks.ipynb, "Convolution: Naive forward pass" (read in
    # the repository Burton2000/CS231n-2017, assignment2/ConvolutionalNetworks.ipynb); the notebook
    # says the difference should be around 2e-8 (the values are printed to 8 decimals).
    x_shape, w_shape = (2, 3, 4, 4), (3, 3, 4, 4)
    x = np.linspace(-0.1, 0.5, num=int(np.prod(x_shape))).reshape(x_shape)
    w = np.linspace(-0.2, 0.3, num=int(np.prod(w_shape))).reshape(w_shape)
    b = np.linspace(-0.1, 0.2, num=3)
    out, _ = conv.conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})
    correct_out = np.array([[[[-0.08759809, -0.10987781],
                              [-0.18387192, -0.2109216]],
                             [[0.21027089, 0.21661097],
                              [0.22847626, 0.23004637]],
                             [[0.50813986, 0.54309974],
                              [0.64082444, 0.67101435]]],
                            [[[-0.98053589, -1.03143541],
                              [-1.19128892, -1.24695841]],
                             [[0.69108355, 0.66880383],
                              [0.59480972, 0.56776003]],
                             [[2.36270298, 2.36904306],
                              [2.38090835, 2.38247847]]]])
    assert out.shape == correct_out.shape
    assert float(np.max(rel_error(out, correct_out))) < 1e-7


def test_conv_of_the_notes_4x4_example() -> None:
    # Course notes (000, 卷积层): filter 1 on the 4x4 image, stride 1, gives a 3x3 map
    # ((4 - 2)/1 + 1) with feature_map1(1,1) = 1, (1,2) = -1 and (3,3) = 2 (1-based).
    out, _ = conv.conv_forward_naive(NOTES_IMAGE.reshape(1, 1, 4, 4), NOTES_FILTERS.reshape(2, 1, 2, 2),
                                     np.zeros(2), {"stride": 1, "pad": 0})
    assert out.shape == (1, 2, 3, 3)
    assert (out[0, 0, 0, 0], out[0, 0, 0, 1], out[0, 0, 2, 2]) == (1.0, -1.0, 2.0)
    # The notes: filter 1's map is largest in absolute value in the third column (a vertical edge).
    assert np.all(np.abs(out[0, 0, :, 2]) == np.abs(out[0, 0]).max())
    np.testing.assert_array_equal(out[0, 0], NOTES_MAP)  # the map the max_pool suite pools


def test_conv_output_size_formula_of_the_notes() -> None:
    # Course notes (001, 步长和尺寸计算): n = 4, p = 1, f = 3, s = 1 keeps the size 4 x 4;
    # (000): a 3x3 filter with padding 1, or 5x5 with padding 2, keeps the size.
    x = np.ones((1, 1, 4, 4))
    for f, p in ((3, 1), (5, 2)):
        out, _ = conv.conv_forward_naive(x, np.ones((1, 1, f, f)), np.zeros(1), {"stride": 1, "pad": p})
        assert out.shape == (1, 1, 4, 4)
    # (W + 2P - F)/S + 1 with W = 7, P = 1, F = 3, S = 2: 4.
    out, _ = conv.conv_forward_naive(np.ones((1, 1, 7, 7)), np.ones((1, 1, 3, 3)), np.zeros(1),
                                     {"stride": 2, "pad": 1})
    assert out.shape == (1, 1, 4, 4)
    # Zero padding: a corner output of an all-ones image with a 3x3 all-ones filter, pad 1,
    # sees 4 real pixels and 5 zeros.
    assert out[0, 0, 0, 0] == 4.0


# ---------------------------------------------------------------- max_pool


def test_max_pool_forward_naive_of_cs231n() -> None:
    # CS231n assignment 2, ConvolutionalNetworks.ipynb, "Max pooling: Naive forward" (read in the
    # repository Burton2000/CS231n-2017, assignment2/ConvolutionalNetworks.ipynb): the difference
    # should be around 1e-8 (values printed to 8 decimals).
    x_shape = (2, 3, 4, 4)
    x = np.linspace(-0.3, 0.4, num=int(np.prod(x_shape))).reshape(x_shape)
    out, _ = max_pool.max_pool_forward_naive(x, {"pool_width": 2, "pool_height": 2, "stride": 2})
    correct_out = np.array([[[[-0.26315789, -0.24842105],
                              [-0.20421053, -0.18947368]],
                             [[-0.14526316, -0.13052632],
                              [-0.08631579, -0.07157895]],
                             [[-0.02736842, -0.01263158],
                              [0.03157895, 0.04631579]]],
                            [[[0.09052632, 0.10526316],
                              [0.14947368, 0.16421053]],
                             [[0.20842105, 0.22315789],
                              [0.26736842, 0.28210526]],
                             [[0.32631579, 0.34105263],
                              [0.38526316, 0.4]]]])
    assert out.shape == correct_out.shape
    assert float(np.max(rel_error(out, correct_out))) < 1e-7


def test_max_pool_of_the_notes_example() -> None:
    # Course notes (000, 池化层): a 3x3 map, 2x2 max pooling with stride 1: (3 - 2)/1 + 1 = 2.
    out, _ = max_pool.max_pool_forward_naive(NOTES_MAP.reshape(1, 1, 3, 3),
                                             {"pool_height": 2, "pool_width": 2, "stride": 1})
    np.testing.assert_array_equal(out[0, 0], [[1.0, 2.0], [0.0, 2.0]])


def test_max_pool_routes_the_gradient_like_the_notes_max_gate() -> None:
    # Course notes (002, 7): max(X, Y) with X < Y sends 0 to X and the upstream 0.2 to Y.
    _, cache = max_pool.max_pool_forward_naive(np.array([[[[1.0, 3.0]]]]),
                                               {"pool_height": 1, "pool_width": 2, "stride": 1})
    dx = max_pool.max_pool_backward_naive(np.array([[[[0.2]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 0.2]]]])
    # Ties: the whole gradient to the first maximum in row-major order (DESIGN.md §2).
    _, cache = max_pool.max_pool_forward_naive(np.array([[[[2.0, 5.0], [5.0, 5.0]]]]),
                                               {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = max_pool.max_pool_backward_naive(np.array([[[[1.5]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 1.5], [0.0, 0.0]]]])
