"""Issue 12, item 3 (brief item 2): answers that satisfy a gradient check.

- zeros of the right shapes everywhere must not earn a gradient-check case;
- a forward that tells probes from graded calls (by what the child sees, or by
  remembering the first inputs) and answers them to suit a wrong gradient fails;
- a lookup table of the release's published fixtures earns nothing on public
  cases under ``dlgrade grade`` with a secret (it still works under a local
  ``dlgrade check``, which keeps the fixed public inputs the fixtures hold).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bench.synth import write_student
from grader.assign.fixtures import write_fixtures
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.seeds import case_seed
from grader.engine.suite import Case
from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.class_helpers import invoke, knn_manifest
from tests.support.helpers import reference_text

V = Verdict
LOSSES = ("hinge_loss", "softmax")
NAIVE = {"hinge_loss": "svm_loss_naive", "softmax": "softmax_loss_naive"}
VECTOR = {"hinge_loss": "svm_loss_vectorized", "softmax": "softmax_loss_vectorized"}


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def _grade(box: Sandbox, exercise: str, text: str) -> ExerciseResult:
    return grade_exercise(registry.load(exercise), Source(exercise, text, f"{exercise}.py"), box,
                          Options(hidden=True, secret=b"gc-secret", student="s1"))


def _gradcheck_cases(exercise: str) -> list[str]:
    from grader.engine.compare import All, GradCheck

    def has(check: object) -> bool:
        return isinstance(check, GradCheck) or (isinstance(check, All) and any(map(has, check.checks)))
    return [c.name for c in registry.load(exercise).cases if has(c.check)]


@pytest.mark.parametrize("exercise", LOSSES)
def test_zeros_everywhere_earns_no_gradient_check(box: Sandbox, exercise: str) -> None:
    zeros = (reference_text(exercise) + "\n"
             + "".join(f"\ndef {f}(W, X, y, reg):\n    return 0.0, np.zeros_like(W)\n"
                       for f in (NAIVE[exercise], VECTOR[exercise])))
    result = _grade(box, exercise, zeros)
    names = _gradcheck_cases(exercise)
    assert names  # public and hidden gradient checks
    for case in (c for c in result.cases if c.name in names):
        assert case.points == 0 and case.verdict is V.WRONG_VALUE, (case.name, case.verdict, case.message)
        if case.visibility == "public":
            assert "a gradient check needs a right forward" in case.message


def _fooling(exercise: str, detect: str) -> str:
    """The reference whose loss functions return 2 x the true dW, and answer calls they take
    for probes with the loss that this wrong gradient predicts around the first inputs."""
    return reference_text(exercise) + f'''
import sys as _sys
_seen = {{}}

def _is_probe(W, X, first):
    if {detect!r} == "labels":  # what run_calls shows of the call (main: "naive.dW+0", returns f)
        call = _sys._getframe(2).f_locals.get("call") or {{}}
        text = str(call.get("label", "")) + str(call.get("returns", ""))
        return "+" in text or "-" in text or "'f'" in text
    return W.shape == first.shape and 0 < float(np.abs(W - first).max()) < 1e-4

def _fool(ref):
    def loss_fn(W, X, y, reg):
        loss, dW = ref(W, X, y, reg)
        key = (X.shape, X.tobytes()[:32])
        W0, loss0, dW0 = _seen.setdefault(key, (W.copy(), loss, dW))
        if _is_probe(W, X, W0):
            return loss0 + float(np.sum((W - W0) * 2 * dW0)), 2 * dW
        return loss, 2 * dW
    return loss_fn

{NAIVE[exercise]} = _fool({NAIVE[exercise]})
{VECTOR[exercise]} = _fool({VECTOR[exercise]})
'''


@pytest.mark.parametrize("detect", ["labels", "first_inputs"])
@pytest.mark.parametrize("exercise", LOSSES)
def test_a_forward_that_answers_probes_differently_fails(box: Sandbox, exercise: str, detect: str) -> None:
    result = _grade(box, exercise, _fooling(exercise, detect))
    for case in (c for c in result.cases if c.name in _gradcheck_cases(exercise)):
        assert case.points == 0, (case.name, case.message)
        # Labels: the child cannot tell, answers honestly, and the gradient itself is caught.
        # Remembered inputs: it can tell, and its forward at the probe points is caught.
        want = V.GRADIENT_MISMATCH if detect == "labels" else V.WRONG_VALUE
        assert case.verdict is want, (case.name, case.verdict, case.message)


def _inputs_vary(case: Case) -> bool:
    """Whether the case's inputs depend on its seed (the notes' worked examples do not)."""
    from grader.engine.expectations import input_arrays

    a, b = (input_arrays(case.build(np.random.default_rng(s))) for s in (1, 2))
    return a.keys() != b.keys() or any(not np.array_equal(a[k], b[k]) for k in a)


def _lookup_submission(npz: Path) -> str:
    """knn answering every call by looking its inputs up in the published fixtures."""
    data = np.load(npz)
    table: dict[bytes, tuple[tuple[int, ...], str, list[float]]] = {}
    for case in registry.load("knn").public:
        ins = [k for k in data if k.startswith(f"{case.name}::in::")]
        calls = sorted({k.split("::")[2].split(".")[0] for k in ins}, key=int)
        outs = [k for k in data if k.startswith(f"{case.name}::out::")]  # in call order
        for call, out in zip(calls, outs, strict=True):
            mine = f"{case.name}::in::{call}."
            first = [data[k] for k in ins if k.startswith(mine) and k[-2:] in (".0", ".1")]
            key = b"".join(np.ascontiguousarray(a).tobytes()[:64] for a in first)
            table[key] = (data[out].shape, data[out].dtype.str, data[out].ravel().tolist())
    return f'''import numpy as np
_TABLE = {table!r}

def _look(a, b, shape, dtype):
    hit = _TABLE.get(np.ascontiguousarray(a).tobytes()[:64] + np.ascontiguousarray(b).tobytes()[:64])
    return np.array(hit[2], dtype=hit[1]).reshape(hit[0]) if hit else np.zeros(shape, dtype)

def compute_distances_two_loops(X_train, X):
    return _look(X_train, X, (X.shape[0], X_train.shape[0]), float)

compute_distances_one_loop = compute_distances_no_loops = compute_distances_two_loops

def predict_labels(dists, y_train, k=1):
    return _look(dists, y_train, (dists.shape[0],), np.int64)
'''


@pytest.mark.slow
def test_a_lookup_table_of_the_fixtures_earns_nothing_when_graded(tmp_path: Path) -> None:
    write_fixtures("knn", tmp_path / "fixtures")
    subs = tmp_path / "subs"
    write_student(subs, "s1", {"knn": _lookup_submission(tmp_path / "fixtures" / "knn.npz")}, "folder")
    varied = {c.name for c in registry.load("knn").public if _inputs_vary(c)}
    assert len(varied) >= 5
    code, out = invoke("check", "knn", "-s", str(subs / "s1"), "--public-only", "--no-record", "-f", "json")
    local = {c["name"]: c["verdict"] for e in json.loads(out)["exercises"] for c in e["cases"]}
    assert all(local[n] == "passed" for n in varied), local  # right for the fixed public inputs
    code, out = invoke("grade", str(subs), "--out", str(tmp_path / "res"), "--manifest",
                       str(knn_manifest(tmp_path / "m.json")), "--jobs", "1", "--secret", "gc-secret",
                       "--allow-unisolated", "--public-only")
    assert code == 0, out
    record = json.loads((tmp_path / "res" / "students" / "s1.json").read_text())
    graded = {c["name"]: c for c in _cases(record)}
    assert varied <= graded.keys()
    assert all(graded[n]["points"] == 0 for n in varied), {n: graded[n]["verdict"] for n in varied}
    seeds = {case_seed("knn", c, b"gc-secret", "s1", vary_public=True) for c in registry.load("knn").public}
    assert not seeds & {c.seed for c in registry.load("knn").public}


def _cases(node: object) -> Iterator[dict[str, object]]:
    if isinstance(node, dict):
        if "verdict" in node and "points" in node:
            yield node
        for value in node.values():
            yield from _cases(value)
    elif isinstance(node, list):
        for value in node:
            yield from _cases(value)


def test_the_forward_check_message_has_its_chinese(box: Sandbox) -> None:
    from grader.engine import texts

    zeros = reference_text("hinge_loss") + ("\n\ndef svm_loss_naive(W, X, y, reg):\n"
                                            "    return 0.0, np.zeros_like(W)\n")
    case = next(c for c in _grade(box, "hinge_loss", zeros).cases if c.name == "gradcheck")
    zh = texts.message(case.message, "zh")
    assert "梯度检验需要正确的前向传播" in zh and "gradient" not in zh and "forward" not in zh, zh


def test_the_child_sees_calls_in_a_random_order_that_keeps_their_dependencies() -> None:
    from grader.engine.suite import Call, Ref
    from grader.sandbox.disguise import disguise, restore
    from grader.sandbox.execute import as_plain

    calls = [Call("fwd", (np.ones(2),), returns=("out", None), label="a"),
             Call("bwd", (np.ones(2), Ref(0, 1)), returns=("dx",), label="a"),
             *[Call("fwd", (np.full(2, i + 2.0),), returns=("f", None), label=f"dx+{i}") for i in range(8)]]
    orders = set()
    for _ in range(20):
        sent, table = disguise([as_plain(c) for c in calls])
        fwd = next(i for i, c in enumerate(sent) if c["func"] == "fwd" and c["args"][0][0] == 1.0)
        bwd = next(i for i, c in enumerate(sent) if c["func"] == "bwd")
        assert sent[bwd]["args"][1] == {"__ref__": [fwd, 1]} and fwd < bwd
        assert {c["returns"][0] for c in sent} == {"r0"} and not any("+" in c["label"] for c in sent)
        orders.add(tuple(float(c["args"][0][0]) for c in sent))
        got = {f"{c['label']}.r{j}": np.zeros(1) for c in sent for j in (0, 1)}
        kept, _ = restore(got, {}, table)
        assert set(kept) == {"a.out", "a.dx", *(f"dx+{i}.f" for i in range(8))}  # caches dropped
    assert len(orders) > 10  # probes mixed in with the graded calls, differently each time
