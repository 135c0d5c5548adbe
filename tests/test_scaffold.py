"""``dlgrade new``: a skeleton that passes ``dlgrade selftest`` at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine import courses
from grader.engine.stubs import strip_solutions
from tests.support.packs import no_active_pack, one_line

__all__ = ["no_active_pack"]
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.mark.slow
def test_new_then_selftest_passes(tmp_path: Path) -> None:
    pack = tmp_path / "mycourse"
    code, out = invoke("new", "leaky_relu", "--course", str(pack))
    assert code == 0, out
    folder = pack / "leaky_relu"
    assert {p.name for p in folder.iterdir()} == {"solution.py", "suite.py", "instructor.py", "intro.toml"}
    solution = (folder / "solution.py").read_text()
    assert "# BEGIN SOLUTION" in solution and "(N, D)" in solution  # regions, shape-first docstrings
    assert "raise NotImplementedError" in strip_solutions(solution)
    code, out = invoke("selftest", "--course", str(pack), "leaky_relu")
    assert code == 0, out
    # reference, stub, and the one mistake; the case kinds the issue asks for
    assert "0 failed" in out and "mistake db_mean" in out
    code, out = invoke("list", "--course", str(pack))
    assert "leaky_relu" in out


def test_new_builds_one_public_one_hidden_one_gradcheck(tmp_path: Path) -> None:
    from grader.engine import registry

    invoke("new", "affine", "--course", str(tmp_path / "p"))
    courses.use(tmp_path / "p")
    ex = registry.load("affine")
    assert [c.name for c in ex.public] == ["batch_forward", "batch_gradcheck"]
    assert [c.name for c in ex.hidden] == ["hidden_other_sizes_backward"]
    assert [m.id for m in ex.mistakes] == ["db_mean"]


def test_new_adds_to_an_exercise_list(tmp_path: Path) -> None:
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "course.toml").write_text('[course]\ntitle = "T"\nexercises = []\n')
    assert invoke("new", "first", "--course", str(pack))[0] == 0
    assert invoke("new", "second", "--course", str(pack))[0] == 0
    assert 'exercises = ["first", "second"]' in (pack / "course.toml").read_text()


@pytest.mark.parametrize(("args", "needle"), [
    (["new", "Bad-Id"], "not a valid exercise id"),
    (["new", "softmax"], "is a built-in exercise"),
    (["new", "x1"], None),  # then again: the folder exists
])
def test_new_refuses(tmp_path: Path, args: list[str], needle: str | None) -> None:
    pack = ["--course", str(tmp_path / "p")]
    if needle is None:
        assert invoke(*args, *pack)[0] == 0
        needle = "already exists"
    code, out = invoke(*args, *pack)
    assert code == 2
    assert needle in one_line(out)


def test_new_needs_a_course() -> None:
    code, out = invoke("new", "relu")
    assert code == 2 and "--course DIR" in one_line(out)
