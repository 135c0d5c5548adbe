"""The student's workflow: ``dlgrade check`` (folders, files, archives,
notebooks) and the instructor's ``selftest``, as library calls.

May import: ``engine``, ``sandbox``, ``submission``, ``errors``, ``models``.
"""
