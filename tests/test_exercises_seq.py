"""lstm_cell, negative_sampling and adam graded end to end in the real sandbox.

The reference passes every case, the committed stub fails every case as "not
implemented", every known mistake is named on the public case meant to
teach it, and the references' gradients agree with numerical gradients
computed here (both LSTM outputs at once, which the suite splits in two).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_case, grade_exercise
from grader.engine.stubs import strip_solutions
from grader.models import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.reader import read_source
from grader.submission.source import Source
from solutions import adam, lstm_cell, negative_sampling
from tests.support.helpers import ROOT, mistake_source, reference_text, with_functions

EXERCISES = ("lstm_cell", "negative_sampling", "adam")

# The public case on which each known mistake must be named (what a student sees).
NAMED_ON = {
    ("lstm_cell", "gate_order_ifgo"): "forward_batch",
    ("lstm_cell", "output_gate_tanh"): "forward_single",
    ("lstm_cell", "next_h_uses_prev_c"): "forward_zero_state",
    ("lstm_cell", "forget_grad_missing"): "gate_gradients",
    ("negative_sampling", "neg_sign_flipped"): "k1",
    ("negative_sampling", "duplicates_counted_once"): "repeated_negatives",
    ("negative_sampling", "outside_row_missing_sigmoid"): "outside_and_zero_rows",
    ("adam", "t_after_use"): "cs231n_check",
    ("adam", "no_bias_correction"): "single_step_defaults",
    ("adam", "eps_inside_sqrt"): "custom_hyperparameters",
    ("adam", "betas_swapped"): "config_m_v_t",
    # issue 13: mistakes students make
    ("lstm_cell", "cell_grad_missing_h_path"): "backward_batch",
    ("lstm_cell", "tanh_derivative_of_input"): "backward_batch",
    ("lstm_cell", "sigmoid_derivative_twice"): "gate_gradients",
    ("lstm_cell", "dprev_c_missing_f"): "backward_batch",
    ("lstm_cell", "gate_order_fiog"): "forward_batch",
    ("negative_sampling", "center_grad_missing_negatives"): "k5",
    ("negative_sampling", "negative_grad_sign_flipped"): "k5",
    ("negative_sampling", "negative_log_added"): "k1",
    ("negative_sampling", "outside_row_overwritten"): "outside_also_negative",
    ("adam", "moments_not_stored"): "config_m_v_t",
    ("adam", "corrected_moments_stored"): "config_m_v_t",
    ("adam", "sqrt_missing"): "single_step_defaults",
    ("adam", "t_not_stored"): "several_steps",
}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_passes_every_case(sandbox: Sandbox, exercise: str) -> None:
    source = read_source(ROOT / "solutions", exercise)
    result = grade_exercise(registry.load(exercise), source, sandbox)
    assert [(c.name, c.message) for c in result.cases if not c.passed] == []
    assert result.cases and sum(c.points for c in result.cases) == registry.load(exercise).points


@pytest.mark.parametrize("exercise", EXERCISES)
def test_stub_is_not_implemented_everywhere(sandbox: Sandbox, exercise: str) -> None:
    stub = (ROOT / "exercises" / f"{exercise}.py").read_text(encoding="utf-8")
    assert stub == strip_solutions(reference_text(exercise))
    result = grade_exercise(registry.load(exercise), Source(exercise, stub, f"{exercise}.py"), sandbox)
    assert {c.verdict for c in result.cases} == {Verdict.NOT_IMPLEMENTED}


def test_every_mistake_has_its_public_case() -> None:
    listed = {(e, m.id) for e in EXERCISES for m in registry.load(e).mistakes}
    assert listed == set(NAMED_ON)


@pytest.mark.parametrize(("exercise", "mistake_id"), sorted(NAMED_ON))
def test_mistake_named_on_public_case(sandbox: Sandbox, exercise: str, mistake_id: str) -> None:
    ex = registry.load(exercise)
    mistake = next(m for m in ex.mistakes if m.id == mistake_id)
    case = next(c for c in ex.public if c.name == NAMED_ON[(exercise, mistake_id)])
    source = Source(exercise, mistake_source(exercise, mistake), f"{exercise}.py")
    result = grade_case(ex, case, source, sandbox, Options())
    assert not result.passed
    assert result.mistake is not None and result.mistake.id == mistake_id, result.message
    assert result.detail is not None  # public: where it went wrong, expected vs got


def test_forget_gate_named_in_the_message(sandbox: Sandbox) -> None:
    ex = registry.load("lstm_cell")
    mistake = next(m for m in ex.mistakes if m.id == "forget_grad_missing")
    case = next(c for c in ex.public if c.name == "gate_gradients")
    result = grade_case(ex, case, Source("lstm_cell", mistake_source("lstm_cell", mistake),
                                         "lstm_cell.py"), sandbox, Options())
    assert "forget gate f" in result.message and result.message.startswith("db[..., 2:4]")


def test_adam_in_place_updates_are_fine(sandbox: Sandbox) -> None:
    # CS231n's own sgd updates w in place; an Adam that does the same (and mutates config's
    # arrays) is correct, and the chained cases must not mistake it for a wrong one.
    in_place = '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)), ("t", 0)):
        config.setdefault(key, value)
    config["t"] += 1
    t, b1, b2 = config["t"], config["beta1"], config["beta2"]
    config["m"] *= b1
    config["m"] += (1 - b1) * dw
    config["v"] *= b2
    config["v"] += (1 - b2) * dw * dw
    w -= config["learning_rate"] * (config["m"] / (1 - b1**t)) / (
        np.sqrt(config["v"] / (1 - b2**t)) + config["epsilon"])
    return w, config
'''
    result = grade_exercise(registry.load("adam"), Source("adam", with_functions("adam", in_place),
                                                          "adam.py"), sandbox)
    assert [(c.name, c.message) for c in result.cases if not c.passed] == []


def test_adam_bad_return_is_a_result(sandbox: Sandbox) -> None:
    source = with_functions("adam", "def adam(w, dw, config=None):\n    return w\n")
    result = grade_exercise(registry.load("adam"), Source("adam", source, "adam.py"), sandbox)
    assert all(not c.passed for c in result.cases)
    assert {c.verdict for c in result.cases} <= {Verdict.INVALID_OUTPUT, Verdict.EXCEPTION}


# ------------------------------------------------- numerical gradients, computed here


def numeric_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Centred differences of f() with respect to every element of x (changed in place)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        old = x[index]
        x[index] = old + h
        plus = f()
        x[index] = old - h
        minus = f()
        x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def test_lstm_backward_matches_numerical_gradient() -> None:
    rng = np.random.default_rng(7)
    n, d, h = 2, 3, 4
    inputs = [rng.standard_normal(s) for s in ((n, d), (n, h), (n, h), (d, 4 * h), (h, 4 * h), (4 * h,))]
    dnext_h, dnext_c = rng.standard_normal((n, h)), rng.standard_normal((n, h))

    def f() -> float:  # both outputs at once: the loss sum(next_h dnext_h) + sum(next_c dnext_c)
        next_h, next_c, _ = lstm_cell.lstm_step_forward(*inputs)
        return float(np.sum(next_h * dnext_h) + np.sum(next_c * dnext_c))

    _, _, cache = lstm_cell.lstm_step_forward(*inputs)
    analytic = lstm_cell.lstm_step_backward(dnext_h, dnext_c, cache)
    for x, grad in zip(inputs, analytic, strict=True):
        assert grad.shape == x.shape
        np.testing.assert_allclose(grad, numeric_gradient(f, x), rtol=1e-5, atol=1e-8)


def test_lstm_forward_mistakes_are_consistent_pairs() -> None:
    # A forward mistake's backward is the true gradient of that wrong forward, as a student's
    # would be after passing the gradient check; otherwise diagnosis would match nobody.
    rng = np.random.default_rng(8)
    inputs = [rng.standard_normal(s) for s in ((2, 3), (2, 2), (2, 2), (3, 8), (2, 8), (8,))]
    dnext_h, dnext_c = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    for mistake in registry.load("lstm_cell").mistakes:
        if "lstm_step_forward" not in mistake.functions:
            continue  # a backward-only slip (issue 13) runs after the reference's own forward
        fwd, bwd = mistake.functions["lstm_step_forward"], mistake.functions["lstm_step_backward"]

        def f(fwd: Callable[..., tuple[np.ndarray, np.ndarray, object]] = fwd) -> float:
            next_h, next_c, _ = fwd(*inputs)
            return float(np.sum(next_h * dnext_h) + np.sum(next_c * dnext_c))

        analytic = bwd(dnext_h, dnext_c, fwd(*inputs)[2])
        numeric = [numeric_gradient(f, x) for x in inputs]
        consistent = all(np.allclose(a, m, rtol=1e-5, atol=1e-8) for a, m in zip(analytic, numeric,
                                                                                 strict=True))
        assert consistent == (mistake.id != "forget_grad_missing"), mistake.id


def test_negative_sampling_matches_numerical_gradient_with_repeats() -> None:
    rng = np.random.default_rng(9)
    center, outside = rng.standard_normal(4), rng.standard_normal((6, 4))
    neg = np.array([1, 3, 1, 1, 5])  # word 1 drawn three times

    def f() -> float:
        return float(negative_sampling.neg_sampling_loss_and_gradient(center, 2, outside, neg)[0])

    loss, grad_center, grad_outside = negative_sampling.neg_sampling_loss_and_gradient(
        center, 2, outside, neg)
    np.testing.assert_allclose(grad_center, numeric_gradient(f, center), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grad_outside, numeric_gradient(f, outside), rtol=1e-5, atol=1e-8)
    assert np.all(grad_outside[[0, 4]] == 0.0)  # neither the outside word nor sampled
    # the formula term by term, straight from the docstring's loss
    sig = negative_sampling.sigmoid
    expected = -np.log(sig(outside[2] @ center)) - sum(np.log(sig(-outside[k] @ center)) for k in neg)
    assert loss == pytest.approx(expected, rel=1e-12)


def test_adam_moves_each_weight_by_the_learning_rate() -> None:
    # With a constant gradient g, the bias-corrected moments are exactly g and g**2 at every
    # step, so each step moves w by learning_rate * sign(g) (up to epsilon): Adam's
    # scale-free step, independent of the reference's formula layout.
    rng = np.random.default_rng(10)
    w0, g = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    w, config = w0.copy(), None
    for step in range(1, 6):
        w, config = adam.adam(w, g, config)
        assert config["t"] == step
        np.testing.assert_allclose(w, w0 - step * 1e-3 * np.sign(g), rtol=0, atol=1e-7)
    first, _ = adam.adam(w0, g)  # config=None gives a fresh dict each call, t starts at 0 again
    np.testing.assert_allclose(first, w0 - 1e-3 * np.sign(g), rtol=0, atol=1e-7)
