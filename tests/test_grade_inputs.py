"""Finding the class: submission shapes, rosters, shards, hostile zips, copied answers."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from bench.synth import reference
from grader.errors import UsageError
from grader.grade.roster import in_shard, match, parse_shard, read_roster, scan, shard_of
from grader.models import Verdict
from grader.submission.reader import Submission
from tests.support.class_helpers import HARD_CODED_DISTANCES, ZERO_VOTES, invoke, knn_manifest, small_class


def test_scan_takes_ids_from_names_and_refuses_duplicates(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    (tmp_path / "bob.py").write_text("x = 1\n")
    (tmp_path / "carol.zip").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a submission")
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "Dan Ng_1234_assignsubmission_file").mkdir()  # how an LMS download names folders
    found = scan(tmp_path)
    assert {k: v.kind for k, v in found.items()} == {"alice": "folder", "bob": "py", "carol": "archive",
                                                     "Dan_Ng_1234_assignsubmission_file": "folder"}
    assert found["Dan_Ng_1234_assignsubmission_file"].submission == "Dan Ng_1234_assignsubmission_file"
    (tmp_path / "bob.ipynb").write_text("{}")
    bob = scan(tmp_path)["bob"]  # one student, two entries: a clash reported for bob, not a class stop
    assert bob.kind == "clash" and "two submissions" in bob.problem and "bob.ipynb, bob.py" in bob.problem


def test_roster_matches_by_file_column_and_keeps_unlisted_work(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    (subs / "hw1_alice").mkdir(parents=True)
    (subs / "zed").mkdir()
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,file\n1001,Alice,hw1_alice\n1002,Bob,\n")
    people = {s.id: s for s in match(scan(subs), read_roster(roster))}
    assert people["1001"].submission == "hw1_alice" and people["1001"].name == "Alice"
    assert people["1002"].submission == "" and people["1002"].on_roster
    assert people["zed"].submission == "zed" and not people["zed"].on_roster  # graded, not dropped
    roster.write_text("name\nAlice\n")
    with pytest.raises(UsageError, match="no 'id' column"):
        read_roster(roster)


def test_shards_partition_the_class_stably() -> None:
    from grader.grade.roster import Student

    people = [Student(id=f"s{i}") for i in range(40)]
    parts = [in_shard(people, (i, 4)) for i in (1, 2, 3, 4)]
    assert sorted(s.id for p in parts for s in p) == sorted(s.id for s in people)
    # a student's shard does not depend on who else is in the class
    assert [s.id for s in in_shard(people[:10], (2, 4))] == [s.id for s in parts[1] if s in people[:10]]
    assert all(shard_of(s.id, 4) == 2 for s in parts[1])
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "2", "a/b"):
        with pytest.raises(UsageError):
            parse_shard(bad)


def test_zip_that_escapes_is_graded_as_bad_source_not_extracted(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escaped.py", "x = 1\n")
    with Submission(evil) as sub:
        problem = sub.read("knn")
    assert getattr(problem, "verdict", None) is Verdict.BAD_SOURCE and "unsafe path" in problem.message
    assert not (tmp_path.parent / "escaped.py").exists()
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as zf:
        zf.writestr("hw1/exercises/knn.py", "A = 1\n")
        zf.writestr("hw1/README.md", "ignored")
    with Submission(nested) as sub:
        assert getattr(sub.read("knn"), "text", "") == "A = 1\n"
        assert getattr(sub.read("softmax"), "verdict", None) is Verdict.MISSING_MODULE


@pytest.mark.slow
def test_copied_hidden_outputs_are_flagged_only_with_per_student_variants(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    small_class(subs, 3)
    # two students hand in the same typed-in distances: their hidden inputs differ, their outputs do not;
    # two others both vote 0 everywhere: identical labels carry no information, so they are not flagged
    for sid, extra in (("copy_a", HARD_CODED_DISTANCES), ("copy_b", HARD_CODED_DISTANCES),
                       ("zeros_a", ZERO_VOTES), ("zeros_b", ZERO_VOTES)):
        (subs / sid).mkdir()
        (subs / sid / "knn.py").write_text(reference("knn") + extra)
    (subs / "solo.py").write_text(reference("knn"))  # one .py file holding the exercise
    manifest = knn_manifest(tmp_path / "m.json")
    for secret, out in (("s3cret", "with"), (None, "without")):
        args = ["grade", str(subs), "--out", str(tmp_path / out), "--manifest", str(manifest),
                "--jobs", "1", "--allow-unisolated", "--report", str(tmp_path / f"{out}.html")]
        code, text = invoke(*args, *(["--secret", secret] if secret else []))
        assert code == 0, text
    solo = next(s for s in json.loads((tmp_path / "with" / "gradebook.json").read_text())["students"]
                if s["id"] == "solo")
    assert solo["total"] == solo["max_total"] > 0
    flagged = (tmp_path / "with.html").read_text()
    assert flagged.count('class="shared"') == 1 and "copy_a, copy_b" in flagged and "zeros_a" not in flagged
    assert "knn/hidden_duplicates" in flagged and "bits" in flagged  # the evidence is shown
    assert 'class="shared"' not in (tmp_path / "without.html").read_text()


def test_notebook_submissions_are_graded(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(reference("knn"))
    cell.metadata["tags"] = ["solution-knn"]
    nb.cells.append(cell)
    nbformat.write(nb, subs / "nbstudent.ipynb")
    code, text = invoke("grade", str(subs), "--out", str(tmp_path / "r"), "--manifest",
                        str(knn_manifest(tmp_path / "m.json")), "--jobs", "1", "--allow-unisolated")
    assert code == 0, text
    doc = json.loads((tmp_path / "r" / "gradebook.json").read_text())
    assert doc["students"][0]["total"] == doc["students"][0]["max_total"]
