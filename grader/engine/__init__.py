"""The grading engine.

The suite vocabulary, comparison, gradient checks, seeds, the registry of exercises,
expectations (reference | release fixtures | cached), known mistakes, and
``grade_exercise`` itself.

May import: ``grader.errors``, ``grader.records`` (the results it builds),
``grader.models`` (only where a validated model is asked for), ``grader.sandbox``
(to run cases) and ``grader.submission.source`` (the ``Source`` it grades). Never
the CLI, renderers or a workflow room.
"""
