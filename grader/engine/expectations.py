"""Where expected outputs and diagnoses come from: the ``Expectations`` protocol.

Three sources, one interface:

- ``Reference``: run the installed reference solution (and its named mistake
  variants) in the trusted parent: instructors, CI, a course repository.
- ``Fixtures``: a student release without solutions. ``dlgrade assign``
  saved, in ``fixtures/<id>.npz`` (plain arrays, loaded with
  ``allow_pickle=False``), each public case's input arrays and the
  reference's outputs (``grader.assign.fixtures``). Here the inputs are
  rebuilt from the suite's seeds and must equal the saved ones, so fixtures
  made by another grader version are caught with a clear message. Known
  mistakes ship only as sealed fingerprints (``fixtures/<id>.mistakes.json``,
  see ``grader.engine.fingerprints``).
- ``Release``: the reference where installed, else the fixtures of the
  release the submission sits in (looked up only when needed).

``Cached`` wraps any of them and remembers expected outputs by the case's
inputs, so a class run computes a shared case once.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from functools import cache
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Protocol

import numpy as np

from grader.engine import registry
from grader.engine.courses import PackError
from grader.engine.fingerprints import canonical, lookup, unseal
from grader.engine.inputs import calls_digest, input_arrays
from grader.engine.manifest_plain import MANIFEST_NAME, manifest_text
from grader.engine.mistakes import diagnose, run_trusted
from grader.engine.suite import Call, Case, Exercise, Mistake, Outputs
from grader.errors import UsageError

FIXTURES_ENV = "DLGRADE_FIXTURES"
SEP = "::"


class Expectations(Protocol):
    """The source of a case's expected outputs and of the diagnosis of a failure."""

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        """The expected outputs of ``calls``, or None where none are known."""
        ...

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        """The known mistake the student's outputs reproduce, if any."""
        ...


class Reference:
    """Expected outputs from the installed reference; mistakes from its variants."""

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        """The reference's outputs, or None in a release without solutions."""
        ref = registry.reference(exercise.id)
        if ref is None:
            return None
        namespace: ModuleType | SimpleNamespace = ref
        if exercise.fast:  # the instructor's vectorised equivalents stand in for slow functions
            namespace = SimpleNamespace(**({name: getattr(ref, name, None) for name in exercise.functions}
                                           | {f.__name__: f for f in exercise.fast}))
        try:
            return run_trusted(namespace, calls)
        except Exception as exc:
            if registry.in_pack(exercise.id):  # the pack author's bug: one line, not a traceback
                raise PackError(f"{ref.__file__}: the reference raised {type(exc).__name__} on case "
                                f"{case.name!r}: {exc}") from None
            raise

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        """The named variant whose outputs the student's reproduce."""
        return diagnose(exercise, calls, got, expected)


class Fixtures:
    """Expected values and mistake fingerprints read from a fixtures folder."""

    def __init__(self, folder: Path) -> None:
        """Read fixtures from ``folder``."""
        self.folder = folder

    @cache  # noqa: B019 - a handful of small files per process
    def _arrays(self, exercise: str) -> dict[str, np.ndarray]:
        path = self.folder / f"{exercise}.npz"
        if not path.is_file():
            raise UsageError(f"no fixtures for {exercise} in {self.folder}: this release does not "
                             f"include {exercise}; ask your instructor for an updated release")
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (ValueError, OSError) as exc:
            raise UsageError(f"{path} is damaged ({exc}); restore it from the release") from None

    @cache  # noqa: B019
    def _prints(self, exercise: str) -> dict[str, Any]:
        path = self.folder / f"{exercise}.mistakes.json"
        if not path.is_file():
            return {"fingerprints": {}, "keys": {}}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        """The saved outputs, after checking the saved inputs equal the rebuilt ones."""
        arrays = self._arrays(exercise.id)
        prefix_in, prefix_out = f"{case.name}{SEP}in{SEP}", f"{case.name}{SEP}out{SEP}"
        saved = {k[len(prefix_in):]: v for k, v in arrays.items() if k.startswith(prefix_in)}
        out = {k[len(prefix_out):]: v for k, v in arrays.items() if k.startswith(prefix_out)}
        if not out:
            raise UsageError(f"fixtures/{exercise.id}.npz has no case {case.name!r}: the fixtures "
                             "come from another grader version; reinstall the grader shipped "
                             "with this release (pip install dlgrade-*.whl)")
        rebuilt = input_arrays(calls)
        if saved.keys() != rebuilt.keys() or not all(
                saved[k].shape == v.shape and np.array_equal(saved[k], v) for k, v in rebuilt.items()):
            raise UsageError(f"fixtures/{exercise.id}.npz, case {case.name}: the inputs this grader "
                             "builds differ from the saved ones (fixtures from another grader or "
                             "numpy version); reinstall the grader shipped with this release "
                             "(pip install dlgrade-*.whl)")
        return out

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        """The sealed mistake whose fingerprint the student's outputs open."""
        info = self._prints(exercise.id)
        keys = info["keys"].get(case.name)
        form = canonical(got, keys) if keys is not None else None
        if form is None:
            return None
        token = info["fingerprints"].get(case.name, {}).get(lookup(form))
        return unseal(token, form) if token else None


def find_fixtures(*starts: Path) -> Path | None:
    """The fixtures folder of the release a path belongs to.

    ``$DLGRADE_FIXTURES``, else the folder named by the nearest manifest above ``starts``,
    else a ``fixtures/`` beside them, else the public fixtures packaged with the grader
    (``grader/data/fixtures``).
    """
    if env := os.environ.get(FIXTURES_ENV):
        return Path(env)
    for start in starts:
        here = start.resolve()
        for folder in [here, *here.parents][:5]:
            if (folder / MANIFEST_NAME).is_file():
                return folder / manifest_text(folder, "fixtures")
            if (folder / "fixtures").is_dir() and any((folder / "fixtures").glob("*.npz")):
                return folder / "fixtures"
    packaged = Path(__file__).resolve().parent.parent / "data" / "fixtures"
    return packaged if any(packaged.glob("*.npz")) else None


class Release:
    """The reference where installed, else the fixtures of the release at ``starts``."""

    def __init__(self, *starts: Path) -> None:
        """Find the release's fixtures (lazily) from the paths ``starts``."""
        self._starts = starts
        self._fixtures: list[Fixtures | None] = []

    def _store(self) -> Fixtures | None:
        if not self._fixtures:
            found = find_fixtures(*self._starts)
            self._fixtures.append(Fixtures(found) if found is not None else None)
        return self._fixtures[0]

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        """From the reference, else the fixtures; neither is a usage error."""
        if registry.reference(exercise.id) is not None:
            return Reference().expected(exercise, case, calls)
        fixtures = self._store()
        if fixtures is None:
            raise UsageError("no reference solutions and no fixtures found: run dlgrade inside your "
                             f"release folder (the one holding {MANIFEST_NAME}) or set {FIXTURES_ENV}")
        return fixtures.expected(exercise, case, calls)

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        """From the reference's variants, else the sealed fingerprints."""
        if registry.reference(exercise.id) is not None:
            return diagnose(exercise, calls, got, expected)
        fixtures = self._store()
        return fixtures.diagnose(exercise, case, calls, got, expected) if fixtures else None


def inputs_digest(exercise: Exercise, case: Case, calls: list[Call]) -> str:
    """A hash of everything that determines a case's expected outputs."""
    return calls_digest(f"{exercise.id}|{case.name}", calls)


class Cached:
    """Remembers another source's expected outputs by the case's inputs (bounded).

    A case whose inputs are drawn per student never repeats in a class run, and hashing its
    inputs costs more than the few cases that do repeat save: a case that has missed
    ``give_up`` times without ever being found again is no longer hashed.
    """

    def __init__(self, inner: Expectations, size: int = 1024, give_up: int = 3) -> None:
        """Remember up to ``size`` expected outputs of ``inner``."""
        self._inner, self._size, self._give_up = inner, size, give_up
        self._memo: OrderedDict[str, Outputs | None] = OrderedDict()
        self._misses: dict[tuple[str, str], int] = {}  # per case; -1 once it was found again

    def expected(self, exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        """The inner source's outputs, computed once per distinct input."""
        where = (exercise.id, case.name)
        misses = self._misses.get(where, 0)
        if misses >= self._give_up:
            return self._inner.expected(exercise, case, calls)
        key = inputs_digest(exercise, case, calls)
        if key in self._memo:
            self._misses[where] = -1
            self._memo.move_to_end(key)
            return self._memo[key]
        if misses >= 0:
            self._misses[where] = misses + 1
        value = self._memo[key] = self._inner.expected(exercise, case, calls)
        if len(self._memo) > self._size:
            self._memo.popitem(last=False)
        return value

    def diagnose(self, exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                 expected: Outputs | None) -> Mistake | None:
        """As the inner source diagnoses."""
        return self._inner.diagnose(exercise, case, calls, got, expected)
