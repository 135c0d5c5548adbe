"""The portable sandbox level (Windows/macOS fallback), forced on Linux.

The control submission (every reference passes, every stub fails) and the
hostile suite's cases that do not depend on POSIX limits, signals or
namespaces; and a Python without fork or ``resource`` picks the level by
itself and imports nothing POSIX-only on the check path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.stubs import strip_solutions
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import reference_text
from tests.support.sandbox_support import HIDDEN, PUBLIC, REFERENCE, grade
from tests.test_sandbox_hostile import HOSTILE, _check

# The hostile cases that need no rlimit, signal, fork or namespace to get their verdict: the
# others (memory and file limits, fork and thread bombs, signals, reading host files) are what the
# portable level does not promise.
PORTABLE_CASES = {
    "print_forged_pass", "result_file_forged", "exit_zero_at_import", "sys_exit_at_import",
    "system_exit_in_call", "os_exit_in_call", "atexit_forges", "forged_pickle_frame",
    "forged_structured_frame", "forged_garbage_frame", "forged_deep_json_frame", "forged_huge_count_frame",
    "forged_wrong_values_frame", "custom_eq_object", "array_protocol_object", "array_ufunc_subclass",
    "float_subclass_eq", "object_dtype", "structured_dtype", "complex_dtype", "string_dtype",
    "python_list", "empty_output", "scalar_output", "broadcast_row", "nan_output", "patched_numpy",
    "patched_builtins", "python_infinite_loop", "c_level_loop", "sleep", "recursion",
    "output_flood_forever", "output_flood_finite", "keyboard_interrupt", "huge_output",
    "mutates_inputs", "import_beside", "close_result_pipe",
}


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(level="portable") as sandbox:
        yield sandbox


def test_forced_level_is_portable_and_not_isolated(box: Sandbox) -> None:
    assert (box.level, box.isolated) == ("portable", False)
    assert "not isolated" in box.isolation
    result = grade(box, REFERENCE)
    assert result.isolated is False
    assert all(c.passed for c in result.cases) and {c.name for c in result.cases} == set(PUBLIC + HIDDEN)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", registry.available())
def test_control_submission(box: Sandbox, exercise: str) -> None:
    suite = registry.load(exercise)
    ref = grade_exercise(suite, Source(exercise, reference_text(exercise), f"{exercise}.py"), box, Options())
    assert ref.cases and all(c.passed for c in ref.cases), [(c.name, c.message) for c in ref.cases]
    stub = strip_solutions(reference_text(exercise))
    got = grade_exercise(suite, Source(exercise, stub, f"{exercise}.py"), box, Options())
    assert got.score == 0 and all(not c.passed for c in got.cases)


@pytest.mark.slow
@pytest.mark.parametrize(("code", "expected"), [pytest.param(c, e, id=i) for i, c, e in HOSTILE
                                                if i in PORTABLE_CASES])
def test_hostile_submission(box: Sandbox, code: str, expected: dict[str, tuple[object, str]]) -> None:
    _check(grade(box, REFERENCE + code), expected)  # type: ignore[arg-type]


def test_the_portable_subset_is_most_of_the_suite() -> None:
    names = {i for i, _, _ in HOSTILE}
    assert names >= PORTABLE_CASES and len(PORTABLE_CASES) >= 35


WITHOUT_POSIX = textwrap.dedent("""
    import os, sys, warnings
    for name in ("resource", "fcntl", "pwd", "grp", "termios", "pty"):
        sys.modules[name] = None  # importing it now raises ImportError, as on Windows
    del os.fork
    from grader.cli.app import app
    from grader.check.run import check_submission
    from grader.sandbox.runner import Sandbox
    from grader.platforms import classroom50, prairielearn
    from pathlib import Path
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("default")
        box = Sandbox()
        print("level", box.level, box.isolated)
        run = check_submission(["knn"], Path(sys.argv[1]), sandbox=box.start())
        Sandbox().start().close()  # a second sandbox says nothing more
        box.close()
    print("score", run.score, run.max_score)
    print("notices", sum("portable sandbox level" in str(w.message) for w in said))
""")


@pytest.mark.slow
def test_without_fork_or_resource_the_level_is_chosen_and_said_once(tmp_path: pytest.TempPathFactory) -> None:
    folder = tmp_path / "sub"  # type: ignore[operator]
    folder.mkdir()
    (folder / "knn.py").write_text(REFERENCE)
    env = {k: v for k, v in os.environ.items() if k != "DLGRADE_SANDBOX"}
    proc = subprocess.run([sys.executable, "-c", WITHOUT_POSIX, str(folder)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["level"] == "portable False"
    score, top = map(float, lines["score"].split())
    assert score == top > 0
    assert lines["notices"] == "1"
