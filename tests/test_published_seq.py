"""The lstm_cell, negative_sampling and adam references against published values.

Expected values are the ones the public assignments print for students to
compare against (CS231n assignments 2 and 3, CS224n assignment 2), never
values computed by the references: graded cases take their expected outputs
from these references, so a wrong reference would grade everyone wrong.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from grader.engine.compare import rel_error
from solutions import adam, lstm_cell, negative_sampling

# ------------------------------------------------------------------- lstm_cell


def test_lstm_step_forward_cs231n() -> None:
    # CS231n assignment 3, LSTM_Captioning.ipynb, "LSTM: step forward" (read in AKSoo/CS231n-2017,
    # assignment3/LSTM_Captioning.ipynb); the notebook says "errors around 1e-8 or less".
    n, d, h = 3, 4, 5
    x = np.linspace(-0.4, 1.2, num=n * d).reshape(n, d)
    prev_h = np.linspace(-0.3, 0.7, num=n * h).reshape(n, h)
    prev_c = np.linspace(-0.4, 0.9, num=n * h).reshape(n, h)
    wx = np.linspace(-2.1, 1.3, num=4 * d * h).reshape(d, 4 * h)
    wh = np.linspace(-0.7, 2.2, num=4 * h * h).reshape(h, 4 * h)
    b = np.linspace(0.3, 0.7, num=4 * h)
    next_h, next_c, _ = lstm_cell.lstm_step_forward(x, prev_h, prev_c, wx, wh, b)
    expected_next_h = np.asarray([
        [0.24635157, 0.28610883, 0.32240467, 0.35525807, 0.38474904],
        [0.49223563, 0.55611431, 0.61507696, 0.66844003, 0.7159181],
        [0.56735664, 0.66310127, 0.74419266, 0.80889665, 0.858299]])
    expected_next_c = np.asarray([
        [0.32986176, 0.39145139, 0.451556, 0.51014116, 0.56717407],
        [0.66382255, 0.76674007, 0.87195994, 0.97902709, 1.08751345],
        [0.74192008, 0.90592151, 1.07717006, 1.25120233, 1.42395676]])
    assert rel_error(next_h, expected_next_h).max() < 1e-8
    assert rel_error(next_c, expected_next_c).max() < 1e-8


# ------------------------------------------------------------------------ adam


def test_adam_cs231n() -> None:
    # CS231n assignment 2, FullyConnectedNets.ipynb, the Adam check ("errors around e-7 or less"),
    # read as reproduced verbatim in TylerYep/edutorch, tests/optim/adam_test.py.
    n, d = 4, 5
    w = np.linspace(-0.4, 0.6, num=n * d).reshape(n, d)
    dw = np.linspace(-0.6, 0.4, num=n * d).reshape(n, d)
    m = np.linspace(0.6, 0.9, num=n * d).reshape(n, d)
    v = np.linspace(0.7, 0.5, num=n * d).reshape(n, d)
    next_w, config = adam.adam(w, dw, {"learning_rate": 1e-2, "m": m, "v": v, "t": 5})
    expected_next_w = np.asarray([
        [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
        [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
        [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
        [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459]])
    expected_v = np.asarray([
        [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
        [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
        [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
        [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966]])
    expected_m = np.asarray([
        [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
        [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
        [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
        [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85]])
    # "around e-7": the published values have 8 decimals, so next_w's smallest entry (0.0197)
    # carries a rounding error of 1.1e-7 relative
    assert rel_error(next_w, expected_next_w).max() < 5e-7
    assert rel_error(config["v"], expected_v).max() < 1e-7
    assert rel_error(config["m"], expected_m).max() < 1e-7
    assert config["t"] == 6  # t = 5 was incremented before use: the published values need t = 6


# ----------------------------------------------------------- negative_sampling
# CS224n assignment 2's sanity check: test_word2vec() in a2/word2vec.py (2019 edition, read in
# 1999ADEK/CS224n-2019, a2/word2vec.py) prints the first expected result below; later editions
# assert it and two more in grad_tests_negsamp (read in Banana-zero/cs224n-2021-winter,
# a2/utils/gradcheck.py). The negative samples come from Python's `random`, seeded 31415, after
# the two gradient checks have each run word2vec_sgd_wrapper once (gradcheck_naive restores the
# random state before every evaluation), so the draws are replayed here in the same order.


Sampler = Callable[[int], list[int]]


def _dummy_sampler() -> tuple[np.ndarray, dict[str, int], Sampler]:
    # random.seed(31415) and np.random.seed(9265) in CS224n; own generators here, same streams
    rand = random.Random(31415)
    raw = np.random.RandomState(9265).randn(10, 3)
    vectors = raw / np.sqrt(np.sum(raw**2, axis=1, keepdims=True))  # normalizeRows
    tokens = {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}

    def negatives(outside: int, k: int = 10) -> list[int]:  # CS224n's getNegativeSamples
        out = []
        for _ in range(k):
            idx = rand.randint(0, 4)
            while idx == outside:
                idx = rand.randint(0, 4)
            out.append(idx)
        return out

    for with_negatives in (False, True):  # the random draws of the two gradient checks
        for _ in range(50):
            window = rand.randint(1, 5)
            rand.randint(0, 4)  # center word
            context = [rand.randint(0, 4) for _ in range(2 * window)]
            if with_negatives:
                for outside in context:
                    negatives(outside)
    return vectors, tokens, negatives


def _skipgram(center: str, outside_words: list[str], vectors: np.ndarray, tokens: dict[str, int],
              negatives: Sampler) -> tuple[float, np.ndarray, np.ndarray]:
    loss, grad_center, grad_outside = 0.0, np.zeros((5, 3)), np.zeros((5, 3))
    c = tokens[center]
    for word in outside_words:
        o = tokens[word]
        one_loss, one_center, one_outside = negative_sampling.neg_sampling_loss_and_gradient(
            vectors[c], o, vectors[5:], np.array(negatives(o)))
        loss += one_loss
        grad_center[c] += one_center
        grad_outside += one_outside
    return loss, grad_center, grad_outside


def test_negative_sampling_cs224n_sanity_check() -> None:
    vectors, tokens, negatives = _dummy_sampler()
    loss, grad_center, grad_outside = _skipgram("c", ["a", "b"], vectors, tokens, negatives)
    assert np.allclose(loss, 16.15119285363322)
    expected_center = np.zeros((5, 3))
    expected_center[2] = [-4.54650789, -1.85942252, 0.76397441]
    assert np.allclose(grad_center, expected_center)
    assert np.allclose(grad_outside, [[-0.69148188, 0.31730185, 2.41364029],
                                      [-0.22716495, 0.10423969, 0.79292674],
                                      [-0.45528438, 0.20891737, 1.58918512],
                                      [-0.31602611, 0.14501561, 1.10309954],
                                      [-0.80620296, 0.36994417, 2.81407799]])
    # grad_tests_negsamp, second and third tests (the same random stream, continued)
    loss, grad_center, grad_outside = _skipgram("c", ["a", "b", "c", "a"], vectors, tokens, negatives)
    assert np.allclose(loss, 28.653567707668795)
    assert np.allclose(grad_center[2], [-6.42994865, -2.16396482, -1.89240934])
    assert np.allclose(grad_outside, [[-0.80413277, 0.36899421, 2.80685192],
                                      [-0.9277269, 0.42570813, 3.23826131],
                                      [-0.7511534, 0.34468345, 2.62192569],
                                      [-0.94807832, 0.43504684, 3.30929863],
                                      [-1.12868414, 0.51792184, 3.93970919]])
    loss, grad_center, grad_outside = _skipgram("a", ["a", "b", "e", "d", "b", "c"], vectors, tokens,
                                                negatives)
    assert np.allclose(loss, 60.648705494891914)
    assert np.allclose(grad_center[0], [-17.89425315, -7.36940626, -1.23364121])
    assert np.allclose(grad_outside, [[-6.4780819, -0.14616449, 1.69074639],
                                      [-0.86337952, -0.01948037, 0.22533766],
                                      [-9.59525734, -0.21649709, 2.5043133],
                                      [-6.02261515, -0.13588783, 1.57187189],
                                      [-9.69010072, -0.21863704, 2.52906694]])


def test_sigmoid_values() -> None:
    # sigma(0) = 1/2 and sigma(x) + sigma(-x) = 1, by definition
    x = np.linspace(-5, 5, 11)
    assert negative_sampling.sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_allclose(negative_sampling.sigmoid(x) + negative_sampling.sigmoid(-x), 1.0)
