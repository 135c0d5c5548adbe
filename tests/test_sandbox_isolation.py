"""Isolation levels, the control submission under every level, and what the child observes."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.suite import Call
from grader.errors import UsageError
from grader.models import Verdict
from grader.sandbox.isolation import candidates
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.sandbox_support import REFERENCE, survivors

ROOT_LINUX = sys.platform.startswith("linux") and os.geteuid() == 0
LEVELS = [lv for lv in ("bwrap", "unshare", "process", "plain") if lv in candidates() or lv == "plain"]


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def ask(box: Sandbox, code: str) -> str:
    """Run ``f()`` in a child and return the message of the exception it raises (its report)."""
    out = box.run("import os, sys, numpy as np\n" + code, "probe.py", "probe", [Call("f", single=True)], 5)
    assert out.status == "exception", out
    return out.message


def test_control_scores_full_marks_every_time(box: Sandbox) -> None:
    knn = registry.load("knn")
    for _ in range(3):
        result = grade_exercise(knn, Source("knn", REFERENCE, "knn.py"), box, Options())
        assert result.score == result.max_score == 18, [c.message for c in result.cases if not c.passed]
        assert len(result.cases) == 12


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_runs_the_control_and_leaves_nothing(level: str) -> None:
    knn = registry.load("knn")
    sandbox = Sandbox(level=level).start()
    tag, uid = sandbox.tag, sandbox.drop_uid
    try:
        result = grade_exercise(knn, Source("knn", REFERENCE, "knn.py"), sandbox, Options())
        assert result.score == 18
        assert result.isolated is (level == "bwrap")
        kinds = ("isolated", "partly isolated", "not isolated", "not hardened")
        assert sandbox.isolation.split(":")[0] in kinds
    finally:
        sandbox.close()
    assert survivors(tag, uid) == []


@pytest.mark.skipif(not (ROOT_LINUX and shutil.which("bwrap")), reason="needs root on Linux with bubblewrap")
def test_root_with_bubblewrap_is_isolated(box: Sandbox) -> None:
    assert box.level == "bwrap" and box.isolated
    assert box.isolation.startswith("isolated") and box.drop_uid is not None


@pytest.mark.skipif(os.environ.get("CI") != "true" or not ROOT_LINUX, reason="CI runs as root on Linux")
def test_ci_grades_with_the_real_sandbox(box: Sandbox) -> None:
    assert box.isolated, box.isolation


def test_child_runs_unprivileged_in_a_clean_scratch_directory(box: Sandbox) -> None:
    code = ("def f():\n    mine = sorted(os.listdir('.'))\n    open('left_behind', 'w').write('x')\n"
            "    raise RuntimeError(repr((os.getuid(), os.getcwd(), mine, sorted(os.environ))))\n")
    first, second = eval(ask(box, code)), eval(ask(box, code))
    uid, cwd, listing, env = first
    assert listing == [] and second[2] == []  # nothing carries over between cases
    assert cwd != second[1] and cwd != os.getcwd()
    assert set(env) <= {"PATH", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "LC_ALL",
                        "HOME", "TMPDIR"}
    if os.geteuid() == 0:
        assert uid == box.drop_uid and uid != 0


def test_child_cannot_import_the_grader_or_solutions(box: Sandbox) -> None:
    code = ("def f():\n    found = []\n"
            "    for name in ('grader', 'solutions', 'solutions.instructor.knn', 'pydantic'):\n"
            "        try:\n            __import__(name)\n            found.append(name)\n"
            "        except ImportError:\n            pass\n    raise RuntimeError(repr(found))\n")
    assert ask(box, code) == "[]"


def test_blas_is_single_threaded_and_numpy_works(box: Sandbox) -> None:
    code = ("def f():\n    a = np.linalg.inv(np.eye(3) * 2)\n"
            "    raise RuntimeError(repr((os.environ['OPENBLAS_NUM_THREADS'], float(a.sum()))))\n")
    assert eval(ask(box, code)) == ("1", 1.5)


def test_inputs_modified_in_place_are_named(box: Sandbox) -> None:
    code = "def f(a, b, c=None):\n    a += 1\n    c[0] = 9\n    return b * 2\n"
    calls = [Call("f", (np.zeros(3), np.ones(2)), {"c": np.zeros(2)}, single=True)]
    out = box.run(code, "m.py", "m", calls, 5)
    assert out.status == "ok" and out.mutated == ("f(a)", "f(c)")
    assert np.array_equal(out.outputs["out"], [2.0, 2.0])


def test_unknown_level_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_SANDBOX", "chroot")
    with pytest.raises(UsageError, match="use one of auto, bwrap"):
        Sandbox()


def test_memory_limit_message_on_a_smaller_limit() -> None:
    with Sandbox(memory=512 * 1024**2) as small:
        out = small.run("import numpy as np\ndef f():\n    return np.ones(100 * 10**6)\n", "m.py", "m",
                        [Call("f", single=True)], 5)
    assert out.status == "exception" and out.exc_type == "MemoryError"
    assert Verdict.MEMORY_LIMIT.value == "memory_limit"


def test_cli_says_how_to_fix_a_bad_level(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from grader.cli.app import app

    monkeypatch.setenv("DLGRADE_SANDBOX", "chroot")
    result = CliRunner().invoke(app, ["check", "knn", "--submission", "solutions"])
    assert result.exit_code == 2 and "DLGRADE_SANDBOX='chroot'" in result.output


def test_an_unavailable_level_asked_for_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no bwrap to be found
    with pytest.raises(UsageError, match="could not start at level 'bwrap'"):
        Sandbox(level="bwrap").start()


def test_auto_falls_back_when_the_strongest_level_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("grader.sandbox.isolation._bwrap_args", lambda: ["--no-such-option"])
    monkeypatch.setattr("grader.sandbox.runner.candidates", lambda level: ["bwrap", "process"])
    with Sandbox() as sandbox:
        assert sandbox.level == "process" and not sandbox.isolated
        assert sandbox.isolation.startswith("not isolated")


@pytest.mark.skipif(os.geteuid() != 0, reason="as a normal user the child shares the zygote's uid")
def test_nothing_can_be_left_for_a_later_case(box: Sandbox) -> None:
    code = ("def f():\n    parent = os.path.dirname(os.getcwd())\n    try:\n"
            "        open(os.path.join(parent, 'state'), 'w')\n    except OSError as exc:\n"
            "        raise RuntimeError(type(exc).__name__) from None\n    raise RuntimeError('wrote')\n")
    assert ask(box, code) == "PermissionError"


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05])
def test_a_zygote_killed_while_starting_leaves_nothing(delay: float) -> None:
    import signal
    import time

    sandbox = Sandbox().start()
    assert sandbox._launch is not None and sandbox._proc is not None
    tag = sandbox._launch.tag
    time.sleep(delay)
    os.kill(sandbox._proc.pid, signal.SIGKILL)  # the outermost process only, not its group
    sandbox.close()
    deadline = time.monotonic() + 5
    while survivors(tag, None) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert survivors(tag, None) == []
