"""`dlgrade quiz take` driven through CliRunner's input: answers graded at once
with the right answer and the notes' explanation; unreadable input re-asked
without costing an attempt."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.quiz import bank
from grader.quiz.draw import draw
from grader.quiz.grade import expected, show

runner = CliRunner()


def _right(quiz_id: str, student: str) -> list[str]:
    quiz, key = bank.load(quiz_id), bank.load_key(quiz_id)
    assert key is not None
    return [show(expected(q, key.answers[q.id], draw(quiz_id, q, student))) for q in quiz.questions]


def test_take_with_an_unparsable_answer_reasked(tmp_path: Path) -> None:
    answers = _right("cnn-shapes", "alice")
    # First question: garbage, then an empty line (both re-asked), then the right answer.
    lines = ["thirty-one", "", answers[0], *answers[1:]]
    lines[5] = str(float(answers[3]) + 10)  # the 4th question (conv-params) wrong
    res = runner.invoke(app, ["quiz", "take", "cnn-shapes", "--student", "alice"],
                        input="\n".join(lines) + "\n")
    assert res.exit_code == 1, res.output  # one wrong answer
    assert res.output.count("Could not read that") == 2
    assert "(no attempt used)" in res.output
    assert res.output.count("✔ correct") == 10 and res.output.count("✘ wrong") == 1
    assert f"the answer is {answers[3]}" in res.output
    assert "k·k·C_in·C_out + C_out" in res.output  # the explanation
    assert "卷积参数 = 卷积核长度" in res.output  # and the quoted passage of the notes
    assert "Score: 10/11" in res.output


def test_take_in_chinese_all_right() -> None:
    res = runner.invoke(app, ["quiz", "take", "optimizers", "--lang", "zh", "--student", "王芳"],
                        input="\n".join(_right("optimizers", "王芳")) + "\n")
    assert res.exit_code == 0, res.output
    assert "哪种梯度下降" in res.output and "✔ 正确" in res.output and "得分：7/7" in res.output


def test_take_accepts_fractions_and_choice_letters_in_any_case() -> None:
    answers = _right("ml-basics", "bob")
    quiz = bank.load("ml-basics")
    ids = [q.id for q in quiz.questions]
    answers[ids.index("support")] = "2/5"
    answers[ids.index("knn-k3")] = f"({answers[ids.index('knn-k3')].upper()})"
    res = runner.invoke(app, ["quiz", "take", "ml-basics", "--student", "bob"],
                        input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.output


def test_student_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_STUDENT", "carol")
    res = runner.invoke(app, ["quiz", "take", "word2vec"],
                        input="\n".join(_right("word2vec", "carol")) + "\n")
    assert res.exit_code == 0, res.output
    assert "carol" in res.output


def test_unknown_quiz_is_a_usage_error() -> None:
    res = runner.invoke(app, ["quiz", "take", "cnn_shape"])
    assert res.exit_code == 2 and "did you mean 'cnn-shapes'" in res.output


def test_list_shows_every_quiz() -> None:
    res = runner.invoke(app, ["quiz", "list"])
    assert res.exit_code == 0
    for quiz in bank.available():
        assert quiz in res.output
