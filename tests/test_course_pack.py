"""Course packs: loaded three ways, id clashes and broken packs as one error line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.engine import courses, registry
from tests.support.packs import NOTES_EXTRA, PACK_IDS, no_active_pack, one_line, scaffold

__all__ = ["no_active_pack"]
runner = CliRunner()


def listed(*args: str) -> str:
    result = runner.invoke(app, ["list", *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_no_pack_means_the_builtin_nine() -> None:
    assert "dropout" not in listed()
    assert registry.available() == registry.builtin()


def test_pack_by_option() -> None:
    out = listed("--course", str(NOTES_EXTRA))
    assert all(e in out for e in PACK_IDS) and "softmax" in out  # beside the built-ins
    assert registry.available()[-5:] == PACK_IDS  # in course.toml's order, after the nine


def test_pack_option_before_the_command() -> None:
    result = runner.invoke(app, ["--course", str(NOTES_EXTRA), "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "batchnorm" in result.output


def test_pack_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(courses.ENV, str(NOTES_EXTRA))
    assert "two_layer_net" in listed()


def test_pack_by_dlgrade_toml_at_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "dlgrade.toml").write_text(f'course = "{NOTES_EXTRA}"\n')
    work = tmp_path / "homework" / "week3"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # found from a sub-folder, up to the repository root
    assert "rnn_step" in listed()


def test_dlgrade_toml_beyond_the_repository_root_is_ignored(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dlgrade.toml").write_text(f'course = "{NOTES_EXTRA}"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    assert "rnn_step" not in listed()


def test_builtin_false_hides_the_nine(tmp_path: Path) -> None:
    scaffold(tmp_path / "pack")
    manifest = tmp_path / "pack" / "course.toml"
    manifest.write_text(manifest.read_text().replace("builtin = true", "builtin = false"))
    courses.use(tmp_path / "pack")
    assert registry.available() == ("affine",)


def test_builtin_list_keeps_some(tmp_path: Path) -> None:
    scaffold(tmp_path / "pack")
    manifest = tmp_path / "pack" / "course.toml"
    manifest.write_text(manifest.read_text().replace("builtin = true", 'builtin = ["adam", "knn"]'))
    courses.use(tmp_path / "pack")
    assert registry.available() == ("knn", "adam", "affine")


def error_line(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    return one_line(result.output)


def test_an_id_clash_is_one_clear_error(tmp_path: Path) -> None:
    folder = scaffold(tmp_path / "pack", "relu")
    folder.rename(tmp_path / "pack" / "softmax")
    line = error_line("list", "--course", str(tmp_path / "pack"))
    assert "'softmax' is also a built-in exercise" in line and "builtin = false" in line


BROKEN = {
    # name: (file to change, how, what the line must name)
    "manifest syntax": ("course.toml", lambda t: t + "\n[course\n", ("course.toml", "not valid TOML")),
    "no EXERCISE": ("relu/suite.py", lambda t: t.replace("EXERCISE = Exercise(", "THING = dict("),
                    ("suite.py", "'EXERCISE'")),
    "id differs": ("relu/suite.py", lambda t: t.replace('id="relu"', 'id="rleu"'),
                   ("suite.py", "'EXERCISE.id'")),
    "import error": ("relu/suite.py", lambda t: t + "\nimport no_such_module_here\n",
                     ("suite.py", "ModuleNotFoundError")),
    "syntax error": ("relu/instructor.py", lambda t: t + "\ndef broken(:\n",
                     ("instructor.py", "SyntaxError")),
    "bad INSTRUCTOR": ("relu/instructor.py",
                       lambda t: t.replace("INSTRUCTOR = Instructor(", "INSTRUCTOR = dict("),
                       ("instructor.py", "'INSTRUCTOR'")),
    "hidden case public": ("relu/instructor.py",
                           lambda t: t.replace('visibility="hidden"', 'visibility="public"'),
                           ("instructor.py", "'INSTRUCTOR.hidden'")),
    "function missing": ("relu/solution.py", lambda t: t.replace("def relu_backward", "def relu_back"),
                         ("solution.py", "'relu_backward'")),
    "reference raises": ("relu/solution.py",
                         lambda t: t.replace("    out = x @ w + b\n", "    raise ValueError('oops')\n"),
                         ("solution.py", "raised ValueError on case 'batch_forward': oops")),
    "exercises not a list": ("course.toml", lambda t: t.replace('[course]', '[course]\nexercises = "relu"'),
                             ("course.toml", "'course.exercises'")),
    "listed folder missing": ("course.toml",
                              lambda t: t.replace('[course]', '[course]\nexercises = ["relu", "gelu"]'),
                              ("gelu", "'course.exercises'")),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_pack_is_one_error_line_naming_file_and_field(tmp_path: Path, name: str) -> None:
    target, change, needles = BROKEN[name]
    scaffold(tmp_path / "pack", "relu")
    path = tmp_path / "pack" / target
    path.write_text(change(path.read_text()))
    line = error_line("selftest", "relu", "--course", str(tmp_path / "pack"))
    assert line.startswith("error: ")
    assert all(n in line for n in needles), line


def test_a_missing_course_folder(tmp_path: Path) -> None:
    line = error_line("list", "--course", str(tmp_path / "nowhere"))
    assert "course folder does not exist" in line


def test_course_option_needs_a_value() -> None:
    result = runner.invoke(app, ["list", "--course"])
    assert result.exit_code == 2 and "--course needs a folder" in result.output
