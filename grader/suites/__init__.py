"""The built-in exercise suites.

One module per exercise, each declaring one ``EXERCISE`` with the public API
(``grader.api``).

May import: ``grader.engine`` (suite vocabulary, checks, gradient probes).
"""
