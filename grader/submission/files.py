"""Reading untrusted files safely: regular files only, sizes checked before reading.

Every byte of a submission is read through :func:`open_regular`: ``lstat``
first (a link, FIFO, socket or device is refused without being opened), then
``open`` with ``O_NOFOLLOW`` and ``O_NONBLOCK`` (a FIFO swapped in after the
``lstat`` cannot block, a link cannot be followed), then ``fstat`` on the open
descriptor: it must be the same regular file, with one name, no larger than
the limit. Only then is anything read, and never more than the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from grader.frozen import frozen

MAX_ENTRIES = 10_000  # files and folders walked in one submission folder
MAX_DEPTH = 8
SKIPPED = ("__MACOSX", "__pycache__")
# what grader.submission.archive reads (here, so naming one does not import tarfile and zipfile)
ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def is_archive(name: str) -> bool:
    """Whether a file name is one of the archive kinds a submission may be."""
    return name.lower().endswith(ARCHIVES)


def archive_stem(name: str) -> str:
    """``alice.tar.gz`` -> ``alice``."""
    lower = name.lower()
    for suffix in sorted(ARCHIVES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


class Refused(ValueError):
    """A file that is not read; the message says why and how to fix it (one line)."""


def describe(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, words in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
                        (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return words
    return "not a regular file"


def _refuse_mode(label: str, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"{label} is {describe(st.st_mode)}; a submission holds only regular files: "
                      "put the file itself there")
    if st.st_nlink > 1:
        raise Refused(f"{label} is a hard link ({st.st_nlink} names for one file); submit a copy of the file")


def open_regular(path: Path, limit: int, label: str | None = None, dir_fd: int | None = None) -> BinaryIO:
    """Open ``path`` for reading, if it is a regular file of at most ``limit`` bytes.

    ``path`` is relative to the open folder ``dir_fd`` when given.

    Raises:
        Refused: a link, FIFO, device, socket, hard link, a file over ``limit``
            bytes, or a file that cannot be opened.
    """
    label = label or str(path)
    try:
        before = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise Refused(f"{label} does not exist") from None
    except OSError as exc:
        raise Refused(f"cannot read {label}: {exc.strerror}") from None
    _refuse_mode(label, before)
    try:
        fd = os.open(path, _FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        raise Refused(f"cannot read {label}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        _refuse_mode(label, st)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise Refused(f"{label} changed while it was being read; submit it again")
        if st.st_size > limit:
            raise Refused(f"{label} is {st.st_size} bytes; the limit is {limit}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_inside(root: Path, rel: PurePosixPath, limit: int, label: str) -> bytes:
    """The bytes of the regular file ``root/rel``, every folder on the way opened with ``O_NOFOLLOW``.

    A folder swapped for a link after :func:`walk` is refused too.
    """
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(root, _DIR_FLAGS))
            for part in rel.parts[:-1]:
                fds.append(os.open(part, _DIR_FLAGS, dir_fd=fds[-1]))
        except OSError as exc:
            raise Refused(f"cannot read {label}: {exc.strerror} (a folder on its way is a link?)") from None
        with open_regular(Path(rel.name), limit, label, dir_fd=fds[-1]) as fh:
            data = fh.read(limit + 1)
    finally:
        for fd in fds:
            os.close(fd)
    if len(data) > limit:
        raise Refused(f"{label} is over {limit} bytes; the limit is {limit}")
    return data


def read_regular(path: Path, limit: int, label: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`)."""
    with open_regular(path, limit, label) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew after the fstat
        raise Refused(f"{label or path} is over {limit} bytes; the limit is {limit}")
    return data


@frozen
class Entry:
    """One file of a submission: a regular file, or something refused ("link", "special")."""

    path: PurePosixPath
    kind: str = "file"  # file | link | special
    size: int = 0
    what: str = ""  # for refused entries: "a symbolic link", "a device", ...


def walk(root: Path) -> list[Entry]:
    """Every file in the folder ``root``, links and special files included but never followed.

    Hidden names and ``__MACOSX``/``__pycache__`` are skipped.

    Raises:
        Refused: ``root`` is itself a link or not a folder, or holds too many files.
    """
    try:
        st = os.lstat(root)
    except OSError as exc:
        raise Refused(f"cannot read {root}: {exc.strerror}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(f"{root} is {describe(st.st_mode)}, not a folder; a submission holds only "
                      "regular files and folders")
    found: list[Entry] = []
    todo: list[tuple[Path, PurePosixPath]] = [(root, PurePosixPath())]
    seen = 0
    while todo:
        folder, rel = todo.pop(0)
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise Refused(f"cannot read {folder}: {exc.strerror}") from None
        for item in items:
            if item.name.startswith(".") or item.name in SKIPPED:
                continue
            seen += 1
            if seen > MAX_ENTRIES:
                raise Refused(f"{root} holds more than {MAX_ENTRIES} files; submit only your exercises")
            try:
                st = item.stat(follow_symlinks=False)
            except OSError as exc:  # gone or unreadable while it was listed
                raise Refused(f"cannot read {item.path}: {exc.strerror}") from None
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                if len(rel.parts) < MAX_DEPTH:
                    todo.append((Path(item.path), rel / item.name))
            elif stat.S_ISREG(mode):
                found.append(Entry(rel / item.name, "file", st.st_size))
            else:
                kind = "link" if stat.S_ISLNK(mode) else "special"
                found.append(Entry(rel / item.name, kind, 0, describe(mode)))
    return found
