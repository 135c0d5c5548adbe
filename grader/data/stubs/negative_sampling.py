"""word2vec's negative-sampling loss and its gradients (skip-gram).

From the course notes (词向量模型Word2Vec / 负采样): instead of a softmax
over the whole vocabulary, the model answers yes/no questions. For the pair
(center word c, outside word o) that really occurred the answer should be
"yes", for K randomly drawn "negative" words k it should be "no" (the notes:
we know A is followed by B and not by C; A-C is a negative sample with target
0; about 5 of them is a good number). With sigma the sigmoid:

    loss = -log sigma(u_o . v_c) - sum_{k=1..K} log sigma(-u_k . v_c)

``v_c`` is the center word's vector, ``u_o`` the outside word's row of
``outside_vectors`` and ``u_k`` the rows of the negative samples. Note the
minus sign inside the second sigma: a negative sample's score should be low.

Gradients (use sigma'(z) = sigma(z) (1 - sigma(z)) and 1 - sigma(z) = sigma(-z)):

    d loss / d v_c = (sigma(u_o . v_c) - 1) u_o + sum_k (1 - sigma(-u_k . v_c)) u_k
    d loss / d u_o = (sigma(u_o . v_c) - 1) v_c
    d loss / d u_k = (1 - sigma(-u_k . v_c)) v_c      for each negative sample k

Conventions the grader compares against (Stanford CS224n, assignment 2,
``negSamplingLossAndGradient``, with the negative samples passed in):

- shapes: ``center_word_vec (D,)``, ``outside_vectors (V, D)`` one row per
  word of a vocabulary of V words, ``neg_sample_indices (K,)`` integers;
- the same word may be drawn several times as a negative sample: each draw
  is a separate term of the sum, so its loss and its gradient row count
  once per draw (a word drawn twice gets twice the gradient);
- ``grad_outside_vectors (V, D)`` has the rows of words that are neither
  the outside word nor a negative sample equal to zero.
"""

import numpy as np


def sigmoid(x):
    """The logistic function sigma(x) = 1 / (1 + exp(-x)), element-wise.

    Inputs:
    - x: a scalar or an array of any shape.

    Returns s, the same shape as x, with values in (0, 1).
    """
    s = None
    raise NotImplementedError("sigmoid: write your code here")
    return s


def neg_sampling_loss_and_gradient(center_word_vec, outside_word_idx, outside_vectors, neg_sample_indices):
    """Negative-sampling loss for one (center, outside) pair, and its gradients.

    Inputs:
    - center_word_vec: (D,) v_c, the center word's vector.
    - outside_word_idx: int o, the row of outside_vectors of the word that
      really occurred next to the center word.
    - outside_vectors: (V, D) U, one outside vector u_w per vocabulary word.
    - neg_sample_indices: (K,) integer rows of the K negative samples; an
      index may repeat, and then it counts once per occurrence.

    Returns a tuple:
    - loss: float, -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c).
    - grad_center_vec: (D,) d loss / d v_c.
    - grad_outside_vectors: (V, D) d loss / d U; only the rows o and the
      negative samples' rows are non-zero.
    """
    loss = 0.0
    grad_center_vec = np.zeros(center_word_vec.shape)  # (D,)
    grad_outside_vectors = np.zeros(outside_vectors.shape)  # (V, D)
    raise NotImplementedError("neg_sampling_loss_and_gradient: write your code here")
    return loss, grad_center_vec, grad_outside_vectors
