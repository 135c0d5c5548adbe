"""The notes-extra pack: what each exercise must have, and its intros cite the notes truly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from grader.engine import courses, registry
from grader.engine.compare import GradCheck
from grader.engine.stubs import strip_solutions
from tests.support.packs import NOTES_EXTRA, PACK_IDS, no_active_pack, pack_solution

__all__ = ["no_active_pack"]
# sgd_momentum is an optimizer: it has no backward pass, hence no gradient check.
NO_GRADIENT = {"sgd_momentum"}


@pytest.fixture(autouse=True)
def _pack(no_active_pack: None) -> None:
    courses.use(NOTES_EXTRA)


def _checks(check: object) -> list[object]:
    inner = getattr(check, "inner", None)
    nested = getattr(check, "checks", None)
    if inner is not None:
        return [check, *_checks(inner)]
    if nested is not None:
        return [check, *(c for n in nested for c in _checks(n))]
    return [check]


@pytest.mark.parametrize("exercise", PACK_IDS)
def test_each_exercise_has_the_parts_the_issue_asks_for(exercise: str) -> None:
    ex = registry.load(exercise)
    assert ex.public and ex.hidden
    assert len(ex.mistakes) >= 4
    assert all(m.hint and m.title for m in ex.mistakes)
    for m in ex.mistakes:  # in the notes' language too: a title and a hint in Chinese
        assert m.zh is not None and all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in m.zh)
    gradchecks = [c for c in ex.cases if any(isinstance(k, GradCheck) for k in _checks(c.check))]
    assert bool(gradchecks) == (exercise not in NO_GRADIENT)
    if gradchecks:
        assert any(c.hidden for c in gradchecks) or len(gradchecks) >= 2


@pytest.mark.parametrize("exercise", PACK_IDS)
def test_the_stub_keeps_the_contract_and_drops_the_solution(exercise: str) -> None:
    stub = strip_solutions(pack_solution(exercise))
    assert "BEGIN SOLUTION" not in stub and "raise NotImplementedError" in stub
    namespace: dict[str, object] = {}
    exec(compile(stub, f"{exercise}.py", "exec"), namespace)
    assert all(callable(namespace.get(f)) for f in registry.load(exercise).functions)


@pytest.mark.parametrize("exercise", PACK_IDS)
def test_hidden_inputs_differ_per_student(exercise: str) -> None:
    from grader.engine.seeds import case_seed

    case = registry.load(exercise).hidden[0]
    a = case.build(np.random.default_rng(case_seed(exercise, case, b"secret", "ana")))
    b = case.build(np.random.default_rng(case_seed(exercise, case, b"secret", "ben")))
    first_a = next(x for x in a[0].args if isinstance(x, np.ndarray))
    first_b = next(x for x in b[0].args if isinstance(x, np.ndarray))
    assert not np.array_equal(first_a, first_b)


@pytest.mark.parametrize("exercise", PACK_IDS)
def test_intro_cites_the_notes(exercise: str, course_notes: Path) -> None:
    """The cited file exists in the notes and holds the quoted phrase (skips without the notes)."""
    intro = tomllib.loads((NOTES_EXTRA / exercise / "intro.toml").read_text(encoding="utf-8"))
    cited = intro["source"].split(",")[0].strip()
    text = (course_notes / cited).read_text(encoding="utf-8")
    assert intro["quote"] in text
    assert {"title", "concept", "formula", "example", "shapes"} <= set(intro["en"]) == set(intro["zh"])


def test_dropout_mask_follows_the_documented_rule() -> None:
    """The docstring's rule, computed here independently: mask = (rng.random(shape) < p) / p."""
    ref = registry.reference("dropout")
    assert ref is not None
    x = np.arange(1.0, 13.0).reshape(3, 4)
    out, (_, mask) = ref.dropout_forward(x, {"p": 0.4, "mode": "train", "seed": 7})
    keep = np.random.default_rng(7).random((3, 4)) < 0.4
    np.testing.assert_allclose(out, np.where(keep, x / 0.4, 0.0))
    np.testing.assert_allclose(mask, keep / 0.4)
    test_out, _ = ref.dropout_forward(x, {"p": 0.4, "mode": "test", "seed": 7})
    np.testing.assert_array_equal(test_out, x)


def test_batchnorm_matches_a_direct_formula() -> None:
    """Normalised features have mean 0 and variance var / (var + eps) (biased variance)."""
    ref = registry.reference("batchnorm")
    assert ref is not None
    rng = np.random.default_rng(0)
    x = 5 * rng.standard_normal((200, 3)) + 2
    out, rm, rv, _ = ref.batchnorm_forward(x, np.ones(3), np.zeros(3), {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(rm, 0.1 * x.mean(axis=0))  # momentum 0.9 from zeros
    np.testing.assert_allclose(rv, 0.1 * x.var(axis=0))


def test_sgd_momentum_with_zero_momentum_is_sgd() -> None:
    """The notes: λ = 0 gives plain SGD, w - lr * dw."""
    ref = registry.reference("sgd_momentum")
    assert ref is not None
    w, dw = np.ones(3), np.array([1.0, -2.0, 0.5])
    next_w, config = ref.sgd_momentum(w, dw, {"momentum": 0.0, "learning_rate": 0.1})
    np.testing.assert_allclose(next_w, w - 0.1 * dw)
    np.testing.assert_allclose(config["velocity"], -0.1 * dw)
