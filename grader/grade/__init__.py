"""Grading a class.

The roster, the parallel batch, the results folder, the gradebook, exports (CSV,
JSON, JUnit) and the class report's data.

May import: ``engine``, ``sandbox``, ``submission``, ``render``, ``errors``, ``models``.
"""
