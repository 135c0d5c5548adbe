"""``dlgrade grade`` as library calls: plan a class run, then grade it.

``plan`` reads the manifest and the roster, matches submissions to students,
takes the shard, starts the sandbox and decides whether it may grade for
credit here; ``execute`` grades the students still missing and yields each
as soon as its result is on disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.engine import registry
from grader.engine.manifest import Manifest
from grader.errors import UsageError
from grader.grade import batch
from grader.grade import roster as classroom
from grader.grade.results import default_manifest
from grader.sandbox.guard import secret_on_command_line
from grader.sandbox.isolation import kill_orphans
from grader.sandbox.runner import Sandbox


@dataclass
class ClassPlan:
    """What a class run will grade, with what, and where the results go."""

    cfg: batch.BatchConfig
    people: list[classroom.Student]
    todo: list[classroom.Student]
    box: Sandbox
    isolated: bool
    isolation: str

    @property
    def workers(self) -> int:
        """How many worker processes will grade."""
        return min(self.cfg.jobs, max(1, len(self.todo)))


def plan(submissions: Path, out: Path, manifest: Path | None = None, roster: Path | None = None,
         jobs: int | None = None, shard: str | None = None, secret: str | None = None,
         public_only: bool = False, allow_unisolated: bool = False) -> ClassPlan | None:
    """Plan a class run; None when there is nothing to grade (no submissions in the shard).

    Raises:
        UsageError: a bad manifest, roster or shard, or a sandbox that is not isolated
            when ``allow_unisolated`` is not given.
    """
    assignment = Manifest.load(manifest) if manifest else default_manifest()
    for entry in assignment.exercises:
        registry.resolve(entry.id)
    people = classroom.match(classroom.scan(submissions), classroom.read_roster(roster) if roster else None)
    people = classroom.in_shard(people, classroom.parse_shard(shard) if shard else None)
    if not people:
        return None
    kill_orphans()  # sandboxes an earlier, killed grader left behind
    box = Sandbox().start()
    isolated, isolation = bool(box.isolated), str(box.isolation)
    if not isolated and not allow_unisolated:
        box.close()
        raise UsageError(f"the sandbox on this machine is not isolated ({isolation}); grade for credit "
                         "on a machine where it is, or pass --allow-unisolated (results are marked)")
    if secret and not isolated and secret_on_command_line(secret):
        box.close()
        raise UsageError("the sandbox is not isolated, so student code can read this command line: "
                         "pass the secret in DLGRADE_SECRET instead of --secret")
    cfg = batch.BatchConfig(submissions=submissions, out=out, manifest=assignment,
                            secret=secret.encode() if secret else None, hidden=not public_only,
                            jobs=jobs or batch.default_jobs())
    try:
        batch.prepare(cfg, isolated, isolation, shard or "")
    except BaseException:
        box.close()
        raise
    return ClassPlan(cfg, people, batch.missing(cfg, people), box, isolated, isolation)


def execute(run: ClassPlan) -> Iterator[batch.Done]:
    """Grade the students still missing; the sandbox is closed at the end."""
    parallel = run.cfg.jobs > 1 and len(run.todo) > 1
    if parallel:
        run.box.close()  # workers start their own; no zygote pipes leak into them
    try:
        yield from batch.run(run.cfg, run.todo, None if parallel else run.box)
    finally:
        run.box.close()
