"""Quizzes: a question bank from the course notes, per-student variants of
numeric questions, grading with stated tolerances, sheets and LMS exports.

Student side: ``grader/quiz/bank/<quiz-id>.toml`` (texts, choices, parameter
ranges). Instructor side: ``solutions/quiz/<quiz-id>.toml`` (answers,
explanations, quotes) and ``solutions/quiz/functions.py`` (answer functions).
"""

from grader.quiz.release import record_quiz, write_quiz_release

__all__ = ["record_quiz", "write_quiz_release"]
