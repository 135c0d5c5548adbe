"""The instructor/student boundary and the other parts of dlgrade: graded
quizzes recorded in the real progress store (and shown by 'dlgrade progress'),
a release's quiz files and the whole student-facing bank free of answers, and
'quiz take' where the key is not installed."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.errors import UsageError
from grader.progress.store import Store
from grader.quiz import bank
from grader.quiz.draw import draw, fmt
from grader.quiz.grade import expected, grade_answers, show
from grader.quiz.release import record_quiz, write_quiz_release

runner = CliRunner()
GRADER = Path(bank.__file__).resolve().parents[1]


def _right(quiz_id: str, student: str) -> dict[str, str]:
    quiz, key = bank.load(quiz_id), bank.load_key(quiz_id)
    assert key is not None
    return {q.id: show(expected(q, key.answers[q.id], draw(quiz_id, q, student))) for q in quiz.questions}


def test_record_quiz_in_the_real_store(tmp_path: Path) -> None:
    answers = _right("backprop", "alice") | {"mul-gate": "12345"}
    result = grade_answers(bank.load("backprop"), "alice", answers)
    path = tmp_path / "history.sqlite3"
    record_quiz(result, path)
    with Store(path) as store:
        (attempt,) = store.attempts()
    assert attempt.exercise == "quiz:backprop" and attempt.title == bank.load("backprop").title.en
    assert attempt.score == 6 and attempt.max_score == 7 and len(attempt.cases) == 7
    assert [c.name for c in attempt.cases if not c.passed] == ["mul-gate"]


def test_take_records_and_progress_shows_the_quiz(tmp_path: Path) -> None:
    store = tmp_path / "p.sqlite3"
    answers = list(_right("word2vec", "bob").values())
    res = runner.invoke(app, ["quiz", "take", "word2vec", "--student", "bob", "--store", str(store)],
                        input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["progress", "--store", str(store), "--json"])
    assert res.exit_code == 0, res.output
    assert "quiz:word2vec" in res.output or "word2vec" in json.dumps(json.loads(res.output)["quizzes"])


def test_take_no_record_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "none.sqlite3"
    answers = list(_right("word2vec", "bob").values())
    res = runner.invoke(app, ["quiz", "take", "word2vec", "--student", "bob", "--store", str(store),
                              "--no-record"], input="\n".join(answers) + "\n")
    assert res.exit_code == 0 and not store.exists()


def test_a_broken_store_fails_before_the_first_question(tmp_path: Path) -> None:
    bad = tmp_path / "broken.sqlite3"
    bad.write_bytes(b"not a database")
    res = runner.invoke(app, ["quiz", "take", "word2vec", "--student", "bob", "--store", str(bad)], input="")
    assert res.exit_code == 2 and "unreadable" in res.output and "1/6" not in res.output
    assert bad.read_bytes() == b"not a database"  # nothing saved is lost


def test_grade_with_store_records_every_file(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    lines = ['quiz = "activations"', 'student = "carol"', "[answers]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in _right("activations", "carol").items()]
    path.write_text("\n".join(lines), encoding="utf-8")
    store = tmp_path / "class.sqlite3"
    assert runner.invoke(app, ["quiz", "grade", str(path), "--store", str(store)]).exit_code == 0
    with Store(store) as history:
        assert [a.exercise for a in history.attempts()] == ["quiz:activations"]


def _secrets(public: str = "") -> list[str]:
    """Pieces of the answer keys a student must not see: explanations and the
    fixed numeric answers long enough not to occur by chance. Quotes from the
    course notes, and numbers the notes (``public``) print, are not secret:
    students read the notes, and the exercise docstrings teach from them."""
    out = []
    for quiz_id in bank.available():
        key = bank.load_key(quiz_id)
        assert key is not None
        for a in key.answers.values():
            out += [a.explanation.en[:40], a.explanation.zh[:20]]
            if a.value is not None and len(fmt(round(a.value, 4))) >= 4:
                out.append(fmt(round(a.value, 4)))
    return [s for s in out if s not in public]


def test_release_files_hold_no_answers(tmp_path: Path) -> None:
    written = write_quiz_release(bank.available(), tmp_path, "zh", students=["scan-student", "s2"])
    assert len(written) == 2 * 9 + 2 * 2 * 9
    secrets = _secrets()
    for path in written:
        text = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in text]
        assert not leaked, (path, leaked[:3])
        if path.name.endswith(".answers.toml"):
            assert set(tomllib.loads(text)["answers"].values()) == {""}
        if path.suffix == ".json":
            data = json.loads(text)
            assert set(data) == {"id", "title", "questions"}
            for q in data["questions"]:
                assert not {"answer", "value", "choice", "explanation", "quote", "function"} & set(q)
    own = (tmp_path / "quizzes" / "scan-student" / "cnn-shapes.md").read_text(encoding="utf-8")
    assert "卷积" in own and "```toml" in own


def test_the_student_facing_package_holds_no_answers(course_notes: Path) -> None:
    """grader/ ships to students: its bank and code must not contain the keys."""
    notes = course_notes
    public = "".join(p.read_text(encoding="utf-8") for p in sorted(notes.glob("*.txt")))
    secrets = _secrets(public)
    # grader/data/stubs are the exercise stubs every release hands out anyway (exercises/); their
    # docstrings teach from the notes (e.g. the feature-map size formula a quiz explanation quotes).
    files = [p for p in GRADER.rglob("*") if p.suffix in (".toml", ".py", ".json", ".md", ".txt")
             and not p.is_relative_to(GRADER / "data" / "stubs")]
    assert any(p.parent.name == "bank" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in text]
        assert not leaked, (path, leaked[:3])


def test_release_of_an_unknown_quiz_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="did you mean 'cnn-shapes'"):
        write_quiz_release(["cnn-shapes", "cnn-shape"], tmp_path)
    assert not (tmp_path / "quizzes").exists()


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A student release: the answer-key package is not installed."""
    monkeypatch.setattr(bank, "KEY_PACKAGE", "solutions_not_installed.quiz")
    bank.load_key.cache_clear()
    yield
    bank.load_key.cache_clear()


@pytest.mark.usefixtures("no_key")
def test_take_without_the_key_saves_answers_to_hand_in(tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    answers = _answers_before_key_removed
    res = runner.invoke(app, ["quiz", "take", "ml-basics", "--student", "dan", "--out", str(out)],
                        input="maybe\n" + "\n".join(answers.values()) + "\n")
    assert res.exit_code == 0, res.output
    assert "Could not read that" in res.output  # still re-asked
    assert "✔" not in res.output and "✘" not in res.output and "hand it in" in res.output
    res = runner.invoke(app, ["quiz", "grade", str(out)])
    assert res.exit_code == 2 and "not installed" in res.output
    bank.load_key.cache_clear()
    bank.KEY_PACKAGE = "solutions.quiz"  # now at the instructor's: the saved file grades fully
    assert runner.invoke(app, ["quiz", "grade", str(out)]).exit_code == 0


_answers_before_key_removed = _right("ml-basics", "dan")
