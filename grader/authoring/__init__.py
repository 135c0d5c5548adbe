"""The authoring room: what an instructor uses to write and audit exercises.

Course packs (exercises beside the built-in nine), the ``dlgrade new``
scaffold, and mutation analysis of a suite (``dlgrade mutate``: small bugs
planted in the reference's solution regions, graded by the suite in the
sandbox, to show which bugs the cases cannot see).

Imports point down: this room may import ``grader.engine``,
``grader.sandbox`` and ``grader.check``, never the command line.
"""
