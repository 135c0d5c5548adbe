"""A knn submission that tries to read files it must not (issue 12, item 6).

The correct knn, except that ``compute_distances_one_loop`` first tries to read
each path in ``paths`` and looks for ``marker`` in every process's command line
and environment; it raises ``RuntimeError("READ [...]")`` naming what it could
read. So it scores full marks exactly when it could read nothing.
"""

from __future__ import annotations

from tests.support.sandbox_support import REFERENCE


def snooper(paths: list[str], marker: str) -> str:
    return REFERENCE + f'''
import os as _os
_orig_one_loop = compute_distances_one_loop
_PATHS = {paths!r}
_MARKER = {marker.encode()[::-1]!r}[::-1]  # reversed in the text: only a real leak matches

def _snoop():
    got = []
    for path in _PATHS:
        try:
            with open(path, "rb") as fh:
                fh.read(100)
            got.append(path)
        except OSError:
            pass
    pids = [p for p in _os.listdir("/proc") if p.isdigit()]
    for path in ["/proc/" + p + "/" + f for p in pids for f in ("cmdline", "environ")]:
        try:
            with open(path, "rb") as fh:
                if _MARKER in fh.read():
                    got.append(path)
        except OSError:
            pass
    return got

def compute_distances_one_loop(X_train, X):
    got = _snoop()
    if got:
        raise RuntimeError("READ " + repr(got)[:300])
    return _orig_one_loop(X_train, X)
'''
