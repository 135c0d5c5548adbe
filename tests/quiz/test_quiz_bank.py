"""The bank itself: its size and languages, every citation found in the notes,
and every answer checked against a value computed here, independently of the
answer key and answer functions (hand values from the notes, other formulas,
numerical derivatives, or the exercises' reference solutions when installed)."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest

from grader.quiz import bank
from grader.quiz.draw import draw, fmt
from grader.quiz.grade import expected, mark
from grader.quiz.models import Question
from tests.quiz.independent import INDEPENDENT

STUDENTS = ["alice", "bob", "张伟", "s2024-017", "x"]


def test_at_least_40_questions_in_several_quizzes(all_questions: list[tuple[str, str]]) -> None:
    assert len(all_questions) >= 40
    assert len(bank.available()) >= 8
    kinds = {bank.load(q).question(x).kind for q, x in all_questions}
    randomized = [x for q, x in all_questions if bank.load(q).question(x).randomized]
    assert kinds == {"single", "multiple", "numeric"} and len(randomized) >= 15


def test_every_question_has_english_and_chinese_text(all_questions: list[tuple[str, str]]) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for quiz, qid in all_questions:
        q = bank.load(quiz).question(qid)
        assert cjk.search(q.text.zh) and not cjk.search(q.text.en), (quiz, qid)
        assert cjk.search(bank.load(quiz).title.zh)


def test_every_key_fits_its_questions() -> None:
    for quiz in bank.available():
        key = bank.load_key(quiz)
        assert key is not None and bank.key_problems(bank.load(quiz), key) == []


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_citation_is_found_in_the_cited_notes(all_questions: list[tuple[str, str]],
                                                    course_notes: Path) -> None:
    for quiz, qid in all_questions:
        q = bank.load(quiz).question(qid)
        key = bank.load_key(quiz)
        assert key is not None
        notes = _squash((course_notes / q.see.file).read_text(encoding="utf-8"))
        assert _squash(q.see.section) in notes, (quiz, qid, "section")
        assert _squash(key.answers[qid].quote) in notes, (quiz, qid, "quote")


# ---- independent answers (tests/quiz/independent.py) and fixed ones ---------------------------

FIXED: dict[str, float] = {
    "ml-basics/predict": 9,  # notes 001 §1.1: f(4) = 9
    "ml-basics/support": 2 / 5,  # notes 001 §1.3.4: support = 2/5
    "activations/neuron-output": 1 / (1 + math.exp(-4)),  # notes 001 §3.1.3: σ(2+2-1+1) = 0.98
    # notes 004: scores 3, 1, -1; loss of the second class
    "losses/softmax-notes": -math.log(math.exp(1) / (math.exp(3) + math.exp(1) + math.exp(-1))),
    "backprop/exp-gate": -0.53 * math.exp(-1),  # notes 002 §6.3: -0.53 * e^(-1) ≈ -0.20
    "backprop/sigmoid-local": 0.73 * (1 - 0.73),  # notes 002 §6.3: 0.2 from 0.73
    "cnn-shapes/conv-notes": 3,  # notes 000: the 4×4 image becomes 3×3
    "cnn-shapes/same-padding": 2,  # notes 000: 5×5 kernel with padding 2 keeps the size
    "cnn-shapes/conv-params-notes": 2800,  # notes 003: 3x3x3x100+100=2800
    "cnn-shapes/pool-params": 0,  # notes 004: 池化层没有需要学习的参数
    "word2vec/num-negatives": 5,  # notes 002: 5个合适
    "optimizers/adam-beta1": 0.9,  # notes 003 §Adam
    "optimizers/adam-beta2": 0.999,  # notes 003 §Adam
}

# The right choices, by their English text (so reordering choices cannot hide a wrong key).
CHOICES: dict[str, set[str]] = {
    "ml-basics/knn-k3": {"triangle"},  # notes 002: 2 triangles vs 1 square
    "ml-basics/knn-family": {"supervised learning"},
    "ml-basics/unsupervised": {"K-Means clustering", "DBSCAN", "Principal component analysis (PCA)"},
    "ml-basics/regression": {"regression"},
    "activations/sigmoid-range": {"(0, 1)"},
    "activations/relu-gradient": {"1"},
    "activations/why-nonlinear": {"Without it, stacked layers compose into one linear map, no better than a "
                                  "single linear classifier"},
    "activations/default-hidden": {"ReLU"},
    "losses/hinge-margin": {"The correct class must beat every other class by a margin, not just barely"},
    "losses/outliers": {"mean absolute error (MAE)"},
    "backprop/max-gate-notes": {"(0, 0.2)"},
    "backprop/grad-shape": {"(3, 4), the same as W"},
    "backprop/update-direction": {"w_new = w_old - learning_rate × gradient"},
    "cnn-shapes/out-channels": {"as many as the filters (kernels)"},
    "rnn-lstm/shared-weights": {"The same W at every time step"},
    "rnn-lstm/forget-zero": {"It is completely discarded"},
    "rnn-lstm/why-lstm": {"Long-range dependencies make the plain RNN's gradients vanish or explode"},
    "rnn-lstm/candidate": {"tanh"},
    "word2vec/skip-gram": {"Skip-gram"},
    "word2vec/dimension": {"50 to 300"},
    "optimizers/sgd": {"stochastic gradient descent (SGD)"},
    "optimizers/minibatch": {"64 to 256, preferably a power of 2"},
    "optimizers/adam-is": {"RMSprop + Momentum"},
    "regularization/larger-lambda": {"Pushes the model towards simpler, smoother weights, "
                                     "against overfitting"},
    "regularization/dropout": {"At each training step, temporarily switches off some randomly chosen hidden "
                               "neurons"},
    "regularization/not-hyper": {"the values in a convolution kernel"},
    "regularization/validation": {"the validation set"},
    # notes 002 §9: the penalty and dropout; "神经元太多，任意过拟合" (too many neurons overfit), and
    # training to zero training loss fits the noise. Data preprocessing (§9.1) is listed there but
    # does not reduce overfitting, so it is no longer a choice (issue 13).
    "regularization/against-overfitting": {"an L2 regularization penalty on the weights", "dropout"},
}


def test_every_question_is_checked_here(all_questions: list[tuple[str, str]]) -> None:
    covered = set(INDEPENDENT) | set(FIXED) | set(CHOICES)
    assert {f"{q}/{x}" for q, x in all_questions} == covered


def _key(quiz: str):  # type: ignore[no-untyped-def]
    key = bank.load_key(quiz)
    assert key is not None
    return key


@pytest.mark.parametrize("name", sorted(CHOICES))
def test_choice_answers(name: str) -> None:
    quiz, qid = name.split("/")
    q = bank.load(quiz).question(qid)
    want = expected(q, _key(quiz).answers[qid], {})
    letters = want if isinstance(want, frozenset) else {want}
    assert {q.choices[q.keys.index(k)].en for k in letters} == CHOICES[name]


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_numeric_answers(name: str) -> None:
    quiz, qid = name.split("/")
    q = bank.load(quiz).question(qid)
    got = expected(q, _key(quiz).answers[qid], {})
    assert isinstance(got, float) and q.tolerance.accepts(FIXED[name], got)
    assert mark(bank.load(quiz), _key(quiz), q, "alice", repr(FIXED[name]), "en").correct


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_randomized_answers_for_several_students(name: str) -> None:
    quiz_id, qid = name.split("/")
    quiz, key = bank.load(quiz_id), _key(quiz_id)
    q = quiz.question(qid)
    for student in STUDENTS:
        params = draw(quiz.id, q, student)
        want = float(INDEPENDENT[name](params))
        got = expected(q, key.answers[qid], params)
        assert got == pytest.approx(want, rel=1e-6, abs=1e-9), (student, params)
        # ... and typing the independent value (as text) is graded correct for that student.
        assert mark(quiz, key, q, student, repr(want), "en").correct, (student, params)


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_randomized_answers_over_the_whole_range(name: str) -> None:
    """Every drawable value of every parameter appears in some variant, and all agree."""
    quiz_id, qid = name.split("/")
    q: Question = bank.load(quiz_id).question(qid)
    fn = bank.answer_functions()[_key(quiz_id).answers[qid].function or ""]
    rng = np.random.default_rng(0)
    for _ in range(60):
        params = {k: float(rng.choice(p.options())) for k, p in q.params.items()}
        assert fn(**params) == pytest.approx(float(INDEPENDENT[name](params)), rel=1e-6, abs=1e-9), params


# ---- twins: the exercises' reference solutions, where installed ----------------------------------

def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.skipif(not _installed("solutions.conv"), reason="conv reference not installed; "
                    "the window-count formula above checks the size instead")
def test_conv_output_size_is_the_shape_the_conv_reference_produces() -> None:
    from solutions.conv import conv_forward_naive  # type: ignore[import-not-found]

    fn = bank.answer_functions()["conv_output_size"]
    q = bank.load("cnn-shapes").question("conv-output")
    for student in STUDENTS:
        p = draw("cnn-shapes", q, student)
        W, F, S, Pd = (int(p[k]) for k in ("W", "F", "S", "P"))
        out, _ = conv_forward_naive(np.zeros((1, 1, W, W)), np.zeros((2, 1, F, F)), np.zeros(2),
                                    {"stride": S, "pad": Pd})
        assert out.shape == (1, 2, fn(**p), fn(**p)), p


@pytest.mark.skipif(not _installed("solutions.max_pool"), reason="max_pool reference not installed")
def test_pool_output_size_is_the_shape_the_max_pool_reference_produces() -> None:
    from solutions.max_pool import max_pool_forward_naive  # type: ignore[import-not-found]

    fn = bank.answer_functions()["pool_output_size"]
    for W, F, S in [(4, 2, 1), (9, 3, 2), (64, 2, 2), (10, 3, 3)]:
        out, _ = max_pool_forward_naive(np.zeros((1, 1, W, W)),
                                        {"pool_height": F, "pool_width": F, "stride": S})
        assert out.shape[-1] == fn(W=W, F=F, S=S)


@pytest.mark.skipif(not _installed("solutions.adam"), reason="adam reference not installed")
def test_adam_first_step_is_what_the_adam_reference_does() -> None:
    from solutions.adam import adam  # type: ignore[import-not-found]

    fn = bank.answer_functions()["adam_first_step"]
    for w, g, lr in [(1.0, 2.0, 1e-3), (-0.5, -3.0, 0.1), (2.0, 0.2, 0.01)]:
        nxt, _ = adam(np.array([w]), np.array([g]), {"learning_rate": lr})
        assert float(nxt[0]) == pytest.approx(fn(w=w, g=g, lr=lr), rel=1e-9)


@pytest.mark.skipif(not _installed("solutions.softmax"), reason="softmax reference not installed")
def test_softmax_first_is_what_the_softmax_reference_gives() -> None:
    from solutions.softmax import softmax  # type: ignore[import-not-found]

    fn = bank.answer_functions()["softmax_first"]
    for s in [(3, 1, -1), (-3, 3, 0), (2, 2, 2)]:
        assert float(softmax(np.array([s], dtype=float))[0, 0]) == pytest.approx(fn(*s), rel=1e-9)


@pytest.mark.skipif(not _installed("solutions.negative_sampling"), reason="negative_sampling not installed")
def test_negative_sampling_loss_is_what_the_reference_gives() -> None:
    from solutions.negative_sampling import neg_sampling_loss_and_gradient  # type: ignore[import-not-found]

    fn = bank.answer_functions()["neg_sampling_loss"]
    for so, s1, s2 in [(1.0, -0.5, 2.0), (3.0, 0.0, -2.0)]:
        # v_c = [1] and one-dimensional outside vectors make each dot product one given score.
        loss, _, _ = neg_sampling_loss_and_gradient(np.array([1.0]), 0, np.array([[so], [s1], [s2]]),
                                                    np.array([1, 2]))
        assert float(loss) == pytest.approx(fn(so=so, s1=s1, s2=s2), rel=1e-9)


def test_the_notes_worked_examples_through_the_answer_functions() -> None:
    fns = bank.answer_functions()
    assert fns["conv_output_size"](W=4, F=2, P=0, S=1) == 3  # notes 000: 4×4 with 2×2 -> 3×3
    assert fns["conv_output_size"](W=4, F=3, P=1, S=1) == 4  # notes 001: n=4, p=1, f=3, s=1 -> 4×4
    assert fns["conv_output_size"](W=5, F=3, P=0, S=1) == 3  # notes 001: 5x5 with 3x3 -> 3x3
    assert fns["pool_output_size"](W=3, F=2, S=1) == 2  # notes 000: (3-2)/1+1=2
    assert fns["conv_params"](k=3, C_in=3, C_out=64) == 3 * 3 * 3 * 64 + 64  # notes 003
    assert fns["conv_macs"](H=224, C_in=3, C_out=64, k=3) == 224 * 224 * 64 * 3 * 3 * 3  # notes 003
    assert fns["fc_params"](n_in=5, n_out=10) == 60  # notes 003: 5x10+10=60
    assert fns["softmax_first"](s1=3, s2=1, s3=-1) == pytest.approx(0.867, abs=1e-3)  # notes 004
    assert fns["sigmoid_derivative"](x=0) == 0.25
    assert fmt(fns["hinge_loss"](sy=3.2, s2=5.1, s3=-1.7)) == "2.9"  # CS231n's cat example: 2.9

