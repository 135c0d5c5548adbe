"""Grading quiz answers against the instructor's key.

A wrong or unreadable answer is a graded result (a CaseResult), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.errors import UsageError
from grader.models import CaseResult, ExerciseResult, Verdict
from grader.quiz import bank
from grader.quiz.draw import Num, draw, fields, fmt, render
from grader.quiz.models import Answer, Key, Lang, Question, Quiz
from grader.quiz.notes import cite
from grader.quiz.parse import ParseError, Response, parse_response

Expected = float | str | frozenset[str]


def expected(question: Question, answer: Answer, params: dict[str, float]) -> Expected:
    """The expected answer for the drawn numbers ``params``: a number, a set of letters or a letter."""
    if answer.function is not None:
        return float(bank.answer_functions()[answer.function](**params)) + 0.0  # no "-0"
    if answer.value is not None:
        return float(answer.value)
    if answer.choices is not None:
        return frozenset(answer.choices)
    return str(answer.choice)


def show(value: Expected | Response) -> str:
    """An answer as a student would type it."""
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, float):
        return fmt(round(value, 6)) if abs(value) >= 1e-4 or value == 0 else f"{value:.6g}"
    return value


def explain(answer: Answer, params: dict[str, float], value: Expected, lang: Lang) -> str:
    """The explanation in ``lang``, with the numbers and the answer filled in."""
    values: dict[str, object] = dict(fields(params))
    values["answer"] = Num(value) if isinstance(value, float) else value
    return answer.explanation(lang).format_map(values)


def is_correct(question: Question, got: Response, want: Expected) -> bool:
    """Whether a parsed response is right (numbers within the question's tolerance)."""
    if question.kind == "numeric":
        return isinstance(got, float) and isinstance(want, float) and question.tolerance.accepts(got, want)
    return got == want


@dataclass(frozen=True)
class Marked:
    """One graded question: what was expected, whether the response hit it, why."""

    question: Question
    params: dict[str, float]
    expected: Expected
    correct: bool
    explanation: str
    got: str

    def case(self, lang: Lang) -> CaseResult:
        """The graded question as a case result: points, verdict and the explanation."""
        pts = self.question.points
        prefix = "" if self.correct else f"expected {show(self.expected)}, got {self.got or '(no answer)'}. "
        return CaseResult(name=self.question.id, description=render(self.question, self.params, lang),
                          points=pts if self.correct else 0.0, max_points=pts,
                          verdict=Verdict.PASSED if self.correct else Verdict.WRONG_VALUE,
                          message=f"{prefix}{self.explanation} {cite(self.question.see, lang)}.")


def mark(quiz: Quiz, key: Key, question: Question, student: str, raw: str | None, lang: Lang,
         strict: bool = False) -> Marked:
    """Grade one typed answer.

    ``strict`` re-raises ParseError (the interactive flow re-asks); otherwise
    unreadable input is simply a wrong answer.
    """
    params = draw(quiz.id, question, student)
    answer = key.answers[question.id]
    want = expected(question, answer, params)
    correct = False
    got = "" if raw is None else raw.strip()
    if raw is not None and (raw.strip() or strict):
        try:
            response = parse_response(question, raw)
            correct = is_correct(question, response, want)
            got = show(response)
        except ParseError as exc:
            if strict:
                raise
            got = f"{raw.strip()!r} ({exc})"
    return Marked(question, params, want, correct, explain(answer, params, want, lang), got)


def require_key(quiz: Quiz) -> Key:
    """The answer key of ``quiz``.

    Raises:
        UsageError: The key is not installed here (it stays with the instructor).
    """
    key = bank.load_key(quiz.id)
    if key is None:
        raise UsageError(f"the answer key of quiz {quiz.id!r} is not installed here (it stays with the "
                         "instructor); hand in your answer file, or grade where the solutions are installed")
    return key


def grade_answers(quiz: Quiz, student: str, responses: dict[str, str], lang: Lang = "en",
                  submission: str = "") -> ExerciseResult:
    """A whole filled-in sheet as an ExerciseResult (``exercise = "quiz:<id>"``)."""
    key = require_key(quiz)
    unknown = sorted(set(responses) - {q.id for q in quiz.questions})
    if unknown:
        raise UsageError(f"quiz {quiz.id!r} has no question {unknown[0]!r}; "
                         f"make a fresh sheet with 'dlgrade quiz sheet {quiz.id} --student {student}'")
    cases = [mark(quiz, key, q, student, responses.get(q.id), lang).case(lang) for q in quiz.questions]
    return ExerciseResult(exercise=f"quiz:{quiz.id}", title=quiz.title(lang),
                          submission=submission or student, cases=cases)
