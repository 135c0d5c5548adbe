"""Public fixtures: expected values and mistake fingerprints without the reference."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from grader import registry
from grader.engine import Options, diagnose, grade_exercise, run_trusted
from grader.errors import UsageError
from grader.fixtures import SEP, Fixtures, find_fixtures, fingerprint, input_arrays, write_fixtures
from grader.manifest import Manifest
from grader.sandbox.runner import Sandbox, load_untrusted
from grader.seeds import case_seed
from grader.strip import strip_solutions
from grader.submission import Source
from tests.helpers import mistake_source, reference_text


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Fixtures:
    folder = tmp_path_factory.mktemp("fixtures")
    for ex in registry.available():
        write_fixtures(ex, folder)
    return Fixtures(folder)


def release_options(fx: Fixtures) -> Options:
    return Options(hidden=False, expected=fx.expected, diagnose=fx.diagnose)


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


def test_every_mistake_named_by_fingerprint_as_by_its_variant(fixtures: Fixtures,
                                                              sandbox: Sandbox) -> None:
    """On public cases the release's fingerprint diagnosis names the mistake the
    instructor's variant-based diagnosis names, for every known mistake."""
    compared = 0
    for exercise in registry.available():
        ex = registry.load(exercise)
        for mistake in ex.mistakes:
            src = Source(exercise, mistake_source(exercise, mistake), "m.py")
            with_ref = grade_exercise(ex, src, sandbox, Options(hidden=False))
            release = grade_exercise(ex, src, sandbox, release_options(fixtures))
            for a, b in zip(with_ref.cases, release.cases, strict=True):
                assert a.verdict == b.verdict, (exercise, mistake.id, a.name)
                assert (a.mistake and a.mistake.id) == (b.mistake and b.mistake.id), \
                    (exercise, mistake.id, a.name)
                compared += a.mistake is not None
    assert compared > 20  # most mistakes show on public cases


def test_fingerprint_rounds_noise_but_not_mistakes() -> None:
    a = {"out": np.array([1.0, 2.0, 1e-17])}
    noisy = {"out": np.array([1.0 + 1e-12, 2.0 - 1e-12, -3e-17])}
    off = {"out": np.array([1.0, 2.01, 0.0])}
    assert fingerprint(a, ["out"]) == fingerprint(noisy, ["out"])
    assert fingerprint(a, ["out"]) != fingerprint(off, ["out"])
    assert fingerprint(a, ["missing"]) is None


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


def test_mistake_file_lists_only_titles_and_hashes(fixtures: Fixtures) -> None:
    data = json.loads((fixtures.folder / "knn.mistakes.json").read_text())
    assert set(data) == {"mistakes", "fingerprints", "keys"}
    for per_case in data["fingerprints"].values():
        for digest, mistake in per_case.items():
            assert len(digest) == 64 and mistake in data["mistakes"]
    assert diagnose  # the instructor path stays available when the reference is installed
