"""Per-student numbers: reproducible from the student id, different between
students, always inside the stated ranges, and tied to the course secret."""

from __future__ import annotations

import pytest

from grader.quiz import bank
from grader.quiz.draw import draw, fmt, render, variants


def _conv():  # type: ignore[no-untyped-def]
    return bank.load("cnn-shapes").question("conv-output")


def test_same_student_same_numbers_and_text() -> None:
    q = _conv()
    assert draw("cnn-shapes", q, "alice") == draw("cnn-shapes", q, "alice")
    assert render(q, draw("cnn-shapes", q, "alice"), "zh") == render(q, draw("cnn-shapes", q, "alice"), "zh")


def test_students_get_different_conv_layers() -> None:
    q = _conv()
    layers = {tuple(draw("cnn-shapes", q, f"student-{i}").values()) for i in range(40)}
    assert len(layers) >= 30  # 58*5*3*4 = 3480 possible layers


def test_numbers_stay_in_their_ranges(all_questions: list[tuple[str, str]]) -> None:
    for quiz, qid in all_questions:
        q = bank.load(quiz).question(qid)
        for student in ("a", "b", "c"):
            for name, value in draw(quiz, q, student).items():
                assert value in q.params[name].options()
                p = q.params[name]
                if p.low is not None and p.high is not None:
                    assert p.low <= value <= p.high


def test_the_course_secret_changes_the_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    q = _conv()
    default = [draw("cnn-shapes", q, f"s{i}") for i in range(10)]
    monkeypatch.setenv("DLGRADE_QUIZ_SECRET", "course-2026-spring")
    assert [draw("cnn-shapes", q, f"s{i}") for i in range(10)] != default


def test_rendered_text_has_no_placeholder_left(all_questions: list[tuple[str, str]]) -> None:
    for quiz, qid in all_questions:
        q = bank.load(quiz).question(qid)
        for lang in ("en", "zh"):
            text = render(q, draw(quiz, q, "alice"), lang)
            assert "{" not in text.replace("{Milk", "") and "⟨" not in text


def test_export_variants_are_distinct() -> None:
    vs = variants("cnn-shapes", _conv(), 12)
    assert len(vs) == 12 and len({tuple(v.values()) for v in vs}) == 12
    # a question with few possible parameter sets yields as many as exist
    assert len(variants("word2vec", bank.load("word2vec").question("hierarchical"), 50)) == 6


@pytest.mark.parametrize(("x", "shown"), [(3.0, "3"), (0.5, "0.5"), (1e-8, "1e-08"), (-2.0, "-2"),
                                         (0.001, "0.001")])
def test_numbers_read_naturally(x: float, shown: str) -> None:
    assert fmt(x) == shown
