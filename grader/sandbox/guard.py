"""Below full isolation: files the dropped uid must not read, and making them unreadable.

At the ``unshare``, ``process`` and ``plain`` levels the child sees the
machine's own file system. When the grader runs as root, the child runs as a
dedicated uid that owns nothing and belongs to no group, so only the "other"
permission bits decide what it can read. Before such a zygote starts,
``shield`` removes those bits from the instructor's files (the reference
solutions and hidden cases, wherever Python finds the ``solutions`` package,
and any path the caller names, such as the class's submissions or the results
folder): the trusted grader, as root, still reads them. Without root there is
no other uid to run as, and nothing here can help (the README says so).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import stat
from collections.abc import Iterable
from pathlib import Path

SANDBOX_DIR = Path(__file__).parent


def others_can_reach(path: Path) -> bool:
    """Whether a uid that neither owns ``path`` nor is in its group could read it (mode bits)."""
    try:
        real = path.resolve(strict=True)
        for folder in reversed(real.parents):
            if not folder.stat().st_mode & stat.S_IXOTH:
                return False
        mode = real.stat().st_mode
    except OSError:
        return False
    need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
    return mode & need != 0


def instructor_paths() -> list[Path]:
    """Where the reference solutions and the instructor data live on this machine."""
    found = [SANDBOX_DIR.parent.parent / "solutions"]
    with contextlib.suppress(ImportError, ValueError):
        spec = importlib.util.find_spec("solutions")  # located, not imported
        if spec is not None:
            found.extend(Path(p) for p in spec.submodule_search_locations or ())
    return list(dict.fromkeys(p.resolve() for p in found if p.exists()))


def shield(paths: Iterable[Path]) -> list[str]:
    """As root: make each path that others could read unreadable by them (``chmod o-rwx``).

    Returns the paths changed. Without root this changes nothing (the child then
    runs as the grader's own uid, which can read whatever the grader can).
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    changed = []
    for path in paths:
        if others_can_reach(path):
            with contextlib.suppress(OSError):
                real = path.resolve()
                os.chmod(real, stat.S_IMODE(real.stat().st_mode) & ~0o007)
                changed.append(str(real))
    return changed


def secret_on_command_line(secret: str) -> bool:
    """Whether ``secret`` is in this process's command line, which every uid can read in /proc."""
    try:
        with open("/proc/self/cmdline", "rb") as f:
            line = f.read()
    except OSError:
        import sys

        line = "\0".join(sys.argv).encode()
    return bool(secret) and secret.encode() in line
