"""A class's results read back from one or more results folders (shards)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.grade.results import RUN_FILE, ResultsFolder, RunInfo, StudentResult
from grader.grade.validate import problem, run_problem
from grader.grade.writes import write_all_or_nothing


@dataclass(frozen=True)
class Gradebook:
    """A graded class: how the run was made and each student's result."""

    run: RunInfo
    students: list[StudentResult]

    @property
    def exercise_ids(self) -> list[str]:
        """The manifest's exercise ids, in order."""
        return [e.id for e in self.run.manifest.exercises]


def _info(folder: Path) -> RunInfo:
    if not folder.is_dir():
        raise UsageError(f"results folder {folder} does not exist")
    info = ResultsFolder(folder).read_run()
    if info is None:
        raise UsageError(f"{folder} has no {RUN_FILE}: is it the --out folder of 'dlgrade grade'?")
    why = run_problem(folder / RUN_FILE, info)
    if why:
        raise UsageError(why)
    return info


def load(folder: Path) -> Gradebook:
    """The class's results, each checked against the run's manifest.

    Raises:
        UsageError: a result edited by hand or a stray copy of a result file (with its path).
    """
    run = _info(folder)
    students = []
    for path, result in ResultsFolder(folder).entries():
        why = problem(path, result, run)
        if why:
            raise UsageError(f"{why}; nothing was exported")
        students.append(result)
    return Gradebook(run, sorted(students, key=lambda r: r.student.id))


def merge(folders: list[Path], out: Path) -> Gradebook:
    """Combine shards into ``out``.

    Refuses shards graded differently or disagreeing about a student.
    """
    if not folders:
        raise UsageError("give at least one results folder to merge")
    infos = [(f, _info(f)) for f in folders]
    first_folder, first = infos[0]
    for folder, info in infos[1:]:
        why = first.same_grading(info)
        if why:
            raise UsageError(f"cannot merge {folder} with {first_folder}: graded with {why}")
    existing = ResultsFolder(out).read_run() if out.is_dir() else None
    if existing is not None and first.same_grading(existing):
        raise UsageError(f"{out} holds results graded with {first.same_grading(existing)}; "
                         "merge into a new folder")
    texts: dict[str, tuple[Path, str]] = {}
    for folder, info in infos:
        shard = ResultsFolder(folder)
        for path in shard.files():
            text = path.read_text(encoding="utf-8")
            why = problem(path, shard.read(path), info)  # checked before anything is written
            if why:
                raise UsageError(f"{why}; nothing was merged")
            seen = texts.get(path.stem)
            if seen is not None and seen[1] != text and _score_differs(seen[1], text):
                raise UsageError(f"student {path.stem!r} has different results in {seen[0]} and {folder}")
            texts.setdefault(path.stem, (folder, text))
    merged = first.model_copy(update={"isolated": all(i.isolated for _, i in infos), "shard": ""})
    target = ResultsFolder(out)
    write_all_or_nothing({target.run_file: merged.model_dump_json(indent=2) + "\n"} | {
        target.student_path(sid): text for sid, (folder, text) in texts.items()
        if folder.resolve() != out.resolve()})
    return load(out)


def _score_differs(a: str, b: str) -> bool:
    """Two results of one student differ in timings only, or in grades too?"""
    ra, rb = StudentResult.model_validate_json(a), StudentResult.model_validate_json(b)
    return ra.points != rb.points or [[c.verdict for c in e.cases] for e in ra.exercises] != \
        [[c.verdict for c in e.cases] for e in rb.exercises]
