"""Grading a whole class: one worker process per job, each with its own sandbox.

Each student's result is written atomically as soon as it is graded, so a run
that is killed and started again grades only the students still missing and
ends with the same results. A submission that crashes, hangs or is malformed
gets its verdicts; it never stops the batch.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.engine import courses, registry
from grader.engine.expectations import Cached, Reference
from grader.engine.grading import Options, grade_submission
from grader.engine.manifest import Manifest
from grader.errors import UsageError
from grader.grade.results import ResultsFolder, RunInfo, StudentResult, manifest_hash, secret_fingerprint
from grader.grade.roster import Student
from grader.grade.suspicious import source_warnings
from grader.sandbox.runner import Sandbox
from grader.submission.reader import Submission
from grader.submission.source import Source, SourceProblem


@dataclass(frozen=True)
class BatchConfig:
    """What to grade and how: submissions and results folders, the manifest, hidden cases, workers."""

    submissions: Path
    out: Path
    manifest: Manifest
    secret: bytes | None = None
    hidden: bool = True
    jobs: int = 1


@dataclass(frozen=True)
class Done:
    """What the parent hears about one student (kept small: memory stays flat)."""

    student: str
    total: float
    max_total: float
    error: str = ""  # a bug in the grader: nothing written, a rerun retries


class ClassGrader:
    """Grades students one after another with one sandbox.

    A cache holds the expected outputs every student shares (public cases, unvaried
    hidden ones).
    """

    def __init__(self, cfg: BatchConfig, sandbox: Sandbox | None = None) -> None:
        """Start (or reuse) a sandbox and load the manifest's exercises."""
        self.cfg = cfg
        self.box = (sandbox or Sandbox()).start()
        pack = courses.active_path()  # a course pack holds its solutions and hidden cases
        self.box.protect([cfg.submissions, cfg.out, *([pack] if pack else [])])  # and the class's work
        self.exercises = [registry.load(e.id) for e in cfg.manifest.exercises]
        self.points = {e.id: e.points for e in cfg.manifest.exercises}
        self.expectations = Cached(Reference())

    def grade(self, student: Student) -> StudentResult:
        """Grade one student's submission on every exercise, points scaled to the manifest's."""
        opts = Options(hidden=self.cfg.hidden, secret=self.cfg.secret, student=student.id,
                       vary_public=True, expectations=self.expectations)
        path = self.cfg.submissions / student.submission if student.submission else None
        opened = Submission(path, student.kind or None, student.submission, refused=student.problem)
        warnings: set[str] = set()
        def read(exercise: str) -> Source | SourceProblem:
            source = sub.read(exercise)
            if isinstance(source, Source):
                warnings.update(f"{exercise}: {w}" for w in source_warnings(source.text))
            return source

        with opened as sub:
            results = grade_submission([ex.id for ex in self.exercises], read, self.box, opts,
                                       self.exercises)
        scaled = {r.exercise: r.scaled(self.points[r.exercise]) for r in results}
        return StudentResult(student=student, exercises=results, points=scaled,
                             max_points=dict(self.points), warnings=sorted(warnings),
                             isolated=self.box.isolated)

    def grade_and_save(self, student: Student) -> Done:
        """Grade one student and save the result atomically.

        A grader error is reported, not raised; a full or read-only --out stops the run
        (OutputError).
        """
        try:
            result = self.grade(student)
        except Exception as exc:  # a grader bug: report it, keep grading the others
            return Done(student.id, 0.0, 0.0, error=f"{type(exc).__name__}: {exc}")
        ResultsFolder(self.cfg.out).save(result)  # OutputError propagates: the run cannot go on
        return Done(student.id, result.total, result.max_total)

    def close(self) -> None:
        """Close the sandbox."""
        self.box.close()


_WORKER: ClassGrader | None = None


def _init_worker(cfg: BatchConfig) -> None:
    global _WORKER
    _WORKER = ClassGrader(cfg)


def _work(student: Student) -> Done:
    assert _WORKER is not None  # set by the pool initializer
    return _WORKER.grade_and_save(student)


def prepare(cfg: BatchConfig, isolated: bool, isolation: str, shard: str) -> RunInfo:
    """Record (or check) what this results folder is graded with."""
    info = RunInfo(grader_version=cfg.manifest.grader_version, manifest=cfg.manifest,
                   manifest_hash=manifest_hash(cfg.manifest), hidden=cfg.hidden,
                   secret_fingerprint=secret_fingerprint(cfg.secret),
                   isolated=isolated, isolation=isolation, shard=shard)
    folder = ResultsFolder(cfg.out)
    previous = folder.read_run()
    if previous is not None:
        why = previous.same_grading(info)
        if why:
            raise UsageError(f"{cfg.out} holds results graded with {why}; use a new --out folder "
                             "(or delete it to start over)")
        info = info.model_copy(update={"isolated": previous.isolated and isolated})
    folder.write_run(info)
    return info


def missing(cfg: BatchConfig, students: list[Student]) -> list[Student]:
    """Students without a result; temp files a killed run left behind are removed."""
    folder = ResultsFolder(cfg.out)
    folder.remove_stale()
    done = folder.done_ids()
    return [s for s in students if s.id not in done]


def run(cfg: BatchConfig, todo: list[Student], sandbox: Sandbox | None = None) -> Iterator[Done]:
    """Grade ``todo``, yielding each student as soon as their result is on disk."""
    if not todo:
        return
    jobs = max(1, min(cfg.jobs, len(todo)))
    if jobs == 1:
        grader = ClassGrader(cfg, sandbox)
        try:
            yield from (grader.grade_and_save(s) for s in todo)
        finally:
            if sandbox is None:
                grader.close()
        return
    ctx = multiprocessing.get_context("fork")  # workers start with the suites already imported
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(cfg,)) as pool:
        yield from pool.imap_unordered(_work, todo, chunksize=1)


def default_jobs() -> int:
    """Twice the CPUs this process may use (at most 8 more).

    A worker waits for its sandbox's child while the child waits for the worker's
    judging, so one worker per core leaves the cores idle part of the time.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + min(cores, 8)
