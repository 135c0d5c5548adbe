"""Issue 12, item 4 (brief item 3): feedback that leaks or floods.

Hidden-case feedback comes from a fixed vocabulary; every message and printed
output is bounded and free of escape sequences, control characters and host
paths, in the result, ``students/<id>.json`` and the JUnit file alike.
"""

from __future__ import annotations

import site
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import write_student
from grader.engine.feedback import MESSAGE_LIMIT, OWN_CLASS, STDOUT_LIMIT, clean
from grader.models import ExerciseResult, Verdict
from grader.sandbox.runner import Sandbox
from tests.support.class_helpers import invoke, knn_manifest
from tests.support.helpers import reference_text
from tests.support.paths import ROOT
from tests.support.sandbox_support import HIDDEN, PUBLIC, REFERENCE, grade

V = Verdict
HOST = [p for p in {sys.prefix, sys.base_prefix, str(ROOT), str(Path.home()), *site.getsitepackages()}
        if len(p) > 1]


@pytest.fixture(scope="module", params=["auto", "process"])
def box(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    with Sandbox(level=None if request.param == "auto" else request.param) as sandbox:
        yield sandbox


def _vote(body: str) -> str:
    """The reference knn whose predict_labels runs ``body`` first (one_loop, two_loops stay right)."""
    return REFERENCE + ("\n_orig_vote = predict_labels\n\ndef predict_labels(dists, y_train, k=1):\n"
                        + "".join(f"    {line}\n" for line in body.splitlines())
                        + "    return _orig_vote(dists, y_train, k)\n")


def _by_name(result: ExerciseResult) -> dict[str, tuple[Verdict, str, str]]:
    return {c.name: (c.verdict, c.message, c.stdout) for c in result.cases}


VOTE_HIDDEN = HIDDEN[0]  # hidden_one_test_point calls predict_labels; hidden_two_loops_wide does not


def _right_parts_score(result: ExerciseResult) -> None:
    got = _by_name(result)
    assert got["two_loops"][0] is got["one_loop"][0] is V.PASSED  # the rest of the file still scores
    assert got[HIDDEN[1]][0] is V.PASSED


def test_an_exception_class_named_after_the_inputs_says_nothing(box: Sandbox) -> None:
    spell = ("name = 'W' + ''.join(f'{v:.4f}' for v in dists.ravel()[:6])\n"
             "name = name.replace('.', 'p').replace('-', 'm')\n"
             "raise type(name, (Exception,), {})()")
    result = grade(box, _vote(spell))
    got = _by_name(result)
    _right_parts_score(result)
    assert got[VOTE_HIDDEN] == (V.EXCEPTION, OWN_CLASS, "")
    assert got["vote_k1"][0] is V.EXCEPTION
    assert got["vote_k1"][1].startswith("W0p")  # a public case's inputs are public


def test_builtin_exception_names_and_chosen_exit_codes_on_hidden_cases(box: Sandbox) -> None:
    got = _by_name(grade(box, _vote("raise KeyError('0.1234 0.5678')")))
    assert got[VOTE_HIDDEN] == (V.EXCEPTION, "KeyError", "")
    got = _by_name(grade(box, _vote("import os\nos._exit(int(dists.ravel()[0] * 200))")))
    assert got[VOTE_HIDDEN] == (V.CRASH, "crashed", ""), got


def test_escape_sequences_and_host_paths_are_removed(box: Sandbox) -> None:
    body = ("import sys, numpy\n"
            "print('\\x1b[2J\\x1b]0;owned\\x07\\x1b[31mred\\x1b[0m\\r\\x00\\u202eok',\n"
            "      numpy.__file__, sys.executable)\n"
            "raise ValueError('\\x1b[1;31mboom\\x1b[0m\\x08 ' + numpy.__file__ + ' ' + sys.prefix)")
    result = grade(box, _vote(body))
    _right_parts_score(result)
    verdict, message, stdout = _by_name(result)["vote_k1"]
    assert verdict is V.EXCEPTION and message.startswith("ValueError at line") and "boom" in message
    assert "red" in stdout and "ok" in stdout
    for text in (message, stdout):
        assert not any(ch in text for ch in "\x1b\x07\x00\x08\r\u202e"), repr(text)
        assert not any(p in text for p in HOST), text


def test_a_forged_result_frame_of_20_mb_is_cut(box: Sandbox) -> None:
    forge = ("import os, protocol\n"
             "big = 'A' * (20 * 1024 * 1024)\n"
             "frame = protocol.encode({'status': 'exception', 'exc_type': 'E' * 10**6, 'message': big,"
             " 'where': '\\x1b[2J' * 10**5})\n"
             "view = memoryview(frame)\n"
             "while view:\n"
             "    view = view[os.write(3, view):]\n"
             "os._exit(0)")
    result = grade(box, _vote(forge))
    got = _by_name(result)
    _right_parts_score(result)
    assert got["vote_k1"][0] is V.EXCEPTION and len(got["vote_k1"][1]) <= MESSAGE_LIMIT + 40
    assert got[VOTE_HIDDEN] == (V.EXCEPTION, OWN_CLASS, "")
    assert len(result.model_dump_json()) < 20_000


def test_clean_keeps_the_end_of_printed_output_within_bounds() -> None:
    text = clean("x" * 10**7 + "\x1b[0mlast words", STDOUT_LIMIT, keep_end=True)
    assert len(text) <= STDOUT_LIMIT + 30 and text.endswith("last words")
    assert clean("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\") == "link"  # OSC 8 hyperlink


MANY_KEYS = ("def adam(w, dw, config=None):\n"
             "    junk = {f'k{i:07d}' + 'x' * 40: 'not an array' for i in range(200_000)}\n"
             "    return w, junk\n")


@pytest.mark.slow
def test_many_invalid_keys_stay_bounded_everywhere(tmp_path: Path) -> None:
    source = reference_text("adam").replace("def adam(", "def _unused_adam(") + "\n" + MANY_KEYS
    write_student(tmp_path / "subs", "s1", {"adam": source}, "folder")
    code, out = invoke("check", "adam", "-s", str(tmp_path / "subs" / "s1"), "--no-record", "--public-only")
    assert code == 1 and len(out) < 20_000 and "expected a numpy array" in out
    manifest = tmp_path / "manifest.json"
    knn_manifest(manifest)
    text = manifest.read_text().replace('"knn"', '"adam"')
    manifest.write_text(text)
    code, out = invoke("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "res"), "--manifest",
                       str(manifest), "--jobs", "1", "--allow-unisolated")
    assert code == 0, out
    record = tmp_path / "res" / "students" / "s1.json"
    junit = tmp_path / "res" / "junit" / "s1.xml"
    assert record.stat().st_size < 100_000 and junit.stat().st_size < 100_000
    assert "invalid_output" in record.read_text() and "k0000000" in record.read_text()


def test_public_and_hidden_names_of_the_small_suite() -> None:
    assert PUBLIC == ("two_loops", "one_loop", "vote_k1")  # what the tests above rely on
    assert HIDDEN == ("hidden_one_test_point", "hidden_two_loops_wide")
