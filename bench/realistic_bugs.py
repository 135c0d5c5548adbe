"""How many realistic bugs dlgrade names: the share of named failures.

The bug set lives in ``tests/data/realistic_bugs/<exercise>/``: ``_base.py`` is
a correct submission written the way students write it (CS231n / CS224n
style), and every other ``<bug_id>.py`` replaces one or two of its functions
with a version holding ONE realistic bug. Its first line names the mistake
the grader should report::

    # mistake: no_clip_before_sqrt

(several ids, comma-separated, when a submission holds two bugs that show on
different outputs; ``# mistake: -`` for a bug no name is expected for).

Each submission is graded like a student's file (real sandbox, public and
hidden cases) and classified:

- ``named``: the expected names, and no other, are on its failing cases;
- ``misnamed``: a name that is not expected shows up;
- ``unnamed``: it fails, but without the expected name;
- ``silent``: a bug of no known kind (``# mistake: -``) that fails and gets no
  mistake's name (a structural signature may still describe an output);
- ``passed``: no case fails (the bug is not caught at all).

Structural signatures (``grader.engine.signatures``) describe an output
(transposed, N times too large...) rather than claim a mistake: on a bug they
were not expected for they are counted apart, never as a misname.

    python -m bench.realistic_bugs            # a table and the summary line
    python -m bench.realistic_bugs --json     # one JSON object per bug
    python -m bench.realistic_bugs --heldout  # the held-out set (``realistic_bugs_heldout/``)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.engine import registry

SIGNATURES = {"transposed", "sign_flipped", "scaled_by_n", "scaled", "reg_scaled"}

BUGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "realistic_bugs"
HELDOUT = BUGS.with_name("realistic_bugs_heldout")  # written after the names, never tuned on


@dataclass(frozen=True)
class Bug:
    """One realistic buggy submission of the set."""

    exercise: str
    id: str
    expected: tuple[str, ...]  # mistake ids the grader should name
    path: Path

    def source(self) -> str:
        """The whole submission: the correct base with the buggy functions after it."""
        base = (self.path.parent / "_base.py").read_text(encoding="utf-8")
        return base + "\n\n# --- the bug\n" + self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Outcome:
    bug: Bug
    failed: int  # failing cases
    named: tuple[str, ...]  # distinct mistake ids on the failing cases
    named_cases: int  # failing cases that carry a name

    @property
    def described(self) -> tuple[str, ...]:
        """Structural signatures among the names: true descriptions of an output (transposed,
        scaled by N...), not claims about which mistake was made."""
        return tuple(n for n in self.named if n in SIGNATURES and n not in self.bug.expected)

    @property
    def kind(self) -> str:
        if not self.failed:
            return "passed"
        extra = set(self.named) - set(self.bug.expected) - set(self.described)
        if extra:
            return "misnamed"
        if not self.bug.expected:
            return "silent"  # a bug no known mistake describes, and none was claimed
        if set(self.bug.expected) <= set(self.named):
            return "named"
        return "unnamed"


def _expected(path: Path) -> tuple[str, ...]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if not first.startswith("# mistake:"):
        raise ValueError(f"{path}: the first line must be '# mistake: <id>'")
    ids = [s.strip() for s in first.split(":", 1)[1].split(",")]
    return tuple(i for i in ids if i and i != "-")


def load_bugs(root: Path = BUGS) -> list[Bug]:
    """Every bug of the set, in course order then by id."""
    bugs = []
    for exercise in registry.EXERCISES:
        for path in sorted((root / exercise).glob("*.py")):
            if not path.name.startswith("_"):
                bugs.append(Bug(exercise, path.stem, _expected(path), path))
    return bugs


def grade_bug(bug: Bug, sandbox: object) -> Outcome:
    """Grade one bug through the real sandbox, with hidden cases (no secret)."""
    from grader.engine.grading import Options, grade_exercise
    from grader.sandbox.runner import Sandbox
    from grader.submission.source import Source

    assert isinstance(sandbox, Sandbox)
    source = Source(bug.exercise, bug.source(), f"{bug.exercise}.py")
    result = grade_exercise(registry.load(bug.exercise), source, sandbox, Options())
    failed = [c for c in result.cases if not c.passed]
    ids: list[str] = []
    for case in failed:
        for diagnosis in (case.mistake, *getattr(case, "also", ())):
            if diagnosis is not None and diagnosis.id not in ids:
                ids.append(diagnosis.id)
    return Outcome(bug, len(failed), tuple(ids), sum(1 for c in failed if c.mistake))


def summary(outcomes: list[Outcome]) -> str:
    kinds = Counter(o.kind for o in outcomes)
    expected = [o for o in outcomes if o.bug.expected]
    cases = sum(o.failed for o in outcomes)
    named_cases = sum(o.named_cases for o in outcomes)
    share = kinds["named"] / len(expected) if expected else 0.0
    described = sum(1 for o in outcomes if o.described)
    return (f"{len(outcomes)} bugs, {len(expected)} of a known kind: {kinds['named']} named ({share:.0%}), "
            f"{kinds['unnamed']} unnamed, {kinds['misnamed']} misnamed, {kinds['passed']} not caught; "
            f"{kinds['silent']} of no known kind left unnamed; {described} also described by a "
            f"signature; failing cases with a name or description: {named_cases}/{cases}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="one JSON object per bug")
    parser.add_argument("--heldout", action="store_true",
                        help="the held-out set, written after the naming was built and not tuned on")
    parser.add_argument("exercise", nargs="*", help="only these exercises")
    args = parser.parse_args()
    from grader.sandbox.runner import Sandbox

    root = HELDOUT if args.heldout else BUGS
    bugs = [b for b in load_bugs(root) if not args.exercise or b.exercise in args.exercise]
    outcomes = []
    with Sandbox() as box:
        for bug in bugs:
            o = grade_bug(bug, box)
            outcomes.append(o)
            if args.json:
                print(json.dumps({"exercise": bug.exercise, "bug": bug.id, "kind": o.kind,
                                  "expected": list(bug.expected), "named": list(o.named),
                                  "failed": o.failed, "named_cases": o.named_cases}))
            else:
                print(f"{o.kind:9} {bug.exercise}/{bug.id}: expected {','.join(bug.expected) or '-'}, "
                      f"named {','.join(o.named) or '-'} ({o.named_cases}/{o.failed} failing cases named)")
    print(summary(outcomes))


if __name__ == "__main__":
    main()
