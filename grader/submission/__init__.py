"""Reading submissions.

The one reader of folders, single ``.py`` files, notebooks (``.ipynb``), zip and
tar archives, producing a ``Source`` (text) or a ``SourceProblem`` (a verdict for
the student).

May import: ``grader.errors``, ``grader.records``, ``grader.models``. Nothing above it.
"""
