"""dlgrade assign: the student release, its manifest, notebooks, and what it must never contain."""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np
import pytest
from typer.testing import CliRunner

from grader.assign.notebooks import build_notebook, intro, intros
from grader.assign.release import content_hash
from grader.cli.app import app
from grader.engine import registry
from grader.engine.compare import MatchReference
from grader.engine.manifest import Manifest
from grader.engine.mistakes import run_trusted
from grader.engine.seeds import case_seed
from grader.engine.stubs import BEGIN, END, strip_solutions
from grader.engine.suite import Call, Case, Mistake
from grader.engine.texts import instructor
from tests.support.helpers import ROOT, reference_text
from tests.support.paths import notes_dir

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
HIDDEN_MARK, VARIANT_MARK, SOLUTION_MARK = "HIDDEN_MARKER_9c2d", "_marker_variant_3b7a", "SOLUTION_MARK_5e1f"
HIDDEN_VALUE, VARIANT_VALUE = 7777.125, 4242.0


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def files(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the release, and every member of the wheels inside it."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        yield rel, path.read_bytes()
        if path.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    yield f"{rel}!{name}", zf.read(name)


def solution_lines() -> list[str]:
    """Lines inside BEGIN/END SOLUTION of every reference that no public file (a stub, the
    grader's own code) also contains: finding one in the release means a solution leaked."""
    public = "\n".join([*(strip_solutions(reference_text(e)) for e in registry.available()),
                        *(p.read_text() for p in (ROOT / "grader").rglob("*.py"))])
    found = []
    for ex in registry.available():
        inside = False
        for line in reference_text(ex).splitlines():
            if BEGIN.match(line):
                inside = True
            elif END.match(line):
                inside = False
            elif inside and len(line.strip()) >= 16 and line.strip() not in public:
                found.append(line.strip())
    return found


def _marker_variant_3b7a(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    return np.full(dists.shape[0], VARIANT_VALUE)


def _hidden_build(rng: np.random.Generator) -> list[Call]:
    return [Call("compute_distances_no_loops", (np.full((3, 2), HIDDEN_VALUE), rng.random((2, 2))),
                 single=True, returns=("dists",))]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of every exercise, built with markers planted in the instructor-only data."""
    mp = pytest.MonkeyPatch()
    real_load = registry.load
    real_source = __import__("grader.assign.release", fromlist=["reference_source"]).reference_source

    def load(exercise: str):  # type: ignore[no-untyped-def]
        ex = real_load(exercise)
        if exercise != "knn":
            return ex
        hidden = Case(f"{HIDDEN_MARK}_case", 1, _hidden_build, MatchReference(), seed=5,
                      visibility="hidden", description=HIDDEN_MARK)
        mistake = Mistake("planted", "A planted mistake", "no hint",
                          {"predict_labels": _marker_variant_3b7a})
        return dataclasses.replace(ex, hidden=(*ex.hidden, hidden), mistakes=(*ex.mistakes, mistake))

    def source(exercise: str):  # type: ignore[no-untyped-def]
        src = real_source(exercise)
        extra = f"\n\ndef planted():\n    # BEGIN SOLUTION\n    {SOLUTION_MARK} = 1\n    # END SOLUTION\n"
        return dataclasses.replace(src, text=src.text + extra)

    mp.setattr(registry, "load", load)
    mp.setattr("grader.assign.release.reference_source", source)
    out = tmp_path_factory.mktemp("assign") / "release"
    try:
        code, text = run("assign", "--out", str(out), "--title", "HW 1", "--points", "knn=10",
                         "--quizzes", "cnn-shapes")
    finally:
        mp.undo()
    assert code == 0, text
    assert "9 exercises" in text and "1 quizzes" in text
    return out


def test_layout_and_manifest(release: Path) -> None:
    ids = registry.available()
    assert len(ids) == 9
    for ex in ids:
        stub = (release / "exercises" / f"{ex}.py").read_text()
        assert stub.startswith(strip_solutions(reference_text(ex)).rstrip())  # + the planted function
        assert (release / "notebooks" / f"{ex}.ipynb").is_file()
        assert (release / "fixtures" / f"{ex}.npz").is_file()
    manifest = Manifest.load(release)
    assert [e.id for e in manifest.exercises] == list(ids)
    points = {e.id: e.points for e in manifest.exercises}
    assert points["knn"] == 10 and points["softmax"] == registry.load("softmax").points
    assert manifest.title == "HW 1" and manifest.grader_version
    assert manifest.quizzes == ["cnn-shapes"]
    assert (release / "quizzes" / "cnn-shapes.md").is_file()  # questions only: see tests/quiz
    assert manifest.content_hash == content_hash(release)
    readme = (release / "README.md").read_text()
    assert "pip install dlgrade-" in readme and "dlgrade check knn" in readme


def instructor_chinese() -> list[str]:
    """The Chinese of hidden cases and mistakes (solutions/instructor/zh.toml): never shipped in the
    clear (a release has it only sealed in the mistakes' fingerprints)."""
    out = []
    for entry in instructor().values():
        out += list(entry.get("cases", {}).values())
        out += [t for m in entry.get("mistakes", {}).values() for t in (m["title"], m["hint"])]
    return out


def test_nothing_instructor_only_ships(release: Path) -> None:
    secrets = [HIDDEN_MARK, VARIANT_MARK, SOLUTION_MARK, *solution_lines(), *instructor_chinese()]
    assert len(secrets) > 100
    names = []
    for name, data in files(release):
        names.append(name)
        text = data.decode("utf-8", errors="ignore")
        for secret in secrets:
            assert secret not in text, (name, secret)
        assert not any(part in ("solutions", "instructor") for part in Path(name.split("!")[-1]).parts)
    assert any(n.endswith("!grader/engine/grading.py") for n in names)  # the wheel was scanned too


def test_no_hidden_or_variant_values_in_fixtures(release: Path) -> None:
    hidden_arrays = []
    for ex in registry.available():
        loaded, ref = registry.load(ex), registry.reference(ex)
        for case in loaded.hidden:
            calls = case.build(np.random.default_rng(case_seed(ex, case)))
            arrays = [*run_trusted(ref, calls).values(),
                      *(a for c in calls for a in c.args if isinstance(a, np.ndarray))]
            hidden_arrays += [a for a in arrays if np.unique(a).size > 2]  # zeros prove nothing
    assert len(hidden_arrays) > 20
    for path in (release / "fixtures").glob("*.npz"):
        with np.load(path, allow_pickle=False) as data:
            for key in data.files:
                arr = data[key]
                assert not np.isin([HIDDEN_VALUE, VARIANT_VALUE], arr).any(), (path.name, key)
                for h in hidden_arrays:
                    assert not (arr.shape == h.shape and np.array_equal(arr, h)), (path.name, key)


def test_notebooks_are_valid_and_tagged(release: Path) -> None:
    for ex in registry.available():
        nb = nbformat.read(release / "notebooks" / f"{ex}.ipynb", as_version=4)
        nbformat.validate(nb)
        ids = [c["id"] for c in nb.cells]
        assert ids == [f"{ex}-setup", f"{ex}-intro", f"{ex}-howto", f"{ex}-solution", f"{ex}-check"]
        assert "pip" in nb.cells[0]["source"] and "dlgrade-" in nb.cells[0]["source"]
        assert nb.cells[3]["metadata"]["tags"] == [f"solution-{ex}"]
        assert f'check("{ex}")' in nb.cells[4]["source"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_notebook_matches_golden_file(lang: str) -> None:
    """Same sources, same bytes: fixed cell ids, no timestamps. Regenerate with
    DLGRADE_UPDATE_GOLDEN=1 after an intended change to the knn stub or the intro."""
    nb = build_notebook("knn", strip_solutions(reference_text("knn")), lang)  # type: ignore[arg-type]
    text = nbformat.writes(nb) + "\n"
    golden = GOLDEN / f"knn.{lang}.ipynb.golden"  # not .ipynb: linters would read it
    if os.environ.get("DLGRADE_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_intros_exist_for_all_nine_exercises_in_both_languages() -> None:
    data = intros()
    assert set(registry.EXERCISES) <= set(data)
    found = notes_dir()  # optional: without the notes the citations are not checked
    notes = {p.name for p in found.glob("*.txt")} if found else None
    for ex in registry.EXERCISES:
        for lang in ("en", "zh"):
            assert {"title", "concept", "formula", "example", "shapes"} <= set(data[ex][lang]), (ex, lang)
        if notes:  # every intro cites a notes file that exists
            assert any(n in data[ex]["source"] for n in notes), ex
    assert "0.73" in data["sigmoid_graph"]["en"]["example"]  # the lecture circuit of the notes


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_intros_cite_the_notes_by_title_not_by_file_name(lang: str) -> None:
    for ex in registry.EXERCISES:
        text = intro(ex, lang)  # type: ignore[arg-type]
        assert ".txt" not in text, ex
        assert ("《" in text) if lang == "zh" else ("“" in text), ex


def test_existing_folder_is_never_clobbered(tmp_path: Path) -> None:
    out = tmp_path / "rel"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    code, text = run("assign", "--out", str(out), "--exercises", "knn")
    assert code == 2 and "not empty" in text
    code, text = run("assign", "--out", str(out), "--exercises", "knn", "--force")
    assert code == 2 and "not a dlgrade release" in text
    assert (out / "mine.txt").read_text() == "keep me"
    code, _ = run("assign", "--out", str(tmp_path / "r2"), "--exercises", "knn", "--lang", "zh")
    assert code == 0
    first = json.loads((tmp_path / "r2" / "dlgrade-manifest.json").read_text())
    code, _ = run("assign", "--out", str(tmp_path / "r2"), "--exercises", "knn", "--lang", "zh", "--force")
    assert code == 0
    again = json.loads((tmp_path / "r2" / "dlgrade-manifest.json").read_text())
    assert first["content_hash"] == again["content_hash"]  # reproducible byte for byte
    readme = (tmp_path / "r2" / "README.md").read_text()
    assert "开始" in readme
    # issue 13: the heading and the course line are Chinese too, and points read "18", not "18.0"
    assert readme.startswith("# dlgrade 作业\n\n深度学习：`knn`。")
    points = registry.load("knn").points
    assert f"| `knn` | K近邻算法 | {points:g} |" in readme and f"{float(points)}" not in readme


@pytest.mark.parametrize(("args", "message"), [
    (["--exercises", "knn,nope"], "unknown exercise 'nope'"),
    (["--points", "lots"], "give a number"),
    (["--points", "knn=0"], "points must be positive"),
    (["--exercises", "knn", "--points", "softmax=3"], "not in --exercises"),
    (["--lang", "fr"], "Invalid value"),
    (["--quizzes", "cnn-shape"], "cnn-shapes"),
])
def test_bad_options_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, text = run("assign", "--out", str(tmp_path / "x"), *args)
    assert code == 2 and message in text
    assert not (tmp_path / "x").exists()
