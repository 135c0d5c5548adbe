"""How strongly this machine lets the sandbox isolate student code, and the zygote's command line.

Levels, strongest first:

- ``bwrap``: bubblewrap gives the zygote new network, PID, IPC, UTS and mount
  namespaces; the file system it sees holds only the Python install (its
  site-packages hidden), numpy, the sandbox modules and a small private /tmp.
- ``unshare``: util-linux ``unshare`` (root only): network and PID namespaces,
  but the file system as it is.
- ``process``: a separate process with rlimits and a watchdog, nothing more.
- ``plain``: the unhardened baseline (no scratch directory, no process or file
  limits, site-packages importable), kept only to measure what hardening costs.

Every level, ``plain`` included, drops to a dedicated unprivileged uid when the
grader runs as root. ``portable`` (``grader.sandbox.portable``) is for systems without fork or
``resource`` (Windows), chosen there automatically. ``DLGRADE_SANDBOX`` (auto, bwrap, unshare,
process, plain, portable)
overrides the choice.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import signal
import site
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from grader.errors import UsageError

ENV = "DLGRADE_SANDBOX"
TAG_PREFIX = "dlgrade-sbx-"  # then the grader's pid and a serial: on every sandbox process's command line
LEVELS = ("bwrap", "unshare", "process", "plain", "portable")
SANDBOX_DIR = Path(__file__).parent
TMP_SIZE = 64 * 1024**2
UID_BASE = 1_700_000_000  # far above any real account
_serial = itertools.count()

DESCRIPTIONS = {
    "bwrap": "isolated: bubblewrap namespaces (no network, own PIDs, read-only minimal file system)",
    "unshare": "partly isolated: no network and own PIDs, but the file system is readable",
    "process": "not isolated: separate process with resource limits and a watchdog",
    "plain": "not hardened: separate process, benchmark baseline only",
    "portable": "not isolated: portable level (a process per case, wall-clock limit only)",
}


class LevelUnavailable(UsageError):
    """A level that was asked for explicitly cannot work on this machine."""


class Launch(NamedTuple):
    """Everything needed to start a zygote at one isolation level.

    A named tuple, not a dataclass: a launcher that starts the zygote before anything
    else is imported should not pay for ``dataclasses`` (and ``inspect``) first.
    """

    level: str
    argv: list[str]
    tag: str  # unique marker on the zygote's command line (and so its children's)
    drop_uid: int | None
    config: str  # one JSON line sent on the zygote's stdin, so no child can read it in /proc
    fd_args: list[str]  # bwrap options, passed through a pipe (--args) to keep host paths out of /proc

    @property
    def description(self) -> str:
        """What the level isolates, in words."""
        return DESCRIPTIONS[self.level]


def candidates(choice: str | None = None) -> list[str]:
    """Levels to try, strongest first; an explicit choice is the only candidate."""
    choice = (choice or os.environ.get(ENV) or "auto").strip().lower()
    if choice != "auto":
        if choice not in LEVELS:
            raise LevelUnavailable(f"{ENV}={choice!r}: use one of auto, {', '.join(LEVELS)}")
        return [choice]
    if not hasattr(os, "fork") or importlib.util.find_spec("resource") is None:
        return ["portable"]  # Windows (or a Python without fork/resource): grader.sandbox.portable
    levels = []
    if sys.platform.startswith("linux"):
        if _which("bwrap"):
            levels.append("bwrap")
        if _is_root() and _which("unshare"):
            levels.append("unshare")
    return [*levels, "process"]


def _which(name: str) -> str | None:
    """``shutil.which`` for a plain program name (shutil would import bz2 and lzma before the spawn)."""
    for folder in os.get_exec_path():
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _tool(name: str) -> str:
    """The absolute path of a namespace tool: the zygote gets a fixed PATH of its own."""
    path = _which(name)
    if path is None:
        raise FileNotFoundError(f"{name} is not on PATH")
    return path


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _numpy_dirs() -> list[Path]:
    spec = importlib.util.find_spec("numpy")  # located, not imported: start() must stay cheap
    assert spec is not None and spec.origin is not None, "numpy is a dependency of dlgrade"
    pkg = Path(spec.origin).resolve().parent
    libs = pkg.with_name("numpy.libs")  # bundled OpenBLAS of the wheels
    return [pkg, libs] if libs.is_dir() else [pkg]


def _hidden_paths() -> list[Path]:
    """Places that may hold the grader, solutions or secrets."""
    prefixes = list(dict.fromkeys([sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]))
    paths = [*site.getsitepackages(prefixes), site.getusersitepackages(), str(Path.home()),
             str(SANDBOX_DIR.parent.parent), sys.prefix]
    return [Path(p).resolve() for p in paths if p and Path(p).exists()]


def _probes() -> list[str]:
    """Files that exist here and must not be visible from inside the sandbox."""
    repo = SANDBOX_DIR.parent.parent
    paths = [SANDBOX_DIR.parent / "__init__.py", repo / "solutions", Path(sys.prefix) / "pyvenv.cfg"]
    python = str(Path(sys.base_prefix).resolve())
    for folder in (f for f in _hidden_paths() if f.is_dir()):
        with os.scandir(folder) as entries:
            for entry in entries:  # one entry that is not on the way to the Python install
                if not python.startswith(entry.path + os.sep) and python != entry.path:
                    paths.append(Path(entry.path))
                    break
    return [str(p) for p in paths if p.exists()]


def launch(level: str) -> Launch:
    """The command line starting a zygote at ``level``."""
    serial = next(_serial)
    tag = f"{TAG_PREFIX}{os.getpid()}-{serial}"
    harden = level != "plain"
    # Even the plain baseline never runs student code as root: as root in the machine's own
    # PID namespace, a single os.kill(-1, SIGKILL) would take down every process on it.
    drop = UID_BASE + (os.getpid() * 64 + serial) % 100_000_000 if _is_root() else None
    if level == "bwrap":
        python = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
        zygote, path = "/sbx/sandbox/zygote.py", ["/sbx/lib"]
        prefix, fd_args, scratch = [_tool("bwrap"), "--"], _bwrap_args(), "/tmp"
    else:
        python, zygote = sys.executable, str(SANDBOX_DIR / "zygote.py")
        path, prefix, scratch, fd_args = [str(_numpy_dirs()[0].parent)], [], "", []
        if level == "unshare":
            prefix = [_tool("unshare"), "--net", "--pid", "--ipc", "--uts", "--fork",
                      "--kill-child", "--"]
    config = {"path": path, "harden": harden, "drop_uid": drop, "scratch": scratch,
              "probe": _probes(), "tag": tag, "uid_range": [UID_BASE, UID_BASE + 100_000_000]}
    flags = ["-I", "-S"] if harden else ["-I"]
    return Launch(level, [*prefix, python, *flags, zygote, tag], tag, drop, json.dumps(config), fd_args)


def _bwrap_args() -> list[str]:
    args = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent"]
    made: set[str] = {"/"}

    def parents(dest: Path) -> None:
        for parent in reversed(dest.parents):
            if str(parent) not in made:
                made.add(str(parent))
                args.extend(["--perms", "0755", "--dir", str(parent)])

    roots: list[Path] = []
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args.extend(["--symlink", os.readlink(top), str(top)])
        elif top.is_dir():
            args.extend(["--ro-bind", str(top), str(top)])
            roots.append(top)
    base = Path(sys.base_prefix).resolve()
    if not any(base.is_relative_to(r) for r in roots):
        parents(base)
        args.extend(["--ro-bind", str(base), str(base)])
        roots.append(base)
    for hidden in _hidden_paths():
        if any(hidden.is_relative_to(r) for r in roots) and not any(r.is_relative_to(hidden) for r in roots):
            args.extend(["--tmpfs", str(hidden)])
    parents(Path("/sbx/lib/x"))
    for src in _numpy_dirs():
        args.extend(["--ro-bind", str(src), f"/sbx/lib/{src.name}"])
    args.extend(["--ro-bind", str(SANDBOX_DIR), "/sbx/sandbox", "--proc", "/proc", "--dev", "/dev",
                 "--perms", "0711", "--size", str(TMP_SIZE), "--tmpfs", "/tmp", "--chdir", "/tmp"])
    if _is_root():
        args.extend(["--cap-drop", "ALL"])
        for cap in ("SETUID", "SETGID", "KILL", "CHOWN", "DAC_OVERRIDE", "FOWNER"):
            args.extend(["--cap-add", f"CAP_{cap}"])
    else:
        args.append("--unshare-user")
    return args


def _tagged() -> Iterator[tuple[int, bytes]]:
    """(pid, tag) of every process whose command line carries a sandbox tag (Linux; else none)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        tag = next((a for a in args if a.startswith(TAG_PREFIX.encode())), None)
        if tag is not None:
            yield int(entry.name), tag


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def kill_tagged(tag: str) -> None:
    """SIGKILL every process whose command line carries this exact tag.

    The zygote, its children and bubblewrap's inner process all carry the tag,
    so this also finds what a killed process group may have left behind.
    """
    for pid, found in _tagged():
        if found == tag.encode():
            _kill(pid)


def kill_orphans() -> list[int]:
    """SIGKILL every sandbox process whose grader has died; the pids killed.

    A tag names the grader's pid (``dlgrade-sbx-<pid>-<n>``). A process that carries a tag
    whose pid no longer runs was left behind: e.g. bubblewrap's inner process, which has
    been seen to outlive an outer one killed while it started.
    """
    killed = []
    for pid, tag in _tagged():
        owner = tag[len(TAG_PREFIX):].split(b"-")[0]
        if owner.isdigit() and not os.path.exists(f"/proc/{owner.decode()}") and _kill(pid):
            killed.append(pid)
    return killed
