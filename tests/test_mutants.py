"""The mutant generator: every operator plants a bug that compiles and runs,
and only inside the solution regions."""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pytest

from grader.authoring.mutants import generate, solution_regions
from grader.authoring.operators import OPERATORS
from grader.engine.stubs import MarkerError

ROOT = Path(__file__).resolve().parent.parent

# A module that gives every operator something to bite on; the code outside the
# region uses the same constructs, so a mutant there would show in the diff.
SOURCE = '''\
import numpy as np

SCALE = 2.0 * (1 + 1)


def layer(x, w, b):
    """x (N, D), w (D, M), b (M,) -> out (N, M), total (1, M)."""
    out = x @ w + b - 0.5 * x[:, 0:1]
    # BEGIN SOLUTION
    h = x @ w + b  # (N, M)
    h = h - np.max(h, axis=1, keepdims=True)
    s = np.sum(h * 2.0, axis=0)
    acc = np.zeros_like(s)
    acc += s
    acc[0:2] = -acc[1:3]
    for i in range(x.shape[0]):
        acc = acc + h[i] / 3
    out = h.T.T + acc
    # END SOLUTION
    return out, np.sum(out, axis=0, keepdims=True)
'''


def run(source: str) -> tuple[np.ndarray, np.ndarray]:
    """Square inputs, so that a lost keepdims still broadcasts (and gives wrong values)."""
    namespace: dict[str, object] = {}
    exec(compile(source, "layer.py", "exec"), namespace)
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 3)), rng.standard_normal(3)
    return namespace["layer"](x, w, b)  # type: ignore[operator,no-any-return]


def changed_lines(before: str, after: str) -> set[int]:
    """1-based line numbers of ``before`` that the edit replaced or deleted (or inserted at)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    lines: set[int] = set()
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def test_regions_are_found() -> None:
    assert solution_regions(SOURCE) == [(9, 19)]


def test_unbalanced_markers_are_an_error() -> None:
    with pytest.raises(MarkerError):
        solution_regions("x = 1\n# BEGIN SOLUTION\ny = 2\n")


@pytest.mark.parametrize("operator", list(OPERATORS))
def test_each_operator_makes_a_runnable_mutant(operator: str) -> None:
    reference = run(SOURCE)
    mutants = generate(SOURCE, "layer.py", [operator])
    assert mutants, f"{operator} made no mutant"
    differing = 0
    for mutant in mutants:
        assert mutant.operator == operator
        try:
            got = run(mutant.source)
        except Exception:  # e.g. a transpose that breaks broadcasting: still a valid mutant
            continue
        if any(g.shape != r.shape or not np.allclose(g, r) for g, r in zip(got, reference, strict=True)):
            differing += 1
    assert differing >= 1, f"no mutant of {operator} both ran and changed the outputs"


def test_mutants_stay_inside_the_regions() -> None:
    (begin, end), = solution_regions(SOURCE)
    mutants = generate(SOURCE, "layer.py")
    assert len(mutants) > 20
    for mutant in mutants:
        lines = changed_lines(SOURCE, mutant.source)
        assert lines and all(begin < n < end for n in lines), (mutant.description, lines)
        assert mutant.line in lines
        assert mutant.diff.startswith("--- a/layer.py\n+++ b/layer.py\n")


def test_a_module_without_regions_has_no_mutants() -> None:
    assert generate("import numpy as np\n\ndef f(x):\n    return x + 1\n") == []


def test_mutants_are_distinct_and_keep_comments() -> None:
    mutants = generate(SOURCE, "layer.py")
    assert len({m.source for m in mutants}) == len(mutants)
    swapped = [m for m in mutants if m.operator == "swap_operator" and m.line == 10]
    assert any("h = x @ w - b  # (N, M)" in m.source for m in swapped)


def test_specific_rewrites() -> None:
    """One expected mutant per operator, written out by hand from SOURCE."""
    expected = {
        "slice_bound": "acc[1:2] = -acc[1:3]",
        "axis": "s = np.sum(h * 2.0, axis=1)",
        "keepdims": "h = h - np.max(h, axis=1)",
        "transpose": "out = h.T + acc",
        "drop_term": "h = x @ w  # (N, M)",
        "sign_flip": "acc[0:2] = acc[1:3]",
        "augassign": "acc = s",
        "constant": "acc = acc + h[i] / 4",
        "swap_operator": "acc = acc + h[i] * 3",
    }
    for operator, line in expected.items():
        sources = [m.source for m in generate(SOURCE, "layer.py", [operator])]
        assert any(line in s for s in sources), f"{operator}: no mutant with {line!r}"


def test_unknown_operator() -> None:
    with pytest.raises(ValueError, match="unknown mutation operator"):
        generate(SOURCE, operators=["typo"])


@pytest.mark.parametrize("exercise", ["softmax", "lstm_cell", "conv"])
def test_references_give_mutants_of_every_common_kind(exercise: str) -> None:
    source = (ROOT / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")
    kinds = {m.operator for m in generate(source, f"{exercise}.py")}
    assert {"swap_operator", "drop_term", "sign_flip", "constant"} <= kinds
