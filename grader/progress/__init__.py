"""A student's history.

The SQLite store of attempts and the progress summary (best, latest, first pass,
what to try next).

May import: ``errors``, ``models``, ``engine.registry``.
"""
