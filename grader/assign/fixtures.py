"""Writing a release's public fixtures: inputs, expected outputs, sealed mistakes.

``grader.engine.expectations.Fixtures`` reads what this writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from grader.engine import registry
from grader.engine.expectations import SEP
from grader.engine.fingerprints import canonical, lookup, seal
from grader.engine.inputs import input_arrays
from grader.engine.mistakes import run_trusted, variant
from grader.engine.seeds import case_seed
from grader.engine.suite import Call, Case, Exercise, Outputs
from grader.engine.texts import mistake_zh
from grader.errors import UsageError


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
            try:
                form = canonical(run_trusted(variant(ref, mistake), calls), keys)
            except Exception:
                continue
            if form is not None and form != right:
                sealed = seal(mistake, form, mistake_zh(exercise, mistake.id) or mistake.zh)
                prints.setdefault(case.name, {}).setdefault(lookup(form), sealed)
    folder.mkdir(parents=True, exist_ok=True)
    npz = folder / f"{exercise}.npz"
    with npz.open("wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    info = folder / f"{exercise}.mistakes.json"
    info.write_text(json.dumps({"fingerprints": prints, "keys": checked}, indent=1, sort_keys=True)
                    + "\n", encoding="utf-8")
    return [npz, info]


