"""Feedback around a verdict: removed numpy APIs, in-place notes, hidden messages, numpy version."""

from __future__ import annotations

import re

import numpy as np
import pytest

from grader.engine import registry
from grader.engine.feedback import hidden_message
from grader.engine.grading import Options, grade_exercise
from grader.engine.hints import mutation_note, numpy_hint
from grader.engine.manifest import Manifest, numpy_range
from grader.engine.manifest_plain import numpy_outside
from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import with_functions

NUMPY_2 = int(np.__version__.split(".")[0]) >= 2
needs_numpy_2 = pytest.mark.skipif(not NUMPY_2, reason="these APIs were removed in numpy 2.0")


def _error(thunk) -> str:  # type: ignore[no-untyped-def]
    """The message the installed numpy gives, so the test does not assume its wording."""
    try:
        thunk()
    except AttributeError as exc:
        return str(exc)
    raise AssertionError("no AttributeError")


@needs_numpy_2
@pytest.mark.parametrize(("thunk", "old", "new"), [
    (lambda: np.int, "np.int", "use int"),  # type: ignore[attr-defined]
    (lambda: np.float, "np.float", "use float"),  # type: ignore[attr-defined]
    (lambda: np.asscalar, "np.asscalar", "a.item()"),  # type: ignore[attr-defined]
    (lambda: np.zeros(2).itemset, "ndarray.itemset", "a[index] = value"),  # type: ignore[attr-defined]
    (lambda: np.lib.pad, "np.lib.pad", "use np.pad"),  # type: ignore[attr-defined]
], ids=["int", "float", "asscalar", "itemset", "lib.pad"])
def test_removed_numpy_api_gets_its_replacement(thunk, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    hint = numpy_hint("AttributeError", _error(thunk))
    assert old in hint and new in hint and np.__version__ in hint


def test_other_attribute_errors_get_no_numpy_hint() -> None:
    assert numpy_hint("AttributeError", "'list' object has no attribute 'shape'") == ""
    assert numpy_hint("AttributeError", "module 'numpy' has no attribute 'argmaxx'") == ""
    assert numpy_hint("TypeError", "module 'numpy' has no attribute 'int'") == ""


PREDICT_NP_INT = '''
def predict_labels(dists, y_train, k=1):
    y_pred = np.zeros(dists.shape[0], dtype=np.int)
    for i in range(dists.shape[0]):
        y_pred[i] = np.bincount(y_train[np.argsort(dists[i], kind="stable")[:k]]).argmax()
    return y_pred
'''


@needs_numpy_2
def test_np_int_in_a_submission_is_explained(sandbox: Sandbox) -> None:
    source = Source("knn", with_functions("knn", PREDICT_NP_INT), "knn.py")
    result = grade_exercise(registry.load("knn"), source, sandbox, Options())
    public = next(c for c in result.cases if c.name == "vote_k1")
    hidden = next(c for c in result.cases if c.name == "hidden_vote_ties")
    assert public.verdict is Verdict.EXCEPTION and "use int (or np.int64)" in public.message
    assert hidden.message.startswith("AttributeError; hint: np.int was removed")
    assert result.numpy_version == np.__version__  # the zygote runs this interpreter's numpy


ADAM_IN_PLACE = '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8),
                       ("m", np.zeros_like(w)), ("v", np.zeros_like(w)), ("t", 0)):
        config.setdefault(key, value)
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw ** 2
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    w -= config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])  # PyTorch-style, in place
    return w, config
'''

PREDICT_SCRIBBLES = '''
def predict_labels(dists, y_train, k=1):
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.bincount(y_train[np.argsort(dists[i], kind="stable")[:k]]).argmax()
    dists[:] = 0.0
    return y_pred
'''


def test_in_place_notes_only_where_in_place_is_wrong(sandbox: Sandbox) -> None:
    adam = grade_exercise(registry.load("adam"), Source("adam", with_functions("adam", ADAM_IN_PLACE),
                                                        "adam.py"), sandbox, Options(hidden=False))
    assert adam.passed and not any("in place" in c.message for c in adam.cases)
    knn = grade_exercise(registry.load("knn"), Source("knn", with_functions("knn", PREDICT_SCRIBBLES),
                                                      "knn.py"), sandbox, Options(hidden=False))
    vote = next(c for c in knn.cases if c.name == "vote_k1")
    assert vote.passed and "predict_labels(dists) in place" in vote.message
    assert mutation_note(("adam(w)",)) == "" and "dists" in mutation_note(("predict_labels(dists)",))


def test_hidden_messages_name_the_kind_of_failure() -> None:
    assert hidden_message(Verdict.NOT_FINITE, ("dists",), "") == "dists: not finite (NaN or Inf)"
    assert hidden_message(Verdict.WRONG_VALUE, ("dW",), "") == "dW: wrong values"


def test_results_without_a_numpy_version_still_load() -> None:
    old = {"exercise": "knn", "title": "K-nearest neighbours", "submission": "knn.py", "cases": [
        {"name": "two_loops", "points": 2.0, "max_points": 2.0, "verdict": "passed",
         "mistake": {"id": "l1_distance", "title": "t", "hint": "h"}}]}
    result = ExerciseResult.model_validate(old)
    assert result.numpy_version == "" and result.cases[0].also == []
    assert result.cases[0].mistake is not None and result.cases[0].mistake.outputs == []


def test_release_pins_the_grading_numpy_range() -> None:
    assert numpy_range("2.4.6") == ">=2.0,<3" and numpy_range("1.26.4") == ">=1.0,<2"
    assert numpy_outside(">=2.0,<3", "2.1.0") == ""
    assert "numpy 1.26.4" in numpy_outside(">=2.0,<3", "1.26.4")
    assert numpy_outside("", "1.26.4") == ""  # a release made before the field existed
    manifest = Manifest(grader_version="0", exercises=[])
    assert manifest.numpy == "" and Manifest.model_validate_json(manifest.model_dump_json()).numpy == ""


def test_the_notes_read_in_chinese() -> None:
    from grader.engine import texts
    from grader.engine.compare import compare_array
    from grader.engine.signatures import signature

    notes = [compare_array("y_pred", np.array([1.0, 2.0]), np.array([1, 2]), 0).message,
             compare_array("d", np.array([0.5, 0.25], dtype=np.float32), np.array([0.5, 0.25]), 1e-9).message,
             "what the outputs show: next_w: no_bias_correction; config.t: wrong for another reason",
             "hint: np.int was removed from numpy (this grader runs numpy 2.4.6); use int (or np.int64)"]
    for english in notes:
        zh = texts.message(english, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"\b(note|hint|what|reason)\b", zh), zh
    exp = np.arange(6.0).reshape(2, 3) + 1
    for got in (exp.T.copy(), -exp, 7 * exp):
        found = signature("dW", got, exp, [])
        assert found is not None and re.search(r"[\u4e00-\u9fff]", found.zh[0] + found.zh[1])


def test_check_in_a_release_graded_with_another_numpy_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from grader.cli.app import app
    from grader.engine.manifest import MANIFEST_NAME
    from tests.support.helpers import reference_text

    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "adam.py").write_text(reference_text("adam"), encoding="utf-8")
    other = ">=1.0,<2" if NUMPY_2 else ">=2.0,<3"
    Manifest(grader_version="0", exercises=[], numpy=other).save(tmp_path / MANIFEST_NAME)
    result = CliRunner().invoke(app, ["check", "adam", "--submission", str(tmp_path / "exercises"),
                                      "--no-record", "--public-only"])
    assert result.exit_code == 0, result.output
    assert f"graded with numpy {other}" in " ".join(result.output.split())
