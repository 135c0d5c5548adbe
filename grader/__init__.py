"""dlgrade: auto-graded deep-learning exercises and quizzes."""

__version__ = "0.1.0"
