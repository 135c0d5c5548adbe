"""The student's workflow and the instructor's ``selftest``, as library calls.

``dlgrade check`` covers folders, files, archives and notebooks.

May import: ``engine``, ``sandbox``, ``submission``, ``errors``, ``models``.
"""
