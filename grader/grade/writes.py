"""Writing results and exports: atomic files, all-or-nothing sets, one clear line on failure.

A full disk or a read-only folder is the user's environment, not a dlgrade
bug: it becomes an :class:`OutputError` (a :class:`~grader.errors.UsageError`,
exit 2) naming the file and how to fix it. Temporary files are removed, so
nothing half-written is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from grader.errors import UsageError


class OutputError(UsageError):
    """A result or export could not be written (disk full, read-only, no permission)."""


def _fail(path: Path, exc: OSError) -> OutputError:
    why = exc.strerror or type(exc).__name__
    return OutputError(f"cannot write {path}: {why}; free some space or choose a writable folder "
                       "(results already written are complete: the same command resumes)")


def _stage(path: Path, text: str) -> Path:
    """``text`` in a fsynced temporary file beside ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _sync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, text: str) -> None:
    """Write, fsync, then rename over ``path``: readers see the old file or the new one.

    Raises:
        OutputError: the file cannot be written (nothing is left behind).
    """
    write_all_or_nothing({path: text})


def write_all_or_nothing(files: dict[Path, str]) -> None:
    """Write every file or none: all are staged first, then renamed into place.

    Raises:
        OutputError: one of them cannot be written; no file was replaced.
    """
    staged: dict[Path, Path] = {}
    current = next(iter(files), Path())
    try:
        for path, text in files.items():
            current = path
            staged[path] = _stage(path, text)
        for path, tmp in staged.items():
            current = path
            os.replace(tmp, path)
        for folder in {p.parent for p in staged}:
            _sync_dir(folder)
    except OSError as exc:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise _fail(current, exc) from None
