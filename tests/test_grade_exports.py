"""Exports and the class report, validated against their formats."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.grade.exports import CANVAS_FIXED
from tests.support.class_helpers import KNN_POINTS, invoke, knn_manifest, small_class


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("exports")
    made = small_class(base / "subs", 8)
    roster = base / "roster.csv"
    # a Canvas-style roster: the long header names, and one student who submitted nothing
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section"]
    lines += [f"Name {sid},{sid},SIS-{sid},{sid}@uni.example,A" for sid in made]
    lines.append("Absent Student,s9999,SIS-s9999,s9999@uni.example,B")
    roster.write_text("\n".join(lines) + "\n")
    code, out = invoke("grade", str(base / "subs"), "--out", str(base / "r"), "--roster", str(roster),
                       "--manifest", str(knn_manifest(base / "m.json")), "--jobs", "2",
                       "--allow-unisolated", "--report", str(base / "class.html"))
    assert code == 0, out
    return base / "r", {**made, "s9999": "absent"}


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_gradebook_csv(results: tuple[Path, dict[str, str]]) -> None:
    folder, made = results
    rows = _rows(folder / "gradebook.csv")
    assert rows[0] == ["id", "name", "section", "knn", "total"]
    body = {r[0]: r for r in rows[1:]}
    assert sorted(body) == sorted(made)
    assert body["s9999"][1:] == ["Absent Student", "B", "0", "0"]  # on the roster, nothing submitted
    for sid, label in made.items():
        assert float(body[sid][3]) == float(body[sid][4])  # one exercise: total = its column
        if label == "correct":
            assert float(body[sid][4]) == KNN_POINTS


def test_canvas_layout(results: tuple[Path, dict[str, str]]) -> None:
    folder, made = results
    rows = _rows(folder / "canvas.csv")
    # Canvas's gradebook import: these five columns, then one "Title (id)" column per assignment
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] == CANVAS_FIXED
    assert rows[0][5:] == ["K-nearest neighbours (knn)"]
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][5]) == KNN_POINTS
    body = {r[1]: r for r in rows[2:]}
    assert sorted(body) == sorted(made)
    assert body["s0000"][:5] == ["Name s0000", "s0000", "SIS-s0000", "s0000@uni.example", "A"]


def test_moodle_csv(results: tuple[Path, dict[str, str]]) -> None:
    folder, made = results
    rows = _rows(folder / "moodle.csv")
    assert rows[0][:3] == ["ID number", "Email address", "Full name"] and rows[0][-1] == "Total"
    assert {r[0] for r in rows[1:]} == {f"SIS-{sid}" for sid in made}
    assert all(r[1].endswith("@uni.example") for r in rows[1:])


def test_json_and_junit_agree(results: tuple[Path, dict[str, str]]) -> None:
    folder, made = results
    doc = json.loads((folder / "gradebook.json").read_text())
    assert doc["exercises"] == [{"id": "knn", "points": KNN_POINTS}]
    for student in doc["students"]:
        cases = student["exercises"]["knn"]["cases"]
        tree = ET.parse(folder / "junit" / f"{student['id']}.xml")  # well-formed, or this raises
        root = tree.getroot()
        assert root.tag == "testsuites"
        testcases = root.findall("./testsuite/testcase")
        failures = root.findall("./testsuite/testcase/failure")
        assert len(testcases) == len(cases) == int(root.get("tests", "-1"))
        failed = sum(c["verdict"] != "passed" for c in cases)
        assert len(failures) == failed == int(root.get("failures", "-1"))
        label = made[student["id"]]
        if label == "correct":
            assert not failures
        if label in ("absent", "broken: stubs"):
            assert len(failures) == len(testcases) > 0


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = io.StringIO()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.write(data)


def test_class_report_structure(results: tuple[Path, dict[str, str]]) -> None:
    folder, made = results
    page = _Page()
    page.feed((folder.parent / "class.html").read_text())
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "link" not in tags  # self-contained, works without JS
    assert not [a for _, a in page.tags if str(a.get("src") or a.get("href") or "").startswith("http")]
    figures = [a for t, a in page.tags if t == "figure"]
    assert [f["data-exercise"] for f in figures] == ["knn"]
    bars = [int(a["data-count"] or 0) for t, a in page.tags if t == "rect" and a.get("class") == "bar"]
    assert len(bars) == 10 and sum(bars) == len(made)
    # how many students made each mistake: counted from what the generator wrote, not from the grader
    expected: dict[str, int] = {}
    for label in made.values():
        if label.startswith("mistake"):
            mid = label.split("/")[1]
            expected[mid] = expected.get(mid, 0) + 1
    rows = {a["data-mistake"]: int(a["data-students"] or 0) for t, a in page.tags
            if t == "tr" and a.get("data-mistake")}
    assert rows == expected
    text = page.text.getvalue()
    assert "Not isolated" in text or "isolated sandbox" in text
    assert "identical outputs are expected" in text  # no --secret: not compared
