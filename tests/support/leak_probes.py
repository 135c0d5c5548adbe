"""A writer and a reader submission for the cross-student leak tests (issue 12, item 1).

Both are the correct knn with extra code. The writer leaves its marks wherever a
later child might look: its source text (a marker repeated, for the zygote's heap),
a System V shared memory segment, semaphore set and message queue under a fixed
key, and files in the folders every uid may write in. The reader looks in all of
those places, walks ``gc.get_objects()`` and scans every anonymous readable
mapping of its own memory (with ctypes) for the ``LEAKPROBE:`` prefix;
``compute_distances_one_loop`` then raises naming what it found, so a leak
fails the reader's one_loop cases (and only those).
"""

from __future__ import annotations

from tests.support.sandbox_support import REFERENCE

SOURCE_MARKER = "writer-source-91c2e07f"  # appears only in the writer's source text
IPC_MARKER = "writer-ipc-4d2a7be1"  # only the writer's running code produces it
SELF_MARKER = "self-check-ok"  # in the reader's own source: proves the heap scan works

_COMMON = '''
import ctypes as _ct, os as _os, struct as _st
_libc = _ct.CDLL(None, use_errno=True)
_libc.shmat.restype = _ct.c_void_p
_KEY = 0x5EC12
'''

WRITER = REFERENCE + _COMMON + "\n".join(
    f"# LEAKPROBE:{SOURCE_MARKER} line {i}" for i in range(400)) + f'''
_DATA = ("writer-" + "ipc-4d2a7be1").encode()  # built at run time: {IPC_MARKER!r} is not in the text

def _leave_marks():
    shm = _libc.shmget(_KEY, 4096, 0o1666)
    if shm >= 0:
        addr = _libc.shmat(shm, None, 0)
        if addr and addr != _ct.c_void_p(-1).value:
            _ct.memmove(addr, _DATA, len(_DATA))
    _libc.semget(_KEY, 1, 0o1666)
    queue = _libc.msgget(_KEY, 0o1666)
    if queue >= 0:
        buf = _ct.create_string_buffer(8 + len(_DATA))
        _st.pack_into("q", buf, 0, 1)
        buf[8:8 + len(_DATA)] = _DATA
        _libc.msgsnd(queue, buf, len(_DATA), 0o4000)
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        try:
            path = _os.path.join(folder, "leakprobe-drop")
            with open(path, "wb") as fh:
                fh.write(_DATA)
            _os.chmod(path, 0o666)
        except OSError:
            pass

_leave_marks()
'''

READER = REFERENCE + _COMMON + f'''
_SELF = "LEAKPROBE:{SELF_MARKER}"
_orig_one_loop = compute_distances_one_loop

def _heap_markers():
    """The 24 bytes after each LEAKPROBE: prefix in anonymous readable memory."""
    found = set()
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for parts in regions:
        if not parts[1].startswith("r") or (len(parts) > 5 and not parts[5].startswith("[heap")):
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        for at in range(start, end, 1 << 22):
            chunk = _ct.string_at(at, min(1 << 22, end - at))
            pos = chunk.find(b"LEAKPROBE:")
            while pos >= 0:
                found.add(chunk[pos + 10: pos + 34].split(b" ")[0])
                pos = chunk.find(b"LEAKPROBE:", pos + 1)
            del chunk
    return found

def _look():
    seen = []
    shm = _libc.shmget(_KEY, 0, 0)
    if shm >= 0:
        addr = _libc.shmat(shm, None, 0o10000)
        seen.append(("shm", _ct.string_at(addr, 32) if addr and addr != _ct.c_void_p(-1).value else b"?"))
    if _libc.semget(_KEY, 0, 0) >= 0:
        seen.append(("sem", b""))
    queue = _libc.msgget(_KEY, 0)
    if queue >= 0:
        buf = _ct.create_string_buffer(128)
        got = _libc.msgrcv(queue, buf, 100, 0, 0o4000)
        seen.append(("msg", buf.raw[8:8 + max(got, 0)]))
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        path = _os.path.join(folder, "leakprobe-drop")
        if _os.path.exists(path):
            seen.append(("file", path.encode()))
    import gc
    needle = {SOURCE_MARKER[::-1]!r}[::-1]  # reversed in the text, built at run time
    for obj in gc.get_objects():  # live containers and the strings they hold
        items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()
        for item in items:
            if isinstance(item, (str, bytes)) and needle in str(item):
                seen.append(("gc", str(item)[:40].encode()))
    heap = _heap_markers()
    if not any(m.startswith(b"self-check") for m in heap):
        raise AssertionError("the heap scan is broken: it did not find the reader's own marker")
    seen.extend(("heap", m) for m in heap if m.startswith(b"writer"))
    return seen

def compute_distances_one_loop(X_train, X):
    seen = _look()
    if seen:
        raise RuntimeError("LEAK " + repr(seen)[:300])
    return _orig_one_loop(X_train, X)
'''
