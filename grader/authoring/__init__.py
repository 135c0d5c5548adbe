"""The authoring room: what an instructor uses to write and audit exercises.

The ``dlgrade new`` scaffold, and mutation analysis of a suite (``dlgrade
mutate``: small bugs planted in the reference's solution regions, graded by
the suite in the sandbox, to show which bugs the cases cannot see). Course
packs themselves are loaded by ``grader.engine.courses`` (the registry needs
them), and their helpers are in the public facade ``grader.api``.

Imports point down: this room may import ``grader.engine``, ``grader.sandbox``
and ``grader.check``, never the command line.
"""
