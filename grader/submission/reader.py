"""The one reader of a submission, whatever its shape.

A submission is a folder, one ``.py`` file, a notebook (``.ipynb``), or a
``.zip`` / ``.tar*`` archive of these.

``dlgrade check``, ``dlgrade grade``, the platform runners and the notebook
check all find an exercise's source here, the same way:

- a single ``.py`` file is the source of whichever exercise is asked for;
- in a folder or an archive, the shallowest ``<exercise>.py`` wins (two at the
  same depth are ambiguous: refused), else the shallowest notebook with cells
  tagged ``solution-<exercise>``;
- only regular files are read (see :mod:`grader.submission.files`): a link,
  FIFO, device or hard link where the exercise could be (a file of that name,
  a link without suffix that may be a folder, or a notebook when no ``.py``
  holds the exercise) makes that exercise ``bad_source``, and so does a
  submission that is itself a link.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import TYPE_CHECKING

from grader.records import Verdict
from grader.submission.files import Entry, Refused, is_archive, read_inside, read_regular, walk
from grader.submission.notebooks import MAX_NOTEBOOK_BYTES, Cell, notebook_source, parse_cells, tagged
from grader.submission.source import MAX_SOURCE_BYTES, Source, SourceProblem, decode_source

if TYPE_CHECKING:
    from grader.submission.archive import Archive

KINDS = ("folder", "py", "notebook", "archive")


def kind_of(path: Path) -> str:
    """folder, notebook, archive or py (any other file), from ``lstat`` and the name."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return "folder"
    except OSError:
        pass
    name = path.name.lower()
    return "notebook" if name.endswith(".ipynb") else "archive" if is_archive(name) else "py"


class Submission:
    """One student's submission, opened for reading; use as a context manager."""

    def __init__(self, path: Path | None, kind: str | None = None, label: str | None = None,
                 refused: str = "") -> None:
        """Prepare to read ``path`` (None: nothing was submitted); ``label`` names it in messages.

        With ``refused``, nothing is read: every exercise gets that message as ``bad_source``
        (two entries of one student, say).
        """
        self.path = path
        self.label = label or (str(path) if path is not None else "the submission")
        self.kind = "" if path is None else (kind_of(path) if kind in (None, "zip") else kind)
        self._problem: SourceProblem | None = None
        self._entries: list[Entry] = []
        self._load: Callable[[PurePosixPath, int], bytes] = self._no_load
        self._archive: Archive | None = None
        self._cells: dict[PurePosixPath, list[Cell] | SourceProblem] = {}
        self._single: Source | SourceProblem | None = None
        if refused:
            self._problem = SourceProblem("", Verdict.BAD_SOURCE, refused)
        elif path is None or not self.kind:
            self._problem = SourceProblem("", Verdict.MISSING_MODULE, "nothing was submitted")
        else:
            self._open(path)

    def _no_load(self, rel: PurePosixPath, limit: int) -> bytes:
        raise Refused(f"{self.label}: nothing to read")

    def _open(self, path: Path) -> None:
        try:
            if self.kind == "folder":
                self._entries = walk(path)
                self._load = lambda rel, limit: read_inside(path, rel, limit, f"{self.label}/{rel}")
            elif self.kind == "archive":
                from grader.submission.archive import Archive  # tarfile and zipfile: only for archives

                self._archive = Archive(path, self.label)
                self._entries = self._archive.entries
                self._load = self._archive.read
            elif self.kind == "notebook":
                data = read_regular(path, MAX_NOTEBOOK_BYTES, self.label)
                self._cells[PurePosixPath()] = parse_cells(data, path.name)
            else:
                data = read_regular(path, MAX_SOURCE_BYTES, self.label)
                self._single = decode_source("", data, self.label)
        except Refused as exc:
            missing = not os.path.lexists(path)
            self._problem = SourceProblem("", Verdict.MISSING_MODULE if missing else Verdict.BAD_SOURCE,
                                          f"nothing was submitted ({self.label} does not exist)"
                                          if missing else str(exc))

    def __enter__(self) -> Submission:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the archive, if one was opened."""
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def _notebook(self, rel: PurePosixPath) -> list[Cell] | SourceProblem:
        if rel not in self._cells:
            try:
                self._cells[rel] = parse_cells(self._load(rel, MAX_NOTEBOOK_BYTES), f"{self.label}/{rel}")
            except Refused as exc:
                self._cells[rel] = SourceProblem("", Verdict.BAD_SOURCE, str(exc))
        return self._cells[rel]

    def exercises(self) -> list[str]:
        """Exercise ids this submission seems to hold (``.py`` names and tagged notebook cells)."""
        if self.kind == "notebook":
            cells = self._cells.get(PurePosixPath(), [])
            return tagged(cells) if isinstance(cells, list) else []
        found = [e.path.stem for e in self._entries if e.path.suffix == ".py"]  # links: refused later
        for e in self._entries:
            if e.kind == "file" and e.path.suffix.lower() == ".ipynb":
                cells = self._notebook(e.path)
                found += tagged(cells) if isinstance(cells, list) else []
        return list(dict.fromkeys(found))

    def read(self, exercise: str) -> Source | SourceProblem:
        """The source of ``exercise`` in this submission, or the verdict that replaces it."""
        if self._problem is not None:
            return SourceProblem(exercise, self._problem.verdict, self._problem.message)
        if self._single is not None:
            return _for(exercise, self._single)
        if self.kind == "notebook":
            cells = self._cells[PurePosixPath()]
            if isinstance(cells, SourceProblem):
                return _for(exercise, cells)
            # the path as given, so "Try next" can repeat --notebook PATH
            return notebook_source(cells, str(self.path) if self.path else self.label, exercise)
        return self._find(exercise)

    def _find(self, exercise: str) -> Source | SourceProblem:
        name = f"{exercise}.py"
        refused = self._refused(lambda e: e.path.name == name or (e.kind == "link" and not e.path.suffix))
        if refused is not None:
            return _for(exercise, refused)
        files = sorted((len(e.path.parts), str(e.path), e) for e in self._entries
                       if e.kind == "file" and e.path.name == name)
        if len(files) > 1 and files[0][0] == files[1][0]:
            return SourceProblem(exercise, Verdict.BAD_SOURCE, f"{self.label} holds several {name} "
                                 f"({files[0][1]}, {files[1][1]}); keep only one")
        if files:
            rel = files[0][2].path
            try:
                data = self._load(rel, MAX_SOURCE_BYTES)
            except Refused as exc:
                return SourceProblem(exercise, Verdict.BAD_SOURCE, str(exc))
            return decode_source(exercise, data, f"{self.label}/{rel}")
        return self._from_notebooks(exercise)

    def _refused(self, where: Callable[[Entry], bool]) -> SourceProblem | None:
        """The first link or special file ``where`` picks, as a verdict."""
        for e in self._entries:
            if e.kind != "file" and where(e):
                return SourceProblem("", Verdict.BAD_SOURCE, f"{self.label}/{e.path} is {e.what}; a "
                                     "submission holds only regular files: put the files themselves there")
        return None

    def _from_notebooks(self, exercise: str) -> Source | SourceProblem:
        refused = self._refused(lambda e: e.path.suffix.lower() == ".ipynb")
        if refused is not None:
            return _for(exercise, refused)
        books = sorted((len(e.path.parts), str(e.path), e.path) for e in self._entries
                       if e.kind == "file" and e.path.suffix.lower() == ".ipynb")
        first: SourceProblem | None = None
        for _, _, rel in books:
            cells = self._notebook(rel)
            got = _for(exercise, cells) if isinstance(cells, SourceProblem) else \
                notebook_source(cells, str(rel), exercise)
            if isinstance(got, Source):
                return got
            if first is None or (got.verdict is Verdict.BAD_SOURCE
                                 and first.verdict is Verdict.MISSING_MODULE):
                first = got
        return first or SourceProblem(exercise, Verdict.MISSING_MODULE,
                                      f"no {exercise}.py (or notebook) in {self.label}")


def _for(exercise: str, got: Source | SourceProblem) -> Source | SourceProblem:
    if isinstance(got, Source):
        return Source(exercise, got.text, got.filename)
    return SourceProblem(exercise, got.verdict, got.message)


def read_source(path: Path, exercise: str) -> Source | SourceProblem:
    """The source of one exercise in the submission at ``path`` (any shape)."""
    with Submission(path) as sub:
        return sub.read(exercise)


def read_notebook(path: Path, exercise: str) -> Source | SourceProblem:
    """The code of the cells tagged ``solution-<exercise>`` in the notebook ``path``."""
    with Submission(path, "notebook") as sub:
        return sub.read(exercise)


def tagged_exercises(path: Path) -> list[str]:
    """Exercise ids with tagged solution cells in the notebook ``path`` ([] when unreadable)."""
    with Submission(path, "notebook") as sub:
        return sub.exercises()
