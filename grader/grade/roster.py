"""Who is in the class: submissions found in a folder, an optional roster, shards.

A submission is one entry of the submissions folder per student: a folder, a
``.py`` file, a notebook or a ``.zip`` / ``.tar*`` archive. The student id is
the entry's name (without its suffix, NFC-normalised, characters outside
``A-Za-z0-9._@+-`` replaced by ``_``) unless a roster maps it. Two entries whose
names differ but map to one id (``Zoë.zip`` and ``Zoé.zip``) are two students:
each id gets a short hash of its name. Two entries of one name (``bob.py`` and
``bob.ipynb``) are one student whose submission is reported as a clash.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from grader.errors import UsageError
from grader.submission.files import archive_stem, is_archive

KINDS = {".py": "py", ".ipynb": "notebook"}
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
# Roster headers we accept, lower-cased, for each field (Canvas/Moodle exports use the long ones).
HEADERS = {
    "id": ("id", "student_id", "student id", "username"),
    "name": ("name", "student", "full name", "fullname"),
    "sis_id": ("sis_id", "sis user id", "id number", "idnumber"),
    "login": ("login", "sis login id"),
    "email": ("email", "email address", "e-mail", "mail"),
    "section": ("section", "group"),
    "file": ("file", "submission", "folder"),
}


class Student(BaseModel):
    """One student of the class and where their submission is (empty: none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str = ""
    sis_id: str = ""
    login: str = ""
    email: str = ""  # from a roster email column only (Moodle maps users by it)
    section: str = ""
    submission: str = ""  # entry name inside the submissions folder
    kind: str = ""  # folder | py | notebook | archive | "" (nothing submitted)
    on_roster: bool = False
    problem: str = ""  # why the submission is not read (a clash): every exercise gets it as bad_source


def _entry_kind(path: Path) -> str | None:
    """The kind of a submissions-folder entry from ``lstat`` and its name.

    Links are kept (the reader refuses them with a message); None when it is not a submission.
    """
    if path.name.startswith((".", "_")):
        return None
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if is_archive(path.name):
        return "archive"
    return KINDS.get(path.suffix.lower(), "folder" if stat.S_ISLNK(mode) and not path.suffix else None)


def _stem(path: Path, kind: str) -> str:
    name = unicodedata.normalize("NFC", path.name)
    return archive_stem(name) if kind == "archive" else name if kind == "folder" else Path(name).stem


def _entry_id(stem: str) -> str:
    """The stem, with characters unsafe in a file name as ``_``.

    LMS downloads name folders like ``Alice Smith_1234_assignsubmission_file``.
    """
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", stem).lstrip("._-@+")[:120]


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def scan(folder: Path) -> dict[str, Student]:
    """Every submission in ``folder`` by student id (from the entry's name)."""
    if not folder.is_dir():
        raise UsageError(f"submissions folder {folder} does not exist or is not a folder")
    groups: dict[str, dict[str, list[tuple[Path, str]]]] = {}
    for path in sorted(folder.iterdir()):
        kind = _entry_kind(path)
        if kind is None:
            continue
        stem = _stem(path, kind)
        sid = _entry_id(stem)
        if not ID_OK.match(sid):
            sid = f"student-{_short_hash(stem)}"  # a name with no usable letters is still graded
        groups.setdefault(sid, {}).setdefault(stem, []).append((path, kind))
    found: dict[str, Student] = {}
    for sid, stems in groups.items():
        for stem, entries in stems.items():
            key = sid if len(stems) == 1 else f"{sid}-{_short_hash(stem)}"
            if len(entries) == 1:
                path, kind = entries[0]
                found[key] = Student(id=key, submission=path.name, kind=kind)
            else:
                names = ", ".join(p.name for p, _ in entries)
                found[key] = Student(id=key, kind="clash", problem=(
                    f"two submissions for student {key!r} ({names}); the instructor must keep one"))
    return found


def _column(header: list[str], field: str) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for alias in HEADERS[field]:
        if alias in lowered:
            return lowered.index(alias)
    return None


def read_roster(path: Path) -> list[Student]:
    """Roster rows: an ``id`` column, optional name, sis_id, login, section, file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise UsageError(f"roster {path} does not exist") from None
    except UnicodeDecodeError:
        raise UsageError(f"roster {path} is not UTF-8 text; save it as UTF-8 CSV") from None
    if not rows:
        raise UsageError(f"roster {path} is empty; it needs a header row with an 'id' column")
    cols = {f: _column(rows[0], f) for f in HEADERS}
    id_col = cols["id"]
    if id_col is None:
        raise UsageError(f"roster {path} has no 'id' column (header: {', '.join(rows[0])})")
    students, seen = [], set()
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: row[c].strip() if c is not None and c < len(row) else "" for f, c in cols.items()}
        sid = values["id"]
        if not ID_OK.match(sid):
            raise UsageError(f"roster {path} line {n}: {sid!r} is not a usable student id")
        if sid in seen:
            raise UsageError(f"roster {path} line {n}: student {sid!r} appears twice")
        if values["email"] and not EMAIL.match(values["email"]):
            raise UsageError(f"roster {path} line {n}: {values['email']!r} in the email column is not an "
                             "email address; fix it or leave the cell empty")
        seen.add(sid)
        students.append(Student(id=sid, name=values["name"], sis_id=values["sis_id"],
                                login=values["login"], email=values["email"], section=values["section"],
                                submission=values["file"], on_roster=True))
    return students


def match(submissions: dict[str, Student], roster: list[Student] | None) -> list[Student]:
    """The class, sorted by id.

    Roster students with their submission (or none), plus submissions not on the
    roster (graded too: no work is dropped).
    """
    if roster is None:
        return sorted(submissions.values(), key=lambda s: s.id)
    by_entry = {s.submission: s for s in submissions.values()}
    used: set[str] = set()
    out = []
    for person in roster:
        sub = by_entry.get(person.submission) if person.submission else None
        sub = sub or submissions.get(person.id) or next(
            (submissions[k] for k in (person.login, person.email) if k and k in submissions), None)
        if sub is not None:
            used.add(sub.id)
        out.append(person.model_copy(update={"submission": sub.submission if sub else "",
                                             "kind": sub.kind if sub else "",
                                             "problem": sub.problem if sub else ""}))
    known = {s.id for s in out}
    out += [s for s in submissions.values() if s.id not in used and s.id not in known]
    return sorted(out, key=lambda s: s.id)


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` with 1 <= I <= N."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError(f"--shard {text!r}: expected I/N with 1 <= I <= N, e.g. --shard 2/4")
    return int(m.group(1)), int(m.group(2))


def shard_of(student_id: str, total: int) -> int:
    """The shard (1..total) a student belongs to.

    A stable hash, so shards do not shift when students join or leave the class.
    """
    digest = hashlib.sha256(student_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % total + 1


def in_shard(students: list[Student], shard: tuple[int, int] | None) -> list[Student]:
    """The students of shard ``(index, total)``; everyone if ``shard`` is None."""
    if shard is None:
        return students
    index, total = shard
    return [s for s in students if shard_of(s.id, total) == index]
