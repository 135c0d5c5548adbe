"""Bilingual content (issue 13): every title, case description, mistake title and
hint has its Chinese, keyed by stable ids; --lang zh and DLGRADE_LANG show them
in the terminal, JSON and notebooks; the grading messages' phrases are
translated; instructor-only Chinese never leaves the instructor's side except
sealed in a fingerprint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from grader.assign.fixtures import write_fixtures
from grader.cli.app import app
from grader.engine import registry, texts
from grader.engine.compare import compare_array, missing
from grader.engine.expectations import Fixtures
from grader.engine.feedback import hidden_message
from grader.engine.fingerprints import canonical, seal, unseal
from grader.engine.grading import Options, grade_exercise
from grader.engine.hints import mutation_note, numpy_hint
from grader.engine.judging import outcome_judgement
from grader.engine.naming import Named, explain_failure, unexplained
from grader.engine.signatures import nan_where_zero, reg_scaled, scaled, sign_flipped, transposed
from grader.engine.suite import Call, Mistake
from grader.engine.variants import mistake_source
from grader.errors import UsageError
from grader.models import CaseResult, ExerciseResult, RunResult, Verdict
from grader.render.language import localize, localize_exercise
from grader.sandbox.outcome import ChildOutcome
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.helpers import all_mistakes

CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def _chinese(text: object) -> bool:
    return isinstance(text, str) and bool(CJK.search(text))


# ---- completeness: a new exercise, case or mistake without its Chinese fails here -----------------

def test_every_text_has_its_chinese() -> None:
    """Walks the registry, so the cases and mistakes added later are checked too."""
    public, instructor = texts.public(), texts.instructor()
    assert instructor, "solutions/instructor/zh.toml not installed"
    lacking = []
    for ex_id in registry.available():
        ex = registry.load(ex_id)
        entry = public.get(ex_id, {})
        lacking += [f"{ex_id}: {field}" for field in ("title", "teaches") if not _chinese(entry.get(field))]
        lacking += [f"{ex_id}/{c.name} (public case, grader/data/zh.toml)" for c in ex.public
                    if not _chinese(entry.get("cases", {}).get(c.name))]
        hidden = instructor.get(ex_id, {}).get("cases", {})
        lacking += [f"{ex_id}/{c.name} (hidden case, solutions/instructor/zh.toml)" for c in ex.hidden
                    if not _chinese(hidden.get(c.name))]
        for m in ex.mistakes:
            zh = texts.mistake_zh(ex_id, m.id)
            if zh is None or not all(_chinese(t) for t in zh):
                lacking.append(f"{ex_id}/{m.id} (mistake title and hint, solutions/instructor/zh.toml)")
    assert not lacking, "texts without their Chinese:\n" + "\n".join(lacking)


def test_no_catalogue_entry_is_stale() -> None:
    """A renamed case or mistake leaves its old translation behind: caught here."""
    stale = []
    for ex_id, entry in {**texts.public()}.items():
        ex = registry.load(ex_id)
        stale += [f"{ex_id}/{n}" for n in entry.get("cases", {}) if n not in {c.name for c in ex.public}]
    for ex_id, entry in texts.instructor().items():
        ex = registry.load(ex_id)
        stale += [f"{ex_id}/{n}" for n in entry.get("cases", {}) if n not in {c.name for c in ex.hidden}]
        stale += [f"{ex_id}/{n}" for n in entry.get("mistakes", {}) if n not in {m.id for m in ex.mistakes}]
    assert not stale


def test_the_public_catalogue_holds_nothing_instructor_only() -> None:
    text = (Path(texts.__file__).parents[1] / "data" / "zh.toml").read_text(encoding="utf-8")
    for ex_id in registry.available():
        ex = registry.load(ex_id)
        assert not any(c.name in text for c in ex.hidden), ex_id
        assert not any(f"mistakes.{m.id}" in text for m in ex.mistakes), ex_id
    for ex_id, m in all_mistakes():
        zh = texts.mistake_zh(ex_id, m.id)
        assert zh is not None and zh[0] not in text and zh[1] not in text


# ---- grading messages ---------------------------------------------------------------------------

ENGLISH = re.compile(r"\b(expected|got|values?|shape|returned|after|the|are|at|no|wrong|still|raises|"
                     r"timed|out|memory|crashed|killed|note|changed|input|copy|index)\b")


def _messages() -> list[str]:
    """Messages as the engine writes them (real functions, not copies of their text)."""
    a = np.arange(6.0).reshape(2, 3)
    case = registry.load("knn").public[0]
    judged = [
        compare_array("dW", a, a.T, 1e-7).message,
        compare_array("y_pred", a, np.arange(6).reshape(2, 3), 0).message,  # right values, float labels
        compare_array("dW", a.astype(np.float32), a, 1e-7).message,  # right values in float32
        compare_array("loss", np.array([np.nan, 1.0]), np.ones(2), 1e-7).message,
        compare_array("dx", a + 1, a, 1e-7).message,
        compare_array("dx", a + 1, a, 1e-7, show=False).message,
        compare_array("dw[0, 1] vs numerical gradient", np.array(2.0), np.array(1.0), 1e-5).message,
        missing("next_h").message,
    ]
    outcomes = [ChildOutcome("timeout"), ChildOutcome("exception", exc_type="NotImplementedError"),
                ChildOutcome("exception", exc_type="MemoryError", where="knn.py:3"),
                ChildOutcome("crash", exit_code=-9), ChildOutcome("crash", exit_code=3),
                ChildOutcome("syntax_error", where="knn.py:4", message="invalid syntax"),
                ChildOutcome("ok", invalid={"dists": "list"})]
    for out in outcomes:
        j = outcome_judgement(out, case)
        assert j is not None
        judged.append(j.message)
    # every hidden case's message (a fixed vocabulary), for every verdict
    judged += [hidden_message(v, ("next_w",), "MyError") for v in Verdict if v is not Verdict.PASSED]
    return judged


def test_every_engine_phrase_has_its_chinese() -> None:
    for english in _messages():
        zh = texts.message(english, "zh")
        assert _chinese(zh), english
        assert not ENGLISH.search(zh), (english, zh)
    assert texts.message("dW: rel_error 2.00e-01 > 1e-07 at (1, 2): expected 4, got 5", "en").startswith("dW")


def _signatures() -> list[tuple[str, str]]:
    """One of every structural signature, found by the real checks on arrays made to show it."""
    e = np.arange(1.0, 13.0).reshape(3, 4)
    W, X, y = np.arange(1.0, 7.0).reshape(2, 3), np.ones((5, 2)), np.zeros(5, dtype=np.int64)
    loss = [Call("svm_loss_naive", (W, X, y, 0.5), returns=("loss", "dW"))]
    batch = [Call("f", (np.ones((5, 2)),))]
    found = [transposed("dists", e.T.copy(), e, []), sign_flipped("dW", -e, e, []),
             scaled("dW", 5 * e, e, batch), scaled("dW", e / 5, e, batch), scaled("dW", 3 * e, e, []),
             reg_scaled("dW", e[:2, :3] * 0 + 1.0, e[:2, :3] * 0 + 1.0 + 2 * 0.5 * W, loss),
             reg_scaled("dW", 1.0 + 2 * 2 * 0.5 * W, 1.0 + 2 * 0.5 * W, loss),
             nan_where_zero("dists", np.array([np.nan, 2.0, 3.0]), np.array([0.0, 2.0, 3.0]), [])]
    assert all(s is not None for s in found)
    return [(s.title, s.hint) for s in found if s is not None]


def test_every_signature_and_note_has_its_chinese() -> None:
    texts_en = [t for pair in _signatures() for t in pair]
    assert len(set(texts_en)) >= 14  # every title and hint above differs from the others
    texts_en += [numpy_hint("AttributeError", "module 'numpy' has no attribute 'float'"),
                 mutation_note(("X",))]
    for english in texts_en:
        zh = texts.message(english, "zh")
        assert _chinese(zh), english
        assert not ENGLISH.search(zh), (english, zh)
    # a case named output by output: the note quotes the names, and shows in Chinese whole
    title, hint = _signatures()[1]
    named = [Named("sign_flipped", title, hint, ("dW",))]
    got, want = {"dW": -np.ones(3), "loss": np.ones(1)}, {"dW": np.ones(3), "loss": np.zeros(1)}
    note = unexplained(named, got, want, [])
    d = named[0].diagnosis("knn")
    assert _chinese(d.title_zh) and _chinese(d.hint_zh)
    case = CaseResult(name="two_loops", points=0, max_points=2, verdict=Verdict.WRONG_VALUE, message=note,
                      mistake=d)
    run = RunResult(grader_version="0", exercises=[ExerciseResult(exercise="knn", title="", submission="",
                                                                  cases=[case])])
    shown = localize(run, "zh").exercises[0].cases[0]
    assert _chinese(shown.message) and not ENGLISH.search(shown.message), shown.message


def test_a_students_exception_text_stays_as_it_is() -> None:
    zh = texts.message("ValueError at knn.py:7: operands could not be broadcast", "zh")
    assert "operands could not be broadcast" in zh


# ---- choosing the language ----------------------------------------------------------------------

def test_language_from_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLGRADE_LANG", raising=False)
    assert texts.resolve_lang(None) == "en"
    monkeypatch.setenv("DLGRADE_LANG", "zh")
    assert texts.resolve_lang(None) == "zh" and texts.resolve_lang("en") == "en"
    monkeypatch.setenv("DLGRADE_LANG", "fr")
    with pytest.raises(UsageError, match="DLGRADE_LANG"):
        texts.resolve_lang(None)


# ---- end to end: a named mistake, in Chinese ----------------------------------------------------

def _softmax_mistake(tmp_path: Path) -> Path:
    ex = registry.load("softmax")
    mistake = next(m for m in ex.mistakes if m.id == "loss_sign")
    path = tmp_path / "softmax.py"
    path.write_text(mistake_source("softmax", mistake), encoding="utf-8")
    return path


@pytest.mark.slow
def test_check_in_chinese_names_the_mistake_in_chinese(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sub = _softmax_mistake(tmp_path)
    title, hint = texts.mistake_zh("softmax", "loss_sign") or ("", "")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("DLGRADE_LANG", "zh")  # the environment alone picks Chinese
    res = runner.invoke(app, ["check", "softmax", "--submission", str(sub), "--no-record", "-f", "json",
                              "--public-only"])
    assert res.exit_code == 1, res.output
    run = json.loads(res.output)
    result = run["exercises"][0]
    assert result["title"] == texts.public()["softmax"]["title"]
    named = [c for c in result["cases"] if c["mistake"]]
    assert named and all(c["mistake"]["title"] == title and c["mistake"]["hint"] == hint for c in named)
    assert all(_chinese(c["description"]) for c in result["cases"])
    res = runner.invoke(app, ["check", "softmax", "--submission", str(sub), "--no-record", "--lang", "zh",
                              "--public-only"])
    assert "常见错误" in res.output and title in res.output and "用例" in res.output
    assert "Known mistake" not in res.output and ".0/" not in res.output
    res = runner.invoke(app, ["check", "softmax", "--submission", str(sub), "--no-record", "--lang", "en",
                              "--public-only"])
    assert "Known mistake" in res.output and title not in res.output  # --lang beats DLGRADE_LANG


def test_list_in_chinese(tmp_path: Path) -> None:
    res = runner.invoke(app, ["list", "--lang", "zh", "--submission", str(tmp_path / "none")],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "K近邻算法" in res.output and "缺失" in res.output  # missing
    assert "exercise" not in res.output and "欧氏距离" in res.output


def test_unknown_language_is_one_line(tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", "knn", "--lang", "fr", "--submission", str(tmp_path)])
    assert res.exit_code == 2 and "Invalid value" in res.output


# ---- releases: the Chinese travels sealed -------------------------------------------------------

def test_a_sealed_mistake_carries_its_chinese_and_opens_only_with_its_outputs() -> None:
    m = Mistake("no_sqrt", "Distances are squared", "take the square root", {})
    zh = texts.mistake_zh("knn", "no_sqrt")
    assert zh is not None
    form, other = canonical({"d": np.array([4.0])}, ["d"]), canonical({"d": np.array([2.0])}, ["d"])
    assert form is not None and other is not None
    token = seal(m, form, zh)
    assert zh[0] not in token and json.dumps(zh[0]) not in token
    opened = unseal(token, form)
    assert opened is not None and opened.zh == zh
    assert unseal(token, other) is None


def test_a_release_diagnosis_shows_the_unsealed_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the instructor data is absent (a release), the Chinese comes from the sealed mistake."""
    monkeypatch.setattr(texts, "instructor", lambda: {})
    monkeypatch.setattr(registry, "reference", lambda exercise: None)
    unsealed = Mistake("no_sqrt", "Distances are squared", "take the square root", {}, zh=("平方", "开方"))
    ex = registry.load("knn")
    calls = ex.public[0].build(np.random.default_rng(0))
    named = explain_failure(ex, calls, {"dists": np.ones((4, 10))}, {"dists": np.zeros((4, 10))}, unsealed)
    d = named[0].diagnosis("knn")
    assert (d.title_zh, d.hint_zh) == ("平方", "开方")
    case = CaseResult(name="two_loops", points=0, max_points=2, verdict=Verdict.WRONG_VALUE, mistake=d)
    result = ExerciseResult(exercise="knn", title="K-nearest neighbours", submission="", cases=[case])
    run = RunResult(grader_version="0", exercises=[result])
    shown = localize(run, "zh").exercises[0]
    assert shown.title == "K近邻算法" and shown.cases[0].mistake is not None
    assert shown.cases[0].mistake.title == "平方" and _chinese(shown.cases[0].description)
    assert localize(run, "en") == run


def test_a_release_names_a_mistake_in_chinese_from_its_sealed_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    """The whole release path: fixtures written with the instructor data, then graded with
    neither the reference nor the instructor catalogue (as a student's machine has them)."""
    write_fixtures("knn", tmp_path)
    ex = registry.load("knn")
    mistake = next(m for m in ex.mistakes if m.id == "no_sqrt")
    source = Source("knn", mistake_source("knn", mistake), "knn.py")
    zh = texts.mistake_zh("knn", "no_sqrt")
    monkeypatch.setattr(texts, "instructor", lambda: {})
    monkeypatch.setattr(registry, "reference", lambda exercise: None)
    result = grade_exercise(ex, source, sandbox, Options(hidden=False, expectations=Fixtures(tmp_path)))
    named = [c.mistake for c in result.cases if c.mistake is not None]
    assert named and all(d.id == "no_sqrt" for d in named)
    shown = localize_exercise(result, "zh")
    assert all(c.mistake.title == zh[0] for c in shown.cases if c.mistake is not None)  # type: ignore[index]
