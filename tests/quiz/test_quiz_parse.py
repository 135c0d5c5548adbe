"""Reading typed answers: numbers in several notations, choice letters, and
clear errors (never a wrong answer) for input that is not an answer at all."""

from __future__ import annotations

import pytest

from grader.quiz.models import Question
from grader.quiz.parse import ParseError, parse_number, parse_response


@pytest.mark.parametrize("raw", ["3/4", "0.75", "7.5e-1", " 75% ", ".75", "+0.75", "3 / 4", "０.７５", "6/8",
                                 "7.5E-1", "75e-2"])
def test_three_quarters_in_every_notation(raw: str) -> None:
    assert parse_number(raw) == pytest.approx(0.75, abs=1e-15)


@pytest.mark.parametrize(("raw", "value"), [("-2", -2.0), ("−2", -2.0), ("1e3", 1000.0), ("-1/3", -1 / 3),
                                            ("1.5/3", 0.5), ("86704128", 86704128.0),
                                            ("8.6704128e7", 86704128.0)])
def test_numbers(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(("raw", "says"), [("", "empty"), ("abc", "not a number"),
                                           ("1/0", "divides by zero"),
                                           ("inf", "not a number"), ("nan", "not a number"),
                                           ("1,000", "thousands"), ("1/2/3", "not a number"),
                                           ("0x10", "not")])
def test_unparsable_numbers_say_how_to_answer(raw: str, says: str) -> None:
    with pytest.raises(ParseError, match=says):
        parse_number(raw)


def _choice(kind: str) -> Question:
    return Question.model_validate({
        "id": "q", "kind": kind, "text": {"en": "?", "zh": "？"},
        "choices": [{"en": x, "zh": x} for x in "wxyz"],
        "see": {"file": "002_8df49b0a5c64663c.txt", "section": "s"}})


@pytest.mark.parametrize("raw", ["b", "B", "(b)", " b. ", "ｂ", "[B]"])
def test_single_choice_letters(raw: str) -> None:
    assert parse_response(_choice("single"), raw) == "b"


@pytest.mark.parametrize("raw", ["a, c", "a,c", "A C", "ac", "c;a", "a/c", "a、c", "a，c"])
def test_multiple_choice_letters(raw: str) -> None:
    assert parse_response(_choice("multiple"), raw) == frozenset({"a", "c"})


@pytest.mark.parametrize(("kind", "raw"), [("single", "e"), ("single", "a, b"), ("single", "1"),
                                           ("single", ""), ("multiple", "a, x"), ("multiple", "")])
def test_bad_choices_are_not_answers(kind: str, raw: str) -> None:
    with pytest.raises(ParseError, match="letter"):
        parse_response(_choice(kind), raw)
