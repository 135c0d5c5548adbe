"""Public fixtures: expected outputs of the public cases, for releases without solutions.

``dlgrade assign`` runs the reference once per public case and saves, in
``fixtures/<id>.npz`` (plain arrays, loaded with ``allow_pickle=False``), the
case's input arrays and the reference's outputs. In the release the inputs
are rebuilt from the suite's seeds and must equal the saved ones: a fixture
made by another grader version is caught with a clear message instead of
grading against the wrong numbers.

Known mistakes ship only as sealed fingerprints (``fixtures/<id>.mistakes.json``,
see ``grader.fingerprints``): the variants' code, values and even their
titles stay unreadable; a student reproducing one still hears which it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from grader import registry
from grader.engine import DiagnoseFn, ExpectedFn, diagnose, from_reference, run_trusted
from grader.errors import UsageError
from grader.fingerprints import canonical, lookup, seal, unseal
from grader.manifest import MANIFEST_NAME, Manifest
from grader.seeds import case_seed
from grader.suite import Call, Case, Exercise, Mistake, Outputs

FIXTURES_ENV = "DLGRADE_FIXTURES"
SEP = "::"


def input_arrays(calls: list[Call]) -> dict[str, np.ndarray]:
    """Every numeric input of the calls, flattened to named arrays."""
    out: dict[str, np.ndarray] = {}

    def add(name: str, value: Any) -> None:
        if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
            out[name] = value
        elif isinstance(value, bool | int | float | np.number):
            out[name] = np.asarray(value)
        elif isinstance(value, dict):
            for k in sorted(value):
                add(f"{name}.{k}", value[k])
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                add(f"{name}.{i}", v)

    for i, call in enumerate(calls):
        for j, arg in enumerate(call.args):
            add(f"{i}.{call.func}.{j}", arg)
        for key in sorted(call.kwargs):
            add(f"{i}.{call.func}.{key}", call.kwargs[key])
    return out


def _public_calls(ex: Exercise) -> Iterator[tuple[Case, list[Call]]]:
    for case in ex.public:
        yield case, case.build(np.random.default_rng(case_seed(ex.id, case)))


def _checked_keys(expected: Outputs, calls: list[Call]) -> list[str]:
    probes = {c.label for c in calls if c.probe is not None}
    return sorted(k for k in expected if k.split(".")[0] not in probes)


def write_fixtures(exercise: str, folder: Path) -> list[Path]:
    """Save the public cases' inputs, expected outputs and mistake fingerprints."""
    ex = registry.load(exercise)
    ref = registry.reference(exercise)
    if ref is None:
        raise UsageError(f"{exercise}: writing fixtures needs the reference solutions (solutions/)")
    arrays: dict[str, np.ndarray] = {}
    prints: dict[str, dict[str, str]] = {}
    checked: dict[str, list[str]] = {}
    for case, calls in _public_calls(ex):
        expected = run_trusted(ref, calls)
        if case.check.needs_expected:
            arrays.update({f"{case.name}{SEP}in{SEP}{k}": v for k, v in input_arrays(calls).items()})
            arrays.update({f"{case.name}{SEP}out{SEP}{k}": v for k, v in expected.items()})
        keys = checked[case.name] = _checked_keys(expected, calls)
        right = canonical(expected, keys)
        for mistake in ex.mistakes:
            variant = SimpleNamespace(**{**vars(ref), **mistake.functions})
            try:
                form = canonical(run_trusted(variant, calls), keys)
            except Exception:
                continue
            if form is not None and form != right:
                prints.setdefault(case.name, {}).setdefault(lookup(form), seal(mistake, form))
    folder.mkdir(parents=True, exist_ok=True)
    npz = folder / f"{exercise}.npz"
    with npz.open("wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    info = folder / f"{exercise}.mistakes.json"
    info.write_text(json.dumps({"fingerprints": prints, "keys": checked}, indent=1, sort_keys=True)
                    + "\n", encoding="utf-8")
    return [npz, info]


class Fixtures:
    """Expected values and mistake fingerprints read from a fixtures folder."""

    def __init__(self, folder: Path) -> None:
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
        info = self._prints(exercise.id)
        keys = info["keys"].get(case.name)
        form = canonical(got, keys) if keys is not None else None
        if form is None:
            return None
        token = info["fingerprints"].get(case.name, {}).get(lookup(form))
        return unseal(token, form) if token else None


def find_fixtures(*starts: Path) -> Path | None:
    """The fixtures folder of the release a path belongs to: ``$DLGRADE_FIXTURES``, else the
    folder named by the nearest manifest above ``starts``, else a ``fixtures/`` beside them."""
    if env := os.environ.get(FIXTURES_ENV):
        return Path(env)
    for start in starts:
        here = start.resolve()
        for folder in [here, *here.parents][:5]:
            if (folder / MANIFEST_NAME).is_file():
                return folder / Manifest.load(folder).fixtures
            if (folder / "fixtures").is_dir() and any((folder / "fixtures").glob("*.npz")):
                return folder / "fixtures"
    return None


def release_hooks(*starts: Path) -> tuple[ExpectedFn, DiagnoseFn]:
    """Expected values and diagnosis: the reference where installed, else the fixtures
    (looked for only when needed, so an instructor never trips over a stray manifest)."""
    stores: list[Fixtures | None] = []

    def store() -> Fixtures | None:
        if not stores:
            found = find_fixtures(*starts)
            stores.append(Fixtures(found) if found is not None else None)
        return stores[0]

    def expected(exercise: Exercise, case: Case, calls: list[Call]) -> Outputs | None:
        if registry.reference(exercise.id) is not None:
            return from_reference(exercise, case, calls)
        fixtures = store()
        if fixtures is None:
            raise UsageError("no reference solutions and no fixtures found: run dlgrade inside your "
                             f"release folder (the one holding {MANIFEST_NAME}) or set {FIXTURES_ENV}")
        return fixtures.expected(exercise, case, calls)

    def diagnosis(exercise: Exercise, case: Case, calls: list[Call], got: Outputs,
                  want: Outputs | None) -> Mistake | None:
        if registry.reference(exercise.id) is not None:
            return diagnose(exercise, calls, got, want)
        fixtures = store()
        return fixtures.diagnose(exercise, case, calls, got, want) if fixtures else None

    return expected, diagnosis
