"""``dlgrade grade`` and ``dlgrade merge`` end to end, with a real sandbox and
real worker processes: grades, resume after a real SIGKILL, shards, refusals."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox.runner import Sandbox
from tests.support.class_helpers import KNN_POINTS, invoke, knn_manifest, small_class

pytestmark = pytest.mark.slow  # real releases, classes, kernels or browsers


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], Path]:
    """One uninterrupted run over a class of 10 (2 workers) with per-student variants;
    student s0004's vote never returns."""
    base = tmp_path_factory.mktemp("class")
    made = small_class(base / "subs", 10, loop_student="s0004")
    manifest = knn_manifest(base / "manifest.json")
    code, out = invoke("grade", str(base / "subs"), "--out", str(base / "results"), "--manifest",
                       str(manifest), "--jobs", "2", "--secret", "s3cret", "--allow-unisolated",
                       "--report", str(base / "class.html"))
    assert code == 0, out
    return base / "subs", base / "results", made, manifest


def _gradebook(results: Path) -> dict[str, dict[str, str]]:
    with (results / "gradebook.csv").open(newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def test_grades_follow_what_each_submission_is(graded: tuple[Path, Path, dict[str, str], Path]) -> None:
    _, results, made, _ = graded
    book = _gradebook(results)
    assert sorted(book) == sorted(made)
    doc = json.loads((results / "gradebook.json").read_text())
    by_id = {s["id"]: s for s in doc["students"]}
    for sid, label in made.items():
        total = float(book[sid]["total"])
        if label == "correct":
            assert total == KNN_POINTS, sid  # the manifest's points, not the suite's 18
        elif label.startswith("mistake"):
            mistake = label.split("/")[1]
            named = {c["mistake"] for c in by_id[sid]["exercises"]["knn"]["cases"]}
            assert 0 < total < KNN_POINTS and mistake in named, (sid, label, named)
        elif label == "hostile: loop":
            cases = by_id[sid]["exercises"]["knn"]["cases"]
            assert total < KNN_POINTS and any(c["verdict"] == "timeout" for c in cases)
        elif label in ("broken: syntax error", "broken: stubs", "broken: missing file"):
            assert total == 0.0, (sid, label)
    box = Sandbox().start()
    assert doc["isolated"] is bool(box.isolated)  # the results say how the run was sandboxed
    box.close()


def test_unisolated_sandbox_is_refused_without_the_flag(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_SANDBOX", "process")  # issue 4's override: limits, no namespaces
    box = Sandbox().start()
    isolated = box.isolated
    box.close()
    assert not isolated
    small_class(tmp_path / "subs", 2)
    code, out = invoke("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "r"))
    assert code == 2 and "--allow-unisolated" in out
    assert not (tmp_path / "r" / "students").exists()
    code, out = invoke("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "r"), "--jobs", "1",
                       "--allow-unisolated", "--report", str(tmp_path / "class.html"))
    assert code == 0, out
    assert json.loads((tmp_path / "r" / "gradebook.json").read_text())["isolated"] is False
    assert "Not isolated" in (tmp_path / "class.html").read_text()


def test_usage_errors_are_one_line(tmp_path: Path, graded: tuple[Path, Path, dict[str, str], Path]) -> None:
    subs, results, _, _ = graded
    code, out = invoke("grade", str(tmp_path / "nope"), "--out", str(tmp_path / "r"), "--allow-unisolated")
    assert code == 2 and out.startswith("error:") and "Traceback" not in out
    code, out = invoke("grade", str(subs), "--out", str(tmp_path / "r"), "--shard", "4/3",
                       "--allow-unisolated")
    assert code == 2 and "I/N" in out
    # the same results folder with another manifest: refused, nothing overwritten
    before = (results / "gradebook.csv").read_text()
    other = knn_manifest(tmp_path / "other.json", points=5)
    code, out = invoke("grade", str(subs), "--out", str(results), "--manifest", str(other),
                       "--secret", "s3cret", "--allow-unisolated")
    assert code == 2 and "different manifests" in out
    assert (results / "gradebook.csv").read_text() == before
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _ = invoke("grade", str(empty), "--out", str(tmp_path / "r2"), "--allow-unisolated")
    assert code == 5


def test_shards_merge_to_the_same_gradebook(tmp_path: Path,
                                            graded: tuple[Path, Path, dict[str, str], Path]) -> None:
    subs, results, made, manifest = graded
    shards = []
    for i in (1, 2, 3):
        out = tmp_path / f"shard{i}"
        code, text = invoke("grade", str(subs), "--out", str(out), "--manifest", str(manifest),
                            "--shard", f"{i}/3", "--jobs", "1", "--secret", "s3cret", "--allow-unisolated")
        assert code in (0, 5), text
        if code == 0:
            shards.append(out)
    ids = [set(_gradebook(s)) for s in shards]
    assert sum(len(x) for x in ids) == len(made) and set().union(*ids) == set(made)  # a partition
    code, text = invoke("merge", *map(str, shards), "--out", str(tmp_path / "merged"))
    assert code == 0, text
    for name in ("gradebook.csv", "canvas.csv", "moodle.csv", "gradebook.json"):
        assert (tmp_path / "merged" / name).read_text() == (results / name).read_text(), name


def test_merge_refuses_different_gradings(tmp_path: Path,
                                          graded: tuple[Path, Path, dict[str, str], Path]) -> None:
    subs, results, _, _ = graded
    other = tmp_path / "other"
    code, text = invoke("grade", str(subs), "--out", str(other), "--manifest",
                        str(knn_manifest(tmp_path / "m5.json", points=5)), "--shard", "1/5",
                        "--secret", "s3cret", "--allow-unisolated", "--jobs", "1")
    assert code == 0, text
    code, text = invoke("merge", str(results), str(other), "--out", str(tmp_path / "m"))
    assert code == 2 and "different manifests" in text
    newer = tmp_path / "newer"
    shutil.copytree(results, newer)
    run = json.loads((newer / "dlgrade-results.json").read_text())
    run["grader_version"] = "99.0"
    (newer / "dlgrade-results.json").write_text(json.dumps(run))
    code, text = invoke("merge", str(results), str(newer), "--out", str(tmp_path / "m"))
    assert code == 2 and "different grader versions" in text
    assert not (tmp_path / "m" / "gradebook.csv").exists()


def test_killed_run_resumes_to_the_same_gradebook(tmp_path: Path,
                                                  graded: tuple[Path, Path, dict[str, str], Path]) -> None:
    """A real ``dlgrade grade`` process group is SIGKILLed half-way, then rerun."""
    _, reference, _, _ = graded
    subs = tmp_path / "subs"
    small_class(subs, 10, loop_student="s0004")  # the hanging vote keeps the run busy for a while
    out = tmp_path / "results"
    manifest = knn_manifest(tmp_path / "manifest.json")
    cmd = [sys.executable, "-m", "grader", "grade", str(subs), "--out", str(out), "--manifest",
           str(manifest), "--jobs", "2", "--secret", "s3cret", "--allow-unisolated"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list((out / "students").glob("*.json"))) < 3 and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = {p.stem for p in (out / "students").glob("*.json")}
    assert 3 <= len(partial) < 10
    for path in (out / "students").glob("*.json"):
        json.loads(path.read_text())  # every file that exists is complete
    (out / "students" / ".s0009.json.killed.tmp").write_text('{"half": ')  # as a kill mid-write leaves
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{len(partial)} already graded" in again.stderr
    assert not list((out / "students").glob(".*"))
    for name in ("gradebook.csv", "canvas.csv", "moodle.csv", "gradebook.json"):
        assert (out / name).read_text() == (reference / name).read_text(), name
    doc = json.loads((out / "gradebook.json").read_text())
    hung = next(s for s in doc["students"] if s["id"] == "s0004")["exercises"]["knn"]["cases"]
    assert any(c["verdict"] == "timeout" for c in hung)
