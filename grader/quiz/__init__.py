"""Quizzes.

A question bank from the course notes, per-student variants of numeric questions,
grading with stated tolerances, sheets and LMS exports.

Student side: ``grader/quiz/bank/<quiz-id>.toml`` (texts, choices, parameter
ranges). Instructor side: ``solutions/quiz/<quiz-id>.toml`` (answers,
explanations, quotes) and ``solutions/quiz/functions.py`` (answer functions).

May import: ``grader.errors``, ``grader.models``, ``grader.progress`` (to record a quiz),
``grader.submission`` (to read answer notebooks with limits).
"""
