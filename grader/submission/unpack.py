"""Reading one student's submission, whatever its shape.

A folder, one .py file holding every exercise, a notebook, or a zip of any of these.

Zips are extracted defensively: only ``.py`` and ``.ipynb`` members, no
absolute paths, no ``..``, no links, bounded member count and sizes.
"""

from __future__ import annotations

import importlib
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from grader.records import Verdict
from grader.submission.source import MAX_SOURCE_BYTES, Source, SourceProblem, decode_source, read_source

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 5 * MAX_SOURCE_BYTES  # notebooks carry outputs
MAX_TOTAL_BYTES = 50 * 1024**2
KEEP = (".py", ".ipynb")

Reader = Callable[[str], "Source | SourceProblem"]


class BadArchive(ValueError):
    """A zip we refuse to extract; the message says why."""


def _safe_name(info: zipfile.ZipInfo) -> PurePosixPath | None:
    name = PurePosixPath(info.filename.replace("\\", "/"))
    if info.filename.startswith(("/", "\\")) or ".." in name.parts or ":" in info.filename:
        raise BadArchive(f"member {info.filename!r} points outside the archive")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BadArchive(f"member {info.filename!r} is a link")
    if info.is_dir() or name.suffix.lower() not in KEEP or "__MACOSX" in name.parts:
        return None
    return name


def extract(archive: Path, into: Path) -> None:
    """Extract the .py and .ipynb members of ``archive`` into ``into``, safely."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise BadArchive(f"{len(infos)} members; the limit is {MAX_MEMBERS}")
            total = 0
            for info in infos:
                name = _safe_name(info)
                if name is None:
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    raise BadArchive(f"member {info.filename!r} is {info.file_size} bytes")
                total += info.file_size
                if total > MAX_TOTAL_BYTES:
                    raise BadArchive(f"more than {MAX_TOTAL_BYTES} bytes uncompressed")
                target = into.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src:  # zipfile stops at the declared size and checks the CRC
                    data = src.read(MAX_MEMBER_BYTES + 1)
                if len(data) > MAX_MEMBER_BYTES:
                    raise BadArchive(f"member {info.filename!r} is too large")
                target.write_bytes(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise BadArchive(f"not a readable zip ({exc})") from None


def _root(folder: Path) -> Path:
    """Descend through a single top folder (``alice.zip`` holding ``alice/knn.py``)."""
    while True:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir():
            folder = entries[0]
        else:
            return folder


def _notebook_reader(path: Path) -> Reader:
    try:
        notebooks = importlib.import_module("grader.submission.notebooks")
    except ModuleNotFoundError:
        return lambda ex: SourceProblem(ex, Verdict.BAD_SOURCE,
                                        "this grader cannot read notebooks (no grader.submission.notebooks)")
    read: Callable[[Path, str], Source | SourceProblem] = notebooks.read_notebook
    return lambda ex: read(path, ex)


def _folder_reader(folder: Path) -> Reader:
    folder = _root(folder)
    places = [folder, folder / "exercises"]
    notebooks = sorted(folder.glob("*.ipynb"))

    def read(ex: str) -> Source | SourceProblem:
        for place in places:
            if (place / f"{ex}.py").is_file():
                return read_source(place, ex)
        problem: Source | SourceProblem = SourceProblem(ex, Verdict.MISSING_MODULE,
                                                        f"no {ex}.py (or notebook) in the submission")
        for nb in notebooks:
            found = _notebook_reader(nb)(ex)
            if isinstance(found, Source):
                return found
            if found.verdict is not Verdict.MISSING_MODULE:
                problem = found
        return problem

    return read


def _file_reader(path: Path) -> Reader:
    data = path.read_bytes()
    return lambda ex: decode_source(ex, data, path.name)


def _problem(message: str, verdict: Verdict = Verdict.BAD_SOURCE) -> Reader:
    return lambda ex: SourceProblem(ex, verdict, message)


@contextmanager
def open_submission(path: Path | None, kind: str) -> Iterator[Reader]:
    """A function from exercise id to that exercise's source in this submission."""
    if path is None or not kind:
        yield _problem("nothing was submitted", Verdict.MISSING_MODULE)
    elif kind == "folder":
        yield _folder_reader(path)
    elif kind == "py":
        yield _file_reader(path)
    elif kind == "notebook":
        yield _notebook_reader(path)
    else:
        with tempfile.TemporaryDirectory(prefix="dlgrade-zip-") as tmp:
            try:
                extract(path, Path(tmp))
            except BadArchive as exc:
                yield _problem(f"{path.name}: {exc}")
            else:
                yield _folder_reader(Path(tmp))
