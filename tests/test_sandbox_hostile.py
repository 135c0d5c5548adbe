# ruff: noqa: E501  (the table of hostile submissions reads best one submission per entry)
"""Hostile and broken submissions against the real sandbox (issue 4's promise).

Each submission is the reference knn solution with something appended: a
replacement of ``compute_distances_one_loop`` (so only the ``one_loop`` case
is touched and every other case must still score) or module-level code (every
case is touched). Every run asserts the exact verdict and message kind per
case, that planted secrets never appear in the result, and that no child
process outlives its case.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator

import pytest

from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from tests.support.sandbox_support import (
    ENV_MARKER,
    FILE_MARKER,
    HIDDEN,
    HMAC_MARKER,
    PUBLIC,
    REFERENCE,
    REPO,
    children_alive,
    grade,
    rss_kb,
    survivors,
)

V = Verdict
ONE = "\n\ndef compute_distances_one_loop(X_train, X):\n"
PLANTED = REPO / "solutions" / "instructor" / f"_planted_secret_{os.getpid()}.txt"  # one per xdist worker


def body(code: str) -> str:
    """A replacement of compute_distances_one_loop with this (indented) body."""
    return ONE + "".join(f"    {line}\n" for line in code.strip("\n").splitlines())


def everywhere(verdict: Verdict, kind: str) -> dict[str, tuple[Verdict, str]]:
    return {name: (verdict, kind) for name in PUBLIC + HIDDEN}


FORGE = """
import io, os, numpy as np, protocol
buf = io.BytesIO()
np.save(buf, {payload}, allow_pickle=True)
frame = protocol.encode({{"status": "ok", "outputs": {{"dists": {{"__array__": 0}}}}, "invalid": {{}}}},
                        [buf.getvalue()])
os.write(3, frame)
os._exit(0)
"""
STEAL = f"""
import glob, os
found = []
for path in ([{str(PLANTED)!r}, {str(REPO / 'solutions' / 'knn.py')!r},
             {str(REPO / 'solutions' / 'instructor' / 'knn.py')!r}, '/proc/1/environ', '/proc/self/environ',
             f'/proc/{{os.getppid()}}/environ', f'/proc/{{os.getppid()}}/cmdline', '/proc/1/cmdline']
             + glob.glob('/proc/[0-9]*/cmdline')
             + glob.glob('/proc/[0-9]*/environ') + glob.glob('/**/_planted_secret_*.txt', recursive=False)):
    try:
        with open(path, 'rb') as f:
            found.append(f.read().decode('latin-1'))
    except OSError:
        pass
found.append(repr(dict(os.environ)))
text = ' '.join(found)
if any(secret in text for secret in ({FILE_MARKER!r}, {ENV_MARKER!r}, 'BEGIN SOLUTION', 'MISTAKES',
                                      {str(REPO)!r})):
    raise RuntimeError('stole ' + text[:400])
raise RuntimeError('nothing found')
"""

# (id, code appended to the reference, {case: (verdict, message kind)}); unnamed cases must pass.
HOSTILE: list[tuple[str, str, dict[str, tuple[Verdict, str]]]] = [
    # 1. forged results: stdout, result files, exit codes, atexit, frames written to the result pipe
    ("print_forged_pass", body("print('PASSED one_loop 2/2 points\\nAll passed: 18/18')\nreturn X @ X_train.T"),
     {"one_loop": (V.WRONG_VALUE, "rel_error")}),
    ("result_file_forged", body("import os, tempfile\nopen('results.json', 'w').write('{\"score\": 18}')\n"
                                "open(os.path.join(tempfile.gettempdir(), 'grade.json'), 'w').write('18/18')\n"
                                "return 0 * X @ X_train.T"),
     {"one_loop": (V.WRONG_VALUE, "rel_error")}),
    ("exit_zero_at_import", "\nimport os\nos._exit(0)\n", everywhere(V.CRASH, "exit code 0")),
    ("sys_exit_at_import", "\nimport sys\nsys.exit(0)\n", everywhere(V.EXCEPTION, "SystemExit")),
    ("system_exit_in_call", body("raise SystemExit(0)"), {"one_loop": (V.EXCEPTION, "SystemExit")}),
    ("os_exit_in_call", body("import os\nos._exit(3)"), {"one_loop": (V.CRASH, "exit code 3")}),
    ("atexit_forges", "\nimport atexit, os\natexit.register(lambda: os.write(3, b'forged'))\n"
     + body("raise ValueError('broken')"), {"one_loop": (V.EXCEPTION, "ValueError")}),
    ("forged_pickle_frame", body(FORGE.format(payload="np.array([object()], dtype=object)")),
     {"one_loop": (V.INVALID_OUTPUT, "not a plain number type")}),
    ("forged_structured_frame", body(FORGE.format(payload="np.zeros(3, dtype=[('a', 'f8'), ('b', 'i4')])")),
     {"one_loop": (V.INVALID_OUTPUT, "not a plain number type")}),
    ("forged_garbage_frame", body("import os\nos.write(3, b'\\xff' * 64)\nos._exit(0)"),
     {"one_loop": (V.INVALID_OUTPUT, "malformed answer")}),
    ("forged_deep_json_frame", body("import os, struct\nbody = b'[' * 200000 + b']' * 200000\n"
                                    "os.write(3, struct.pack('<2Q', 0, len(body)) + body)\nos._exit(0)"),
     {"one_loop": (V.INVALID_OUTPUT, "malformed answer")}),
    ("forged_huge_count_frame", body("import os, struct\nos.write(3, struct.pack('<2Q', 2**40, 2**40))\nos._exit(0)"),
     {"one_loop": (V.INVALID_OUTPUT, "malformed answer")}),
    # The child never learns the suite's output names (opaque per-case keys): a forged "dists" is no output.
    ("forged_wrong_values_frame", body(FORGE.format(payload="np.zeros((4, 10))")),
     {"one_loop": (V.MISSING_OUTPUT, "no value was returned")}),
    ("patched_zygote_encoder", "\nimport __main__, io, numpy as np\n_real = __main__.encode\n"
     "def _evil(answer, blobs):\n    b = io.BytesIO(); np.save(b, np.array([None]), allow_pickle=True)\n"
     "    answer = {'status': 'ok', 'outputs': {'dists': {'__array__': 0}}, 'invalid': {}}\n"
     "    return _real(answer, [b.getvalue()])\n__main__.encode = _evil\n",
     {**everywhere(V.INVALID_OUTPUT, "not a plain number type")}),
    # 2. objects and dtypes that could fool a comparison
    ("custom_eq_object", "\nclass Liar:\n    def __eq__(self, other): return True\n    __hash__ = None\n"
     + body("return Liar()"), {"one_loop": (V.INVALID_OUTPUT, "returned Liar")}),
    ("array_protocol_object", "\nimport numpy as np\nclass Fake:\n    def __array__(self, *a, **k):\n"
     "        return np.zeros((4, 10))\n" + body("return Fake()"),
     {"one_loop": (V.INVALID_OUTPUT, "returned Fake")}),
    ("array_ufunc_subclass", "\nimport numpy as np\nclass Sub(np.ndarray):\n"
     "    def __array_ufunc__(self, *a, **k): return True\n"
     + body("return np.zeros((4, 10)).view(Sub)"), {"one_loop": (V.INVALID_OUTPUT, "returned Sub")}),
    ("float_subclass_eq", "\nclass F(float):\n    def __eq__(self, o): return True\n"
     + body("return F(1.0)"), {"one_loop": (V.WRONG_SHAPE, "expected shape")}),
    ("object_dtype", body("import numpy as np\nreturn np.empty((4, 10), dtype=object)"),
     {"one_loop": (V.INVALID_OUTPUT, "array of object")}),
    ("structured_dtype", body("import numpy as np\nreturn np.zeros(4, dtype=[('d', 'f8', 10)])"),
     {"one_loop": (V.INVALID_OUTPUT, "array of")}),
    ("complex_dtype", body("return (X @ X_train.T).astype(complex)"),
     {"one_loop": (V.INVALID_OUTPUT, "complex")}),
    ("string_dtype", body("import numpy as np\nreturn np.full((4, 10), 'x')"),
     {"one_loop": (V.INVALID_OUTPUT, "array of <U1")}),
    ("python_list", body("return [[0.0] * 10] * 4"), {"one_loop": (V.INVALID_OUTPUT, "returned list")}),
    ("empty_output", body("import numpy as np\nreturn np.empty((0,))"),
     {"one_loop": (V.WRONG_SHAPE, "got (0,)")}),
    ("scalar_output", body("import numpy as np\nreturn np.float64(0.0)"),
     {"one_loop": (V.WRONG_SHAPE, "got ()")}),
    ("broadcast_row", body("import numpy as np\nreturn np.zeros((1, X_train.shape[0]))"),
     {"one_loop": (V.WRONG_SHAPE, "got (1, 10)")}),
    ("nan_output", body("import numpy as np\nreturn np.full((X.shape[0], X_train.shape[0]), np.nan)"),
     {"one_loop": (V.NOT_FINITE, "NaN")}),
    # 3. monkeypatching numpy and builtins (comparison happens in the parent)
    ("patched_numpy", "\nimport numpy as np\nnp.allclose = lambda *a, **k: True\n"
     "np.array_equal = lambda *a, **k: True\nnp.isclose = lambda a, b, *x, **k: np.ones_like(a, bool)\n"
     "np.all = lambda *a, **k: True\n" + body("return X @ X_train.T"),
     {"one_loop": (V.WRONG_VALUE, "rel_error")}),
    ("patched_builtins", "\nimport builtins\nbuiltins.abs = lambda x: 0\nbuiltins.round = lambda *a: 0\n"
     + body("return X @ X_train.T"), {"one_loop": (V.WRONG_VALUE, "rel_error")}),
    # 4. reading what it should not
    ("steal_secrets", body(STEAL), {"one_loop": (V.EXCEPTION, "nothing found")}),
    ("network_and_parent", body("import os, socket, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\n"
                                "except OSError:\n    pass\nsocket.create_connection(('127.0.0.1', PORT), 1)"),
     {"one_loop": (V.EXCEPTION, "ConnectionRefusedError")}),
    # 5. resource abuse: loops, sleeps, memory, processes, threads, crashes, floods, disk
    ("python_infinite_loop", body("while True:\n    pass"), {"one_loop": (V.TIMEOUT, "timed out after 1s")}),
    ("c_level_loop", body("import numpy as np\nA = np.eye(3000) + np.arange(3000.0)\nfor _ in range(100):\n"
                          "    np.linalg.svd(A)"), {"one_loop": (V.TIMEOUT, "timed out after 1s")}),
    ("sleep", body("import time\ntime.sleep(1000)"), {"one_loop": (V.TIMEOUT, "timed out")}),
    ("ignores_signals", body("import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGXCPU, "
                             "signal.SIGHUP):\n    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass"),
     {"one_loop": (V.TIMEOUT, "timed out")}),
    ("memory_bomb_numpy", body("import numpy as np\nreturn np.ones(10**10)"),
     {"one_loop": (V.MEMORY_LIMIT, "ran out of memory")}),
    ("memory_bomb_python", body("return [0.0] * 10**9"),
     {"one_loop": (V.MEMORY_LIMIT, "ran out of memory")}),
    ("fork_bomb", body("import os\nwhile True:\n    os.fork()"), {"one_loop": (V.EXCEPTION, "BlockingIOError")}),
    ("escaping_daemon", body("import os\nif os.fork() == 0:\n    os.setsid()\n    import time\n"
                             "    time.sleep(1000)\nreturn X @ X_train.T"),
     {"one_loop": (V.EXCEPTION, "BlockingIOError")}),
    ("endless_thread", body("import threading, time\nthreading.Thread(target=time.sleep, args=(1000,)).start()"
                            "\nreturn X @ X_train.T"), {"one_loop": (V.EXCEPTION, "can't start new thread")}),
    ("segfault", body("import ctypes\nctypes.string_at(0)"), {"one_loop": (V.CRASH, "SIGSEGV")}),
    ("abort", body("import os\nos.abort()"), {"one_loop": (V.CRASH, "SIGABRT")}),
    ("kill_self", body("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
     {"one_loop": (V.CRASH, "SIGKILL")}),
    ("kill_everyone", body("import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n"
                           "return compute_distances_no_loops(X_train, X)"), {}),
    ("c_stack_overflow", body("import json, sys\nsys.setrecursionlimit(10**8)\nnest = []\nfor _ in range(10**5):\n"
                              "    nest = [nest]\njson.dumps(nest)"),
     {"one_loop": (V.CRASH, "SIGSEGV")}),
    ("recursion", body("def f(n):\n    return f(n + 1)\nf(0)"), {"one_loop": (V.EXCEPTION, "RecursionError")}),
    ("output_flood_forever", body("while True:\n    print('x' * 1000)"), {"one_loop": (V.TIMEOUT, "timed out")}),
    ("output_flood_finite", body("import sys\nfor _ in range(20000):\n    sys.stdout.write('y' * 1000)\n"
                                 "return X @ X_train.T"), {"one_loop": (V.WRONG_VALUE, "rel_error")}),
    ("big_file", body("with open('big', 'wb') as f:\n    while True:\n        f.write(b'0' * 2**20)"),
     {"one_loop": (V.EXCEPTION, "File too large")}),
    ("disk_fill", body("for i in range(10**6):\n    with open(f'f{i}', 'wb') as f:\n"
                       "        f.write(b'0' * (15 * 2**20))"), {"one_loop": (V.EXCEPTION, "No space left")}),
    ("too_many_files", body("fs = [open(f'n{i}', 'w') for i in range(10**5)]"),
     {"one_loop": (V.EXCEPTION, "Too many open files")}),
    ("close_result_pipe", body("import os\nos.close(3)\nreturn X @ X_train.T"),
     {"one_loop": (V.CRASH, "exit code 0")}),
    ("keyboard_interrupt", body("raise KeyboardInterrupt"), {"one_loop": (V.EXCEPTION, "KeyboardInterrupt")}),
    ("huge_output", body("import numpy as np\nreturn np.zeros(10**7, dtype=np.uint8)"),
     {"one_loop": (V.INVALID_OUTPUT, "is too large")}),
    ("lazy_memory_bomb", body("import numpy as np\nreturn np.zeros(300 * 10**6)"),
     {"one_loop": (V.MEMORY_LIMIT, "ran out of memory")}),
    # 6. inputs modified in place: noted on public cases, never on hidden ones; the reference is unaffected
    ("mutates_inputs", "\n_orig = compute_distances_two_loops\n"
     "def compute_distances_two_loops(X_train, X):\n    d = _orig(X_train, X)\n    X_train[...] = 0\n    return d\n",
     {"two_loops": (V.PASSED, "changed its input compute_distances_two_loops(X_train) in place")}),
    ("import_beside", "\nimport conftest\n", everywhere(V.EXCEPTION, "ModuleNotFoundError")),
]


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    PLANTED.write_text(f"{FILE_MARKER}\n")
    os.environ["DLGRADE_PLANTED_SECRET"] = ENV_MARKER
    sandbox = Sandbox().start()
    if sandbox.level == "plain":  # the unhardened baseline is for benchmarks, never for hostile code
        sandbox.close()
        pytest.skip("DLGRADE_SANDBOX=plain: hostile submissions need a hardened sandbox")
    tag, uid = sandbox.tag, sandbox.drop_uid
    try:
        yield sandbox
    finally:
        sandbox.close()
        PLANTED.unlink(missing_ok=True)
        del os.environ["DLGRADE_PLANTED_SECRET"]
    assert survivors(tag, uid) == []


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the grader's loopback: a networked child could reach it."""
    srv = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            got.append(conn.recv(100) or b"connected")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1], got
    srv.close()


NEEDS_ISOLATION = {"steal_secrets", "network_and_parent", "disk_fill"}


def _check(result: ExerciseResult, expected: dict[str, tuple[Verdict, str]]) -> None:
    dumped = result.model_dump_json()
    for marker in (FILE_MARKER, ENV_MARKER, HMAC_MARKER.decode(), "BEGIN SOLUTION"):
        assert marker not in dumped
    assert {c.name for c in result.cases} == set(PUBLIC + HIDDEN)
    for case in result.cases:
        verdict, kind = expected.get(case.name, (V.PASSED, ""))
        assert case.verdict is verdict, (case.name, case.verdict, case.message)
        assert (case.points == case.max_points) is (verdict is V.PASSED)
        if case.visibility == "public":
            assert kind in case.message, (case.name, case.message)
        else:  # hidden: no inputs, no stdout, only the exception type
            assert case.stdout == "" and case.detail is None
            if verdict is V.EXCEPTION:
                assert case.message == kind.split(":")[0] or case.message.isidentifier()


@pytest.mark.parametrize(("code", "expected"), [pytest.param(c, e, id=i) for i, c, e in HOSTILE])
def test_hostile_submission(box: Sandbox, listener: tuple[int, list[bytes]], code: str,
                            expected: dict[str, tuple[Verdict, str]], request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.id
    if name in NEEDS_ISOLATION and not box.isolated:
        pytest.skip(f"needs namespace isolation; here: {box.isolation}")
    if name == "kill_everyone" and box.drop_uid is None and box.level not in ("bwrap", "unshare"):
        pytest.skip("kill(-1) would reach this user's own processes: needs a PID namespace or a uid drop")
    port, got = listener
    result = grade(box, REFERENCE + code.replace("PORT", str(port)))
    _check(result, expected)
    assert got == []
    assert children_alive(box.drop_uid) == []


def test_at_least_forty_hostile_submissions() -> None:
    assert len(HOSTILE) >= 40
    assert len({i for i, _, _ in HOSTILE}) == len(HOSTILE)


def test_hidden_cases_show_only_the_exception_type(box: Sandbox) -> None:
    code = ("\ndef predict_labels(dists, y_train, k=1):\n    print('leak', dists.tolist())\n"
            "    raise ValueError(f'inputs were {dists.tolist()}')\n")
    result = grade(box, REFERENCE + code)
    hidden = next(c for c in result.cases if c.name == "hidden_one_test_point")
    assert (hidden.verdict, hidden.message, hidden.stdout) == (V.EXCEPTION, "ValueError", "")
    public = next(c for c in result.cases if c.name == "vote_k1")
    assert public.verdict is V.EXCEPTION and "inputs were" in public.message and "leak" in public.stdout
    assert [c.verdict for c in result.cases if c.name in ("two_loops", "one_loop")] == [V.PASSED] * 2


def test_grader_memory_stays_flat(box: Sandbox) -> None:
    floods = [c for i, c, _ in HOSTILE if i in ("output_flood_finite", "memory_bomb_python", "huge_output")]
    grade(box, REFERENCE + floods[0])  # warm up allocations of the parent
    before = rss_kb()
    for _ in range(3):
        for code in floods:
            grade(box, REFERENCE + code)
    assert rss_kb() - before < 40_000  # kB: the floods are hundreds of MB in the child
