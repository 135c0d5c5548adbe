"""Instructor side of the quizzes: answer keys (``<quiz-id>.toml``) and the
answer functions of parametrized questions (:mod:`solutions.quiz.functions`).
Never part of a student release."""
