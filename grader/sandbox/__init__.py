"""The sandbox: a pre-imported zygote forks an untrusted child per case.

Isolation levels (bubblewrap, unshare, process, plain), the wire protocol, checked
outputs.

``zygote.py``, ``execute.py``, ``protocol.py`` and ``limits.py`` also run inside the
child, loaded by file name: they import nothing from ``grader``.
May import: ``grader.errors``. Nothing above it.
"""
