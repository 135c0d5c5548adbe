"""Gradebook exports from the same results: CSV, Canvas, Moodle, JSON, JUnit XML.

Exports contain grades and verdicts, never timings, so an interrupted and
resumed run exports exactly what an uninterrupted one does.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from grader.engine import registry
from grader.grade.gradebook import Gradebook
from grader.grade.results import StudentResult, write_atomic

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
FILES = ("gradebook.csv", "canvas.csv", "moodle.csv", "gradebook.json", "junit/")


def _num(x: float) -> str:
    return f"{x:.6g}"


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _title(ex_id: str) -> str:
    try:
        return registry.load(ex_id).title
    except ModuleNotFoundError:
        return ex_id


def gradebook_csv(book: Gradebook) -> str:
    """One row per student, one column per exercise (manifest points) and the total."""
    ids = book.exercise_ids
    rows = [["id", "name", "section", *ids, "total"]]
    rows += [[r.student.id, r.student.name, r.student.section,
              *(_num(r.points.get(e, 0.0)) for e in ids), _num(r.total)] for r in book.students]
    return _csv(rows)


def canvas_csv(book: Gradebook) -> str:
    """Canvas's gradebook import layout, with the "Points Possible" row its own exports have."""
    ids = book.exercise_ids
    points = {e.id: e.points for e in book.run.manifest.exercises}
    rows = [[*CANVAS_FIXED, *(f"{_title(e)} ({e})" for e in ids)],
            ["    Points Possible", "", "", "", "", *(_num(points[e]) for e in ids)]]
    rows += [[r.student.name or r.student.id, r.student.id, r.student.sis_id, r.student.login,
              r.student.section, *(_num(r.points.get(e, 0.0)) for e in ids)] for r in book.students]
    return _csv(rows)


def moodle_csv(book: Gradebook) -> str:
    """Moodle's "import grades from CSV": map users by ID number or email, one column per grade item."""
    ids = book.exercise_ids
    rows = [["ID number", "Email address", "Full name", *(_title(e) for e in ids), "Total"]]
    rows += [[r.student.sis_id or r.student.id, r.student.login, r.student.name,
              *(_num(r.points.get(e, 0.0)) for e in ids), _num(r.total)] for r in book.students]
    return _csv(rows)


def _student_json(r: StudentResult) -> dict[str, Any]:
    return {
        "id": r.student.id, "name": r.student.name, "section": r.student.section,
        "submission": r.student.submission, "total": r.total, "max_total": r.max_total,
        "points": r.points, "warnings": r.warnings, "isolated": r.isolated,
        "exercises": {e.exercise: {"score": e.score, "max_score": e.max_score, "cases": [
            {"name": c.name, "visibility": c.visibility, "verdict": c.verdict.value, "points": c.points,
             "max_points": c.max_points, "mistake": c.mistake.id if c.mistake else None}
            for c in e.cases]} for e in r.exercises},
    }


def gradebook_json(book: Gradebook) -> str:
    """The gradebook as JSON: the run's grader version, manifest and every student's result."""
    run = book.run
    doc = {"grader_version": run.grader_version, "manifest_hash": run.manifest_hash,
           "exercises": [e.model_dump() for e in run.manifest.exercises], "isolated": run.isolated,
           "students": [_student_json(r) for r in book.students]}
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def junit_xml(r: StudentResult) -> str:
    """One <testsuite> per exercise, one <testcase> per case; a case not passed is a <failure>."""
    root = ET.Element("testsuites", name=f"dlgrade {r.student.id}")
    totals = [0, 0]
    for ex in r.exercises:
        failed = sum(not c.passed for c in ex.cases)
        suite = ET.SubElement(root, "testsuite", name=ex.exercise, tests=str(len(ex.cases)),
                              failures=str(failed), errors="0", skipped="0")
        totals[0] += len(ex.cases)
        totals[1] += failed
        for c in ex.cases:
            case = ET.SubElement(suite, "testcase", classname=f"{r.student.id}.{ex.exercise}", name=c.name,
                                 time=f"{c.duration_ms / 1000:.3f}")
            if not c.passed:
                text = c.message + (f"\nknown mistake: {c.mistake.title}" if c.mistake else "")
                failure = ET.SubElement(case, "failure", type=c.verdict.value, message=c.message[:200])
                failure.text = text
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_all(book: Gradebook, out: Path) -> list[Path]:
    """Every export into ``out`` (JUnit files under ``out/junit/``)."""
    written = []
    for name, text in (("gradebook.csv", gradebook_csv(book)), ("canvas.csv", canvas_csv(book)),
                       ("moodle.csv", moodle_csv(book)), ("gradebook.json", gradebook_json(book))):
        write_atomic(out / name, text)
        written.append(out / name)
    for r in book.students:
        write_atomic(out / "junit" / f"{r.student.id}.xml", junit_xml(r))
    written.append(out / "junit")
    return written
