"""``grader.api.Layer``: the routine cases derived from one declaration, graded for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.api import GradCheck, Layer, Unchanged
from grader.cli.app import app
from tests.support.packs import no_active_pack, scaffold

__all__ = ["no_active_pack"]
runner = CliRunner()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    scaffold(tmp_path / "p", "affine")
    return tmp_path / "p"


def verdicts(pack: Path, source: str, tmp_path: Path) -> dict[str, tuple[str, str]]:
    (tmp_path / "sub").mkdir(exist_ok=True)
    (tmp_path / "sub" / "affine.py").write_text(source)
    result = runner.invoke(app, ["check", "affine", "--submission", str(tmp_path / "sub"),
                                 "--format", "json", "--course", str(pack)])
    cases = json.loads(result.output)["exercises"][0]["cases"]
    return {c["name"]: (c["verdict"], c["message"]) for c in cases}


def reference(pack: Path) -> str:
    return (pack / "affine" / "solution.py").read_text()


def test_one_declaration_gives_three_kinds_of_case() -> None:
    layer = Layer("f", "b", inputs={"x": ("N", "D"), "w": ("D", "M")}, outputs=("out", None),
                  grads=("dx", "dw"))
    forward, backward, gradcheck = layer.cases("c", {"N": 2, "D": 3, "M": 4}, ("N", "M"), seed=5)
    assert [forward.name, backward.name, gradcheck.name] == ["c_forward", "c_backward", "c_gradcheck"]
    assert isinstance(forward.check, Unchanged) and isinstance(gradcheck.check, GradCheck)
    import numpy as np

    calls = gradcheck.build(np.random.default_rng(0))
    probed = {c.probe.grad for c in calls if c.probe is not None}
    assert probed == {"dx", "dw"}  # every input with a gradient is checked numerically
    assert [c.func for c in calls[:2]] == ["f", "b"]


def test_a_gradient_naming_no_input_is_an_error() -> None:
    with pytest.raises(ValueError, match="names no input"):
        Layer("f", "b", inputs={"x": ("N",)}, grads=("dy",))


def test_the_reference_passes(pack: Path, tmp_path: Path) -> None:
    got = verdicts(pack, reference(pack), tmp_path)
    assert {v for v, _ in got.values()} == {"passed"}


def test_changing_an_input_in_place_fails(pack: Path, tmp_path: Path) -> None:
    """Right values, but the caller's dout is zeroed afterwards: the reference cases fail."""
    zeroes = reference(pack).replace("    db = dout.sum(axis=0)  # b is added to every row\n",
                                     "    db = dout.sum(axis=0)  # b is added to every row\n"
                                     "    dout[...] = 0.0\n")
    assert zeroes != reference(pack)
    got = verdicts(pack, zeroes, tmp_path)
    verdict, message = got["hidden_other_sizes_backward"]
    assert verdict == "wrong_value" and message == "wrong values"  # a hidden case says no more
    assert got["batch_forward"][0] == got["batch_gradcheck"][0] == "passed"


def test_writing_into_an_argument_fails_the_reference_case(pack: Path, tmp_path: Path) -> None:
    writes = reference(pack).replace("    out = x @ w + b\n", "    out = x @ w + b\n    x[:] = 0.0\n")
    got = verdicts(pack, writes, tmp_path)
    verdict, message = got["batch_forward"]
    assert verdict == "wrong_value" and "changed in place" in message and "x" in message


def test_nan_and_shape_are_named_first(pack: Path, tmp_path: Path) -> None:
    nan = reference(pack).replace("    out = x @ w + b\n", "    out = (x @ w + b) * np.nan\n")
    assert verdicts(pack, nan, tmp_path)["batch_forward"][0] == "not_finite"
    shape = reference(pack).replace("    out = x @ w + b\n", "    out = (x @ w + b).T\n")
    assert verdicts(pack, shape, tmp_path)["batch_forward"][0] == "wrong_shape"


def test_the_gradient_check_needs_no_reference(pack: Path, tmp_path: Path) -> None:
    """A backward that disagrees with its own forward fails the numerical check."""
    wrong = reference(pack).replace("    dw = x.T @ dout\n", "    dw = 2 * x.T @ dout\n")
    verdict, message = verdicts(pack, wrong, tmp_path)["batch_gradcheck"]
    assert verdict == "gradient_mismatch" and message.startswith("dw[")
