"""Public fixtures: expected values and mistake fingerprints without the reference."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from grader.assign.fixtures import write_fixtures
from grader.engine import registry
from grader.engine.expectations import SEP, Fixtures, find_fixtures, input_arrays
from grader.engine.fingerprints import canonical, seal, unseal
from grader.engine.grading import Options, grade_exercise
from grader.engine.manifest import Manifest
from grader.engine.mistakes import diagnose, run_trusted
from grader.engine.seeds import case_seed
from grader.engine.stubs import strip_solutions
from grader.engine.suite import Mistake
from grader.errors import UsageError
from grader.sandbox.outcome import load_untrusted
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import reference_text


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Fixtures:
    folder = tmp_path_factory.mktemp("fixtures")
    for ex in registry.available():
        write_fixtures(ex, folder)
    return Fixtures(folder)


def release_options(fx: Fixtures) -> Options:
    return Options(hidden=False, expectations=fx)


def test_npz_holds_plain_arrays_only(fixtures: Fixtures) -> None:
    for path in fixtures.folder.glob("*.npz"):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                assert name.endswith(".npy")
                load_untrusted(zf.read(name))  # plain numeric dtype, no pickle, header checked
        with np.load(path, allow_pickle=False) as data:
            assert data.files


@pytest.mark.parametrize("exercise", registry.available())
def test_reference_passes_and_stub_fails_on_fixtures(exercise: str, fixtures: Fixtures,
                                                     sandbox: Sandbox) -> None:
    ex = registry.load(exercise)
    ref = reference_text(exercise)
    good = grade_exercise(ex, Source(exercise, ref, "r.py"), sandbox, release_options(fixtures))
    assert good.passed and good.score == sum(c.points for c in ex.public)
    stub = grade_exercise(ex, Source(exercise, strip_solutions(ref), "s.py"), sandbox,
                          release_options(fixtures))
    assert stub.score == 0


def test_every_mistake_named_by_fingerprint_as_by_its_variant(fixtures: Fixtures) -> None:
    """On every public case a mistake fails, the release's fingerprint diagnosis names
    what the instructor's variant-based diagnosis names (computed in-process: the
    sandbox path is covered by the tests above and by the release install test)."""
    named = 0
    for exercise in registry.available():
        ex = registry.load(exercise)
        ref = registry.reference(exercise)
        for mistake in ex.mistakes:
            variant = SimpleNamespace(**{**vars(ref), **mistake.functions})
            for case in ex.public:
                calls = case.build(np.random.default_rng(case_seed(exercise, case)))
                try:
                    got = run_trusted(variant, calls)
                except Exception:
                    continue
                want = fixtures.expected(ex, case, calls) if case.check.needs_expected else None
                if case.check.judge(got, want, calls, True).passed:
                    continue
                by_variant = diagnose(ex, calls, got, want)
                by_print = fixtures.diagnose(ex, case, calls, got, want)
                assert (by_variant and by_variant.id) == (by_print and by_print.id), \
                    (exercise, mistake.id, case.name)
                named += by_print is not None
    assert named > 30  # most mistakes show on public cases


def test_fingerprint_rounds_noise_but_not_mistakes() -> None:
    a = {"out": np.array([1.0, 2.0, 1e-17])}
    noisy = {"out": np.array([1.0 + 1e-12, 2.0 - 1e-12, -3e-17])}
    off = {"out": np.array([1.0, 2.01, 0.0])}
    assert canonical(a, ["out"]) == canonical(noisy, ["out"])
    assert canonical(a, ["out"]) != canonical(off, ["out"])
    assert canonical(a, ["missing"]) is None


def test_sealed_mistake_opens_only_with_its_outputs() -> None:
    m = Mistake("no_sqrt", "Distances are squared", "take the square root", {})
    form, other = canonical({"d": np.array([4.0])}, ["d"]), canonical({"d": np.array([2.0])}, ["d"])
    assert form is not None and other is not None
    token = seal(m, form)
    assert "square" not in base64.b64decode(token).decode("latin-1")
    opened = unseal(token, form)
    assert opened is not None and (opened.id, opened.hint) == ("no_sqrt", "take the square root")
    assert unseal(token, other) is None


def test_fixture_from_another_grader_version_is_caught(tmp_path: Path) -> None:
    write_fixtures("knn", tmp_path)
    path = tmp_path / "knn.npz"
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    key = next(k for k in arrays if k.startswith(f"two_loops{SEP}in{SEP}"))
    arrays[key] = arrays[key] + 1.0  # as if another numpy drew other inputs
    np.savez(path, **arrays)
    ex = registry.load("knn")
    case = ex.public[0]
    calls = case.build(np.random.default_rng(case_seed("knn", case)))
    with pytest.raises(UsageError, match="differ from the saved ones"):
        Fixtures(tmp_path).expected(ex, case, calls)
    with pytest.raises(UsageError, match="no fixtures for softmax"):
        sm = registry.load("softmax")
        Fixtures(tmp_path).expected(sm, sm.public[0], [])


def test_expected_values_equal_the_reference(fixtures: Fixtures) -> None:
    ex = registry.load("conv")  # conv_param dicts and int kwargs flatten into inputs too
    ref = registry.reference("conv")
    for case in ex.public:
        calls = case.build(np.random.default_rng(case_seed("conv", case)))
        if not case.check.needs_expected:
            continue
        want = run_trusted(ref, calls)
        got = fixtures.expected(ex, case, calls)
        assert got is not None and set(got) == set(want)
        assert all(np.array_equal(got[k], want[k]) for k in want)
    keys = input_arrays(ex.public[0].build(np.random.default_rng(case_seed("conv", ex.public[0]))))
    assert any(k.endswith(".stride") for k in keys)  # dict arguments are part of the inputs


def test_find_fixtures_walks_up_to_the_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLGRADE_FIXTURES", raising=False)
    Manifest(grader_version="0", exercises=[], fixtures="fx").save(tmp_path / "dlgrade-manifest.json")
    deep = tmp_path / "notebooks" / "sub"
    deep.mkdir(parents=True)
    assert find_fixtures(deep) == tmp_path / "fx"
    monkeypatch.setenv("DLGRADE_FIXTURES", str(tmp_path / "elsewhere"))
    assert find_fixtures(deep) == tmp_path / "elsewhere"


def test_mistake_file_holds_only_hashes_and_sealed_text(fixtures: Fixtures) -> None:
    data = json.loads((fixtures.folder / "knn.mistakes.json").read_text())
    assert set(data) == {"fingerprints", "keys"}
    text = json.dumps(data)
    for mistake in registry.load("knn").mistakes:
        assert mistake.id not in text and mistake.hint not in text
    assert sum(len(v) for v in data["fingerprints"].values()) >= 5
