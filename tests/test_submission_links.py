"""A link is not a submission (issue 12, item 2): one reader for check, grade, Gradescope and
notebooks, reading regular files only; archives and odd names never stop a class."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.check.run import check_submission
from grader.engine.manifest import ExerciseEntry, Manifest
from grader.models import Verdict
from grader.platforms import gradescope
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission, read_notebook, read_source
from grader.submission.source import Source, SourceProblem
from tests.support.class_helpers import KNN_POINTS, invoke, knn_manifest
from tests.support.helpers import reference_text

STUB = (Path(__file__).parents[1] / "exercises" / "knn.py").read_text(encoding="utf-8")


def course_repo(tmp_path: Path) -> tuple[Path, Path]:
    """The README's CI layout: solutions/ installed from the checkout that holds submissions/."""
    repo = tmp_path / "course"
    (repo / "solutions").mkdir(parents=True)
    (repo / "solutions" / "knn.py").write_text(reference_text("knn"))
    subs = repo / "submissions"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "exercises").symlink_to("../../solutions")  # a link inside the entry
    (subs / "bob").symlink_to("../solutions")  # the entry itself is a link
    (subs / "carol").mkdir()
    (subs / "carol" / "knn.py").write_text(reference_text("knn"))
    return repo, subs


def _tar_gz(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)


def _student(out: Path, sid: str) -> dict:  # type: ignore[type-arg]
    result: dict = json.loads((out / "students" / f"{sid}.json").read_text())  # type: ignore[type-arg]
    return result


def _verdicts(student: dict) -> set[str]:  # type: ignore[type-arg]
    return {c["verdict"] for e in student["exercises"] for c in e["cases"]}


def _messages(student: dict) -> list[str]:  # type: ignore[type-arg]
    return [c["message"] for e in student["exercises"] for c in e["cases"]]


@pytest.mark.slow
def test_grade_refuses_links_and_reads_tar_and_unicode_names(tmp_path: Path) -> None:
    _, subs = course_repo(tmp_path)
    _tar_gz(subs / "dave.tar.gz", {"dave/knn.py": reference_text("knn")})
    _zip(subs / "Zoë.zip", {"knn.py": reference_text("knn")})  # NFC: both map to "Zo_"
    _zip(subs / "Zoé.zip", {"knn.py": STUB})
    (subs / "eve.py").write_text(reference_text("knn"))  # one student, two entries: a clash
    (subs / "eve.ipynb").write_text("{}")
    out = tmp_path / "results"
    manifest = knn_manifest(tmp_path / "m.json")
    code, text = invoke("grade", str(subs), "--out", str(out), "--manifest", str(manifest),
                        "--jobs", "1", "--allow-unisolated")
    assert code == 0, text  # the class run ends normally: never exit 2 for a name clash
    book = {s["id"]: s for s in json.loads((out / "gradebook.json").read_text())["students"]}
    for linked, what in (("alice", "alice/exercises is a symbolic link"), ("bob", "bob is a symbolic link")):
        assert book[linked]["total"] == 0.0
        assert _verdicts(_student(out, linked)) == {"bad_source"}
        assert all(what in m for m in _messages(_student(out, linked)))
    assert book["carol"]["total"] == KNN_POINTS  # the run went on and a correct student scores
    assert book["dave"]["total"] == KNN_POINTS  # a .tar.gz is graded, as `check` reads it
    assert book["eve"]["total"] == 0.0 and _verdicts(_student(out, "eve")) == {"bad_source"}
    clash = "two submissions for student 'eve' (eve.ipynb, eve.py)"
    assert all(clash in m for m in _messages(_student(out, "eve")))
    zoes = {sid: s for sid, s in book.items() if sid.startswith("Zo_")}
    assert len(zoes) == 2  # two students, not one and not a class stop
    assert sorted(s["total"] for s in zoes.values()) == [0.0, KNN_POINTS]
    assert sorted(s["submission"] for s in zoes.values()) == ["Zoé.zip", "Zoë.zip"]
    solution = reference_text("knn").split("# BEGIN SOLUTION", 1)[1][:120].strip()
    assert len(solution) > 40
    for path in out.rglob("*"):  # not one line of the linked solutions appears in any output
        if path.is_file():
            assert solution not in path.read_text(errors="replace")


def test_check_refuses_the_same_links(tmp_path: Path, sandbox: Sandbox) -> None:
    _, subs = course_repo(tmp_path)
    for entry, words in ((subs / "alice", "exercises is a symbolic link"),
                         (subs / "bob", "is a symbolic link")):
        run = check_submission(["knn"], entry, sandbox=sandbox)
        cases = run.exercises[0].cases
        assert run.score == 0 and {c.verdict for c in cases} == {Verdict.BAD_SOURCE}
        assert all(words in c.message for c in cases)
    carol = check_submission(["knn"], subs / "carol", sandbox=sandbox)
    assert carol.score == carol.max_score > 0


def test_notebook_and_archive_links_are_bad_source(tmp_path: Path) -> None:
    real = tmp_path / "real.ipynb"
    real.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {"tags": ["solution-knn"]},
                                           "source": "x = 1\n"}]}))
    (tmp_path / "linked.ipynb").symlink_to(real)
    got = read_notebook(tmp_path / "linked.ipynb", "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    assert "symbolic link" in got.message
    assert isinstance(read_notebook(real, "knn"), Source)
    hard = tmp_path / "hw.tar"
    with tarfile.open(hard, "w") as tf:
        data = reference_text("knn").encode()
        info = tarfile.TarInfo("hw/other.py")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("hw/knn.py")
        link.type, link.linkname = tarfile.LNKTYPE, "hw/other.py"
        tf.addfile(link)
    got = read_source(hard, "knn")
    assert isinstance(got, SourceProblem) and "hw/knn.py is a hard link" in got.message


def test_gradescope_upload_with_a_link_scores_nothing_for_that_exercise(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    Manifest(grader_version=gradescope.__version__, exercises=[
        ExerciseEntry(id="knn", points=10), ExerciseEntry(id="adam", points=5)]).save(
        root / "source" / "dlgrade-manifest.json")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "knn.py").write_text(reference_text("knn"))
    (root / "submission").mkdir()
    (root / "submission" / "knn.py").symlink_to(tmp_path / "solutions" / "knn.py")
    (root / "submission" / "adam.py").write_text(reference_text("adam"))
    monkeypatch.delenv("DLGRADE_SECRET", raising=False)
    res = gradescope.run(root)
    knn = [t for t in res.tests if t.name.startswith("knn")]
    adam = [t for t in res.tests if t.name.startswith("adam")]
    assert knn and all(t.score == 0 and "knn.py is a symbolic link" in t.output for t in knn)
    assert sum(t.score for t in adam) == pytest.approx(5.0)


def test_entry_itself_a_link_in_every_shape(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (target / "knn.py").write_text("x = 1\n")
    _zip(tmp_path / "real.zip", {"knn.py": "x = 1\n"})
    (tmp_path / "real.py").write_text("x = 1\n")
    for name, to in (("dir", target), ("a.zip", tmp_path / "real.zip"), ("a.py", tmp_path / "real.py")):
        (tmp_path / name).symlink_to(to)
        with Submission(tmp_path / name) as sub:
            got = sub.read("knn")
        assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE, name
        assert "symbolic link" in got.message, name
    assert not os.path.islink(tmp_path / "real.py")


def test_a_folder_swapped_for_a_link_after_the_walk_is_refused(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "knn.py").write_text(reference_text("knn"))
    student = tmp_path / "student"
    (student / "exercises").mkdir(parents=True)
    (student / "exercises" / "knn.py").write_text(STUB)
    with Submission(student, label="student") as sub:  # the folder is walked here
        (student / "exercises" / "knn.py").unlink()
        (student / "exercises").rmdir()
        (student / "exercises").symlink_to(tmp_path / "solutions")  # swapped before the read
        got = sub.read("knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    assert "student/exercises/knn.py" in got.message and "BEGIN SOLUTION" not in got.message
