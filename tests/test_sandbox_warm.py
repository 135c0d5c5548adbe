"""The warm zygote (grader.sandbox.warm, grader.sandbox.holder), with real checks and holders.

Every test runs `dlgrade check` as a student would, with ``DLGRADE_WARM=1`` and a private
``XDG_RUNTIME_DIR``; ``DLGRADE_WARM_DEBUG=1`` makes each check say on stderr whether it went
cold or which holder lent it which zygote, the evidence the tests read. Every holder a test
starts is stopped at its end. That ``subprocess.run`` returns at all shows that the holder a
check starts holds none of the check's pipes.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox import warm
from tests.support.paths import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the warm holder needs Linux (SO_PEERCRED, pidfd)")
LENT = re.compile(r"lent by holder (\d+): zygote (\d+) \((\S+)\), lent (\d+) times before")
OTHER_UID = 1_650_000_123  # no account has it
SLEEPER = """
import sys
import numpy as np
from grader.engine.suite import Call
from grader.sandbox.warm import started

box = started()
print("borrowed", flush=True)
if sys.argv[1] == "sleep":  # killed by the test in the middle of this case
    box.run("import time\\ndef f(x):\\n    time.sleep(60)\\n", "f.py", "f",
            [Call("f", (np.zeros(1),), returns=("y",), single=True)], 120.0)
sys.stdin.readline()
box.shutdown()  # every order answered: it goes back clean
"""


@pytest.fixture
def warm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    # A short path: a Unix socket's name has at most 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="dlw", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # for warm.stop() below
    env = {**os.environ, "DLGRADE_WARM": "1", "DLGRADE_WARM_DEBUG": "1", "DLGRADE_WARM_IDLE": "120"}
    env.pop("DLGRADE_SANDBOX", None)
    yield env
    with contextlib.suppress(OSError):
        (runtime / "dlgrade").chmod(0o700)
        os.chown(runtime / "dlgrade", os.getuid(), os.getgid())
    warm.stop()
    shutil.rmtree(runtime, ignore_errors=True)


def check(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", "check", "knn", "--submission", "solutions",
                           "--no-record", *extra], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def full_marks(run: subprocess.CompletedProcess[str]) -> bool:
    return run.returncode == 0 and "All passed: 18/18 points, 12/12 cases passed" in run.stdout


def lent(run: subprocess.CompletedProcess[str]) -> tuple[int, int, str, int] | None:
    """(holder pid, its zygote number, the zygote's tag, clean loans before) if the check was lent one."""
    found = LENT.search(run.stderr)
    return (int(found[1]), int(found[2]), found[3], int(found[4])) if found else None


def holder_socket(env: dict[str, str]) -> Path:
    """The socket of the holder a cold check started, once it listens."""
    folder = Path(env["XDG_RUNTIME_DIR"], "dlgrade")
    for _ in range(1200):
        if socks := list(folder.glob("*.sock")):
            return socks[0]
        time.sleep(0.05)
    pytest.fail("no holder started listening")


def warm_up(env: dict[str, str]) -> Path:
    first = check(env)
    assert full_marks(first), first.stdout + first.stderr
    assert "cold: no holder; one starts when this check ends" in first.stderr
    return holder_socket(env)


def borrowed_check(env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], tuple[int, int, str, int]]:
    """Checks until one is lent a zygote (a holder restarting its zygote sends them cold); all graded."""
    for _ in range(100):
        run = check(env)
        assert full_marks(run), run.stdout + run.stderr
        if (got := lent(run)) is not None:
            return run, got
        time.sleep(0.1)
    pytest.fail("no check was lent a zygote")


def ended(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie not yet reaped by init counts)."""
    for _ in range(200):
        try:
            if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def tagged(tag: str) -> list[int]:
    """Pids of processes carrying ``tag`` on their command line (the zygote and its children)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and tag.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("level", ["auto", "process"])
def test_a_second_check_is_lent_the_zygote_the_first_left(warm_env: dict[str, str], level: str) -> None:
    if level != "auto":
        warm_env["DLGRADE_SANDBOX"] = level
    cold = check({**warm_env, "DLGRADE_WARM": "0"})
    sock = warm_up(warm_env)
    assert sock.stat().st_mode & 0o777 == 0o600
    (second, a), (third, b) = borrowed_check(warm_env), borrowed_check(warm_env)
    assert a[:3] == b[:3] and a[1] == 1  # one holder, one zygote...
    assert b[3] == a[3] + 1  # ...given back clean by the second check and lent again
    assert second.stdout == third.stdout == cold.stdout  # the same report as a cold check's


def test_a_check_killed_mid_case_does_not_spoil_the_next(warm_env: dict[str, str]) -> None:
    warm_up(warm_env)
    client = subprocess.Popen([sys.executable, "-c", SLEEPER, "sleep"], cwd=ROOT, env=warm_env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    assert client.stdout is not None and client.stdout.readline() == "borrowed\n"
    time.sleep(1.0)  # let the order reach the child (the test holds whether or not it has)
    client.kill()
    _, err = client.communicate()
    spoilt = LENT.search(err)
    assert spoilt is not None
    _, after = borrowed_check(warm_env)
    assert after[0] == int(spoilt[1]) and after[1] == int(spoilt[2]) + 1  # a fresh zygote
    assert tagged(spoilt[3]) == []  # the spoilt zygote and the sleeping child are gone


def test_a_second_borrower_goes_cold_while_the_zygote_is_lent(warm_env: dict[str, str]) -> None:
    warm_up(warm_env)
    client = subprocess.Popen([sys.executable, "-c", SLEEPER, "hold"], cwd=ROOT, env=warm_env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    assert client.stdout is not None and client.stdout.readline() == "borrowed\n"
    meanwhile = check(warm_env)
    assert full_marks(meanwhile) and "the holder said b'busy\\n'" in meanwhile.stderr
    _, err = client.communicate("\n")
    holding = LENT.search(err)
    assert holding is not None
    _, after = borrowed_check(warm_env)
    assert after[:3] == (int(holding[1]), int(holding[2]), holding[3])  # given back clean
    assert after[3] == int(holding[4]) + 1


@pytest.mark.parametrize("spoil", ["mode", "owner", "symlink"])
def test_a_folder_that_is_not_private_means_cold(warm_env: dict[str, str], spoil: str,
                                                 tmp_path: Path) -> None:
    folder = Path(warm_env["XDG_RUNTIME_DIR"], "dlgrade")
    if spoil == "symlink":
        folder.symlink_to(tmp_path)
    else:
        folder.mkdir(mode=0o700)
        if spoil == "mode":
            folder.chmod(0o755)
        elif os.geteuid() != 0:
            pytest.skip("only root can give the folder to another uid")
        else:
            os.chown(folder, OTHER_UID, OTHER_UID)
    run = check(warm_env)
    assert full_marks(run)
    assert f"{folder} is not a folder of uid {os.getuid()} with mode 0700" in run.stderr
    assert list(folder.iterdir()) == []  # no socket, lock or holder started


@pytest.mark.parametrize("answer", [b"no\n", b""])
def test_a_socket_that_does_not_lend_means_cold(warm_env: dict[str, str], answer: bytes) -> None:
    """An impostor at the holder's address answers "no" (another hash) or nothing at all."""
    path = warm_up(warm_env)
    warm.stop()
    heard: list[bytes] = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as impostor:
        impostor.bind(str(path))
        impostor.listen(1)

        def answer_once() -> None:
            conn, _ = impostor.accept()
            with conn:
                heard.append(conn.recv(64))
                conn.sendall(answer)
                if not answer:
                    conn.recv(64)  # silent until the check gives up

        thread = threading.Thread(target=answer_once, daemon=True)
        thread.start()
        run = check(warm_env)
        thread.join(timeout=30)
    assert heard == [path.stem.encode() + b"\n"]  # the check did ask this socket
    assert full_marks(run) and "cold:" in run.stderr and lent(run) is None


def test_the_holder_lends_only_for_its_own_hash(warm_env: dict[str, str]) -> None:
    path = warm_up(warm_env)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(str(path))
        conn.sendall(b"0" * len(path.stem) + b"\n")
        msg, fds, _, _ = socket.recv_fds(conn, 4096, 3)
    assert (msg, fds) == (b"no\n", [])
    _, got = borrowed_check(warm_env)
    assert got[1] == 1 and got[3] == 0  # the holder goes on lending its first zygote


def _connect_as(uid: int, path: Path, keep_file_access: bool) -> dict[str, object]:
    """In a forked child with effective uid ``uid``: what the holder at ``path`` answers."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.seteuid(uid)  # SO_PEERCRED reports the effective uid
            if keep_file_access:  # the file system still sees root: the 0700 folder lets it in
                ctypes.CDLL(None, use_errno=True).setfsuid(0)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(30)
                conn.connect(str(path))
                msg, fds = b"", []  # type: tuple[bytes, list[int]]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # it may hang up first
                    conn.sendall(path.stem.encode() + b"\n")
                    msg, fds, _, _ = socket.recv_fds(conn, 4096, 3)
            got: dict[str, object] = {"msg": msg.decode(), "fds": len(fds)}
        except BaseException as exc:
            got = {"error": type(exc).__name__}
        finally:
            os.write(write, json.dumps(got).encode())
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return dict(json.loads(answer.read()))


def test_another_uid_is_refused(warm_env: dict[str, str]) -> None:
    if os.geteuid() != 0:
        pytest.skip("connecting as another uid needs root")
    path = warm_up(warm_env)
    assert _connect_as(OTHER_UID, path, keep_file_access=False) == {"error": "PermissionError"}
    # With root's file access it reaches the holder, which hangs up on a peer of another uid.
    assert _connect_as(OTHER_UID, path, keep_file_access=True) == {"msg": "", "fds": 0}
    _, got = borrowed_check(warm_env)
    assert got[1] == 1 and got[3] == 0


def test_the_holder_exits_when_idle(warm_env: dict[str, str]) -> None:
    warm_env["DLGRADE_WARM_IDLE"] = "2"
    path = warm_up(warm_env)
    lock = path.with_suffix(".lock")
    for _ in range(1200):
        if not warm.held(lock):
            break
        time.sleep(0.05)
    assert not warm.held(lock) and not path.exists()


def test_the_holder_stops_on_request_and_holds_no_secret(warm_env: dict[str, str]) -> None:
    warm_env["DLGRADE_SECRET"] = "do-not-leak-this"
    path = warm_up(warm_env)
    pid = int(path.with_suffix(".lock").read_text())
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    assert b"do-not-leak-this" not in environ and b"DLGRADE_WARM=" not in environ
    assert b"dlgrade-warm-holder" in Path(f"/proc/{pid}/cmdline").read_bytes()  # pkill -f dlgrade-warm
    stopped = subprocess.run([sys.executable, "-m", "grader.sandbox.warm", "stop"], env=warm_env,
                             capture_output=True, text=True, check=True)
    assert stopped.stdout.split() == [str(pid)] and not path.exists()
    assert ended(pid)
