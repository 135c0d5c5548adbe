"""Gradebook exports from the same results: CSV, Canvas, Moodle, JSON, JUnit XML.

Exports contain grades and verdicts, never timings, so an interrupted and
resumed run exports exactly what an uninterrupted one does. They are written
all or nothing. Text cells of the CSV files that a spreadsheet would run as a
formula (starting with ``= + - @``, a tab or a carriage return, after any
spaces) are prefixed with ``'``, as OWASP's "CSV Injection" page advises.
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
from grader.grade.results import StudentResult
from grader.grade.roster import EMAIL, Student
from grader.grade.writes import write_all_or_nothing

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
FILES = ("gradebook.csv", "canvas.csv", "moodle.csv", "gradebook.json", "junit/")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # + full-width


def text_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: formula-like values get a leading ``'``."""
    return "'" + value if value.lstrip(" ").startswith(FORMULA_START) else value


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
    rows += [[*map(text_cell, (r.student.id, r.student.name, r.student.section)),
              *(_num(r.points.get(e, 0.0)) for e in ids), _num(r.total)] for r in book.students]
    return _csv(rows)


def canvas_csv(book: Gradebook) -> str:
    """Canvas's gradebook import layout, with the "Points Possible" row its own exports have."""
    ids = book.exercise_ids
    points = {e.id: e.points for e in book.run.manifest.exercises}
    rows = [[*CANVAS_FIXED, *(f"{_title(e)} ({e})" for e in ids)],
            ["    Points Possible", "", "", "", "", *(_num(points[e]) for e in ids)]]
    rows += [[*map(text_cell, (r.student.name or r.student.id, r.student.id, r.student.sis_id,
                               r.student.login, r.student.section)),
              *(_num(r.points.get(e, 0.0)) for e in ids)] for r in book.students]
    return _csv(rows)


def email(student: Student) -> str:
    """The roster's email column, else the login when it is an email address, else ""."""
    return student.email or (student.login if EMAIL.match(student.login) else "")


def moodle_csv(book: Gradebook) -> str:
    """Moodle's "import grades from CSV", one column per grade item.

    Users are mapped by ID number, or by email address: a column present only when the
    roster holds email addresses.
    """
    ids = book.exercise_ids
    emails = any(email(r.student) for r in book.students)
    rows = [["ID number", *(["Email address"] if emails else []), "Full name",
             *(_title(e) for e in ids), "Total"]]
    rows += [[text_cell(r.student.sis_id or r.student.id), *([text_cell(email(r.student))] if emails else []),
              text_cell(r.student.name), *(_num(r.points.get(e, 0.0)) for e in ids), _num(r.total)]
             for r in book.students]
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


def write_all(book: Gradebook, out: Path, extra: dict[Path, str] | None = None) -> list[Path]:
    """Write every export into ``out``, plus ``extra`` files, all or nothing.

    JUnit files go under ``out/junit/``; ``extra`` is the class report.

    Raises:
        OutputError: a file cannot be written (disk full, read-only); none was replaced.
    """
    files = {out / "gradebook.csv": gradebook_csv(book), out / "canvas.csv": canvas_csv(book),
             out / "moodle.csv": moodle_csv(book), out / "gradebook.json": gradebook_json(book)}
    files |= {out / "junit" / f"{r.student.id}.xml": junit_xml(r) for r in book.students}
    write_all_or_nothing(files | (extra or {}))
    return [*list(files)[:4], out / "junit", *(extra or {})]
