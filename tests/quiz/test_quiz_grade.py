"""`dlgrade quiz sheet` then `dlgrade quiz grade` on filled-in files (TOML and
notebooks): exit codes like check's, wrong answers as results, usage errors
as one line with exit 2."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.quiz import bank
from grader.quiz.draw import draw
from grader.quiz.grade import expected, grade_answers, show

runner = CliRunner()


def _right(quiz_id: str, student: str) -> dict[str, str]:
    """Right answers (checked against independent values in test_quiz_bank)."""
    quiz, key = bank.load(quiz_id), bank.load_key(quiz_id)
    assert key is not None
    return {q.id: show(expected(q, key.answers[q.id], draw(quiz_id, q, student))) for q in quiz.questions}


def _sheet(tmp_path: Path, quiz: str, student: str, answers: dict[str, str], lang: str = "en") -> Path:
    path = tmp_path / f"{quiz}-{student}.toml"
    res = runner.invoke(app, ["quiz", "sheet", quiz, "--student", student, "-f", "toml", "--lang", lang,
                              "--out", str(path)])
    assert res.exit_code == 0, res.output
    text = path.read_text(encoding="utf-8")
    for qid, value in answers.items():
        text = text.replace(f'\n{qid} = ""', f"\n{qid} = {json.dumps(value, ensure_ascii=False)}")
    path.write_text(text, encoding="utf-8")
    return path


def test_all_right_exits_0(tmp_path: Path) -> None:
    path = _sheet(tmp_path, "cnn-shapes", "alice", _right("cnn-shapes", "alice"))
    res = runner.invoke(app, ["quiz", "grade", str(path)])
    assert res.exit_code == 0, res.output
    assert "11/11" in res.output


def test_a_wrong_and_an_unreadable_answer_are_results_and_exit_1(tmp_path: Path) -> None:
    answers = _right("cnn-shapes", "bob")
    answers["conv-params"] = str(float(answers["conv-params"]) + 1)
    answers["receptive-field"] = "seven"
    del answers["fc-params"]
    res = runner.invoke(app, ["quiz", "grade", str(_sheet(tmp_path, "cnn-shapes", "bob", answers)),
                              "--format", "json"])
    assert res.exit_code == 1, res.output
    result = json.loads(res.output)["exercises"][0]
    assert result["exercise"] == "quiz:cnn-shapes" and result["title"] == "CNN shapes, parameters and cost"
    assert result["score"] == 8 and result["max_score"] == 11
    cases = {c["name"]: c for c in result["cases"]}
    assert len(cases) == 11
    wrong = cases["conv-params"]
    assert wrong["verdict"] == "wrong_value" and wrong["points"] == 0
    assert "expected" in wrong["message"] and "k·k·C_in·C_out + C_out" in wrong["message"]
    assert "not a number" in cases["receptive-field"]["message"]
    assert "(no answer)" in cases["fc-params"]["message"]
    assert cases["conv-notes"]["verdict"] == "passed" and cases["conv-notes"]["points"] == 1


def test_fractions_and_scientific_notation_in_a_file(tmp_path: Path) -> None:
    answers = _right("ml-basics", "carol") | {"support": "2/5", "predict": "9e0"}
    res = runner.invoke(app, ["quiz", "grade", str(_sheet(tmp_path, "ml-basics", "carol", answers))])
    assert res.exit_code == 0, res.output


def test_toml_numbers_and_lists_are_accepted(tmp_path: Path) -> None:
    answers = _right("ml-basics", "dan")
    path = tmp_path / "a.toml"
    lines = ['quiz = "ml-basics"', 'student = "dan"', "[answers]"]
    for qid, value in answers.items():
        if qid == "unsupervised":
            lines.append(f"{qid} = {json.dumps(value.split(', '))}")  # a TOML list of letters
        elif qid in ("predict", "iterations"):
            lines.append(f"{qid} = {value}")  # a bare TOML number
        else:
            lines.append(f"{qid} = {json.dumps(value)}")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert tomllib.loads(path.read_text())["answers"]["predict"] == 9
    res = runner.invoke(app, ["quiz", "grade", str(path)])
    assert res.exit_code == 0, res.output


def test_chinese_sheet_and_feedback(tmp_path: Path) -> None:
    answers = _right("losses", "李雷")
    answers["outliers"] = "c" if answers["outliers"] != "c" else "a"
    path = _sheet(tmp_path, "losses", "李雷", answers, lang="zh")
    assert "哪种损失函数" in path.read_text(encoding="utf-8")
    res = runner.invoke(app, ["quiz", "grade", str(path), "-f", "json"])
    assert res.exit_code == 1
    cases = {c["name"]: c for c in json.loads(res.output)["exercises"][0]["cases"]}
    assert "异常值" in cases["outliers"]["message"]


def test_notebook_sheet_filled_in_and_graded(tmp_path: Path) -> None:
    path = tmp_path / "quiz.ipynb"
    res = runner.invoke(app, ["quiz", "sheet", "rnn-lstm", "--student", "erin", "-f", "ipynb",
                              "--out", str(path)])
    assert res.exit_code == 0, res.output
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    right = _right("rnn-lstm", "erin")
    slots = [c for c in nb.cells if c.cell_type == "raw"]
    assert len(slots) == 7
    for cell in slots:
        cell.source = right[cell.metadata["dlgrade"]["question"]]
    nbformat.write(nb, path)
    assert runner.invoke(app, ["quiz", "grade", str(path)]).exit_code == 0
    slots[0].source = "z"  # not a letter of the choices
    nbformat.write(nb, path)
    assert runner.invoke(app, ["quiz", "grade", str(path)]).exit_code == 1


def test_markdown_sheet_shows_the_students_numbers_and_no_answers() -> None:
    res = runner.invoke(app, ["quiz", "sheet", "cnn-shapes", "--student", "frank"])
    assert res.exit_code == 0
    q = bank.load("cnn-shapes").question("conv-output")
    p = draw("cnn-shapes", q, "frank")
    assert f"A {p['W']:g}×{p['W']:g} input goes through a {p['F']:g}×{p['F']:g} convolution" in res.output
    assert "```toml" in res.output and 'student = "frank"' in res.output
    assert "2800" not in res.output and "explanation" not in res.output


@pytest.mark.parametrize(("content", "says"), [
    (None, "no answer file"),
    ('quiz = "cnn-shapes"\nstudent = "x"\n[answers]\nconv-output = 3\nconv-output = 4\n', "not a valid TOML"),
    ('quiz = "cnn-shape"\nstudent = "x"\n', "did you mean 'cnn-shapes'"),
    ('quiz = "cnn-shapes"\n', "student"),
    ('quiz = "cnn-shapes"\nstudent = "x"\n[answers]\nconv-outptu = "3"\n', "no question 'conv-outptu'"),
    ('quiz = "cnn-shapes"\nstudent = "x"\nlang = "fr"\n', "lang"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, content: str | None, says: str) -> None:
    path = tmp_path / "answers.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    res = runner.invoke(app, ["quiz", "grade", str(path)])
    assert res.exit_code == 2, res.output
    assert says in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_sheet_usage_errors() -> None:
    res = runner.invoke(app, ["quiz", "sheet", "cnn", "--student", "x"])
    assert res.exit_code == 2 and "unknown quiz" in res.output
    res = runner.invoke(app, ["quiz", "sheet", "cnn-shapes", "--student", "x", "-f", "ipynb"])
    assert res.exit_code == 2 and "--out" in res.output


def test_grade_answers_is_an_exercise_result_per_question() -> None:
    quiz = bank.load("word2vec")
    result = grade_answers(quiz, "gina", _right("word2vec", "gina"), "en")
    assert result.exercise == "quiz:word2vec" and result.passed
    assert [c.name for c in result.cases] == [q.id for q in quiz.questions]
    assert result.max_score == quiz.points
