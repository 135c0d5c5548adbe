"""What one case's child may leave for a later child, and how the zygote removes it.

Loaded by file name in the zygote (standard library only). When the child runs
as a dedicated uid (the grader runs as root), the zygote removes, when the case
ends, every System V shared memory segment, semaphore set and message queue
that uid owns, and every file it left in the world-writable folders (``/tmp``,
``/var/tmp``, ``/dev/shm``, ``/dev/mqueue``): nothing survives for the next
case. At start it also removes what the dedicated uids of graders that were
killed left (objects of a uid in dlgrade's range that no process runs as).
Without a dedicated uid, the child first tries to enter an IPC namespace of
its own (``unshare(CLONE_NEWIPC)``, possible where the zygote holds
CAP_SYS_ADMIN in its user namespace, e.g. non-root ``bwrap``), and the zygote
removes the IPC objects of its uid created during the case; the files of the
grader's own uid are not touched. (A namespace for every child would cost about
a quarter of a case at the ``process`` level as root, bench/bench_versions.py:
it creates an mqueue mount each time; the removal is cheaper.)
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import time

CLONE_NEWIPC = 0x08000000
IPC_RMID = 0
KINDS = ("shm", "sem", "msg")
SHARED_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue")

_libc: ctypes.CDLL | None = None
_clean: dict[str, int] = {}  # folder: its modification time when it was last cleaned


def _lib() -> ctypes.CDLL | None:
    global _libc
    if _libc is None and sys.platform.startswith("linux"):  # glibc's C library, loaded already
        with contextlib.suppress(OSError):
            _libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if _libc is None:
        # find_library runs ldconfig, gcc and objdump in turn (tens of ms; under bwrap,
        # without /etc/ld.so.cache, all of them): only where the name above is not libc's.
        from ctypes.util import find_library

        with contextlib.suppress(OSError, TypeError):
            _libc = ctypes.CDLL(find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def private_ipc() -> bool:
    """In the child, before the uid drop: a System V IPC namespace of its own, if allowed."""
    libc = _lib()
    return bool(libc is not None and hasattr(libc, "unshare") and libc.unshare(CLONE_NEWIPC) == 0)


def ipc_objects() -> set[tuple[str, int, int]]:
    """(kind, id, owner uid) of every System V IPC object visible here."""
    _lib()
    found: set[tuple[str, int, int]] = set()
    for kind in KINDS:
        try:
            with open(f"/proc/sysvipc/{kind}", encoding="ascii") as f:
                head = f.readline().split()
                rows = [line.split() for line in f]
        except OSError:
            continue
        if "uid" not in head:
            continue
        col_id = head.index({"shm": "shmid", "sem": "semid", "msg": "msqid"}[kind])
        col_uid = head.index("uid")
        found.update((kind, int(r[col_id]), int(r[col_uid])) for r in rows if len(r) > col_uid)
    return found


def _remove(kind: str, ident: int) -> None:
    libc = _lib()
    if libc is None:
        return
    if kind == "shm":
        libc.shmctl(ident, IPC_RMID, None)
    elif kind == "sem":
        libc.semctl(ident, 0, IPC_RMID)
    else:
        libc.msgctl(ident, IPC_RMID, None)


def remove_ipc(drop_uid: int | None, before: set[tuple[str, int, int]]) -> None:
    """Remove the SysV IPC objects a case left behind.

    With ``drop_uid``, all objects of that (dedicated) uid; without one, the objects of
    our own uid that were not there ``before`` the case.
    """
    uid = os.getuid() if drop_uid is None else drop_uid
    stale = [(k, i) for k, i, owner in ipc_objects() - before if owner == uid] if drop_uid is None \
        else [(k, i) for k, i, owner in ipc_objects() if owner == uid]
    if not stale:
        return
    as_root = drop_uid is not None and os.geteuid() == 0
    if as_root:  # IPC_RMID wants the owner (or CAP_SYS_ADMIN, which a container may not grant)
        os.seteuid(drop_uid)  # type: ignore[arg-type]
    try:
        for kind, ident in stale:
            _remove(kind, ident)
    finally:
        if as_root:
            os.seteuid(0)


def _running_uids() -> set[int]:
    uids = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            with contextlib.suppress(OSError):
                uids.add(os.stat(f"/proc/{pid}").st_uid)
    return uids


def remove_stale(low: int, high: int) -> None:
    """Remove the IPC objects of uids in ``[low, high)`` that no process runs as."""
    stale = [(k, i, owner) for k, i, owner in ipc_objects() if low <= owner < high]
    if not stale or os.geteuid() != 0:
        return
    alive = _running_uids()
    for kind, ident, owner in stale:
        if owner not in alive:
            os.seteuid(owner)
            try:
                _remove(kind, ident)
            finally:
                os.seteuid(0)


def remove_files(drop_uid: int | None) -> None:
    """Remove what the dedicated uid left in the folders every uid may write in."""
    if drop_uid is None:
        return
    for folder in SHARED_DIRS:
        try:
            if os.stat(folder).st_mtime_ns == _clean.get(folder):
                continue  # no entry was added or removed since it was last cleaned
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_uid != drop_uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
        with contextlib.suppress(OSError):
            # Remember the folder as clean only when its last change is well in the past: file
            # times tick coarsely, and a change after now must show as a later time.
            mtime = os.stat(folder).st_mtime_ns
            if time.time_ns() - mtime > 100_000_000:
                _clean[folder] = mtime
