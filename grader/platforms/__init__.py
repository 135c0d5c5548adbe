"""Runners for hosted graders (Gradescope, GitHub Classroom).

They grade in the platform's container and write the platform's result format.

May import: ``engine``, ``check``, ``sandbox``, ``submission``, ``errors``, ``models``.
"""
