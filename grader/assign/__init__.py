"""Building a student release.

Stubs, notebooks, public fixtures, sealed mistakes, the manifest, wheels, and the
autograder bundles for hosted platforms.

May import: ``engine``, ``check`` (selftest before a release), ``submission``,
``platforms`` (the runner files it bundles), ``quiz``, ``render``, ``errors``, ``models``.
"""
