"""Runners for hosted graders (Gradescope, Classroom 50, PrairieLearn).

They grade in the platform's job and write the platform's result format.

May import: ``engine``, ``check``, ``sandbox``, ``submission``, ``errors``, ``models``.
"""
