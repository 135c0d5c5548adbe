"""The sandbox: a pre-imported zygote forks an untrusted child per exercise of a submission.

Isolation levels (bubblewrap, unshare, process, plain), the wire protocol, checked
outputs; ``warm`` and ``holder``: the opt-in warm zygote a check may borrow (``DLGRADE_WARM=1``).

``zygote.py``, ``answer.py``, ``execute.py``, ``protocol.py``, ``arrays.py``,
``leftovers.py`` and ``limits.py`` also run inside the child, loaded by file name:
they import nothing from ``grader``.
May import: ``grader.errors``. Nothing above it.
"""
