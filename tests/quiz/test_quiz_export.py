"""LMS exports parsed back: GIFT re-read by a small parser, Moodle XML and QTI
well-formed (xml.etree), QTI zipped with its imsmanifest.xml; the answers in
each are the key's answers, and randomized questions come as grouped variants."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli.app import app
from grader.quiz import bank

runner = CliRunner()


def _answer_fn(quiz: str, qid: str):  # type: ignore[no-untyped-def]
    key = bank.load_key(quiz)
    assert key is not None
    a = key.answers[qid]
    return a, (bank.answer_functions()[a.function] if a.function else None)


def _numbers_in(text: str, names: list[str]) -> dict[str, float]:
    """Read a conv-output variant's numbers back out of its text."""
    m = re.search(r"A (\d+)×\d+ input goes through a (\d+)×\d+ convolution with stride (\d+) "
                  r"and zero padding (\d+)", text)
    assert m, text
    return dict(zip(names, map(float, m.groups()), strict=True))


# ---- GIFT -----------------------------------------------------------------------------------------

def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def parse_gift(text: str) -> list[dict[str, object]]:
    """A small GIFT reader: categories, ::title::, [plain] text and the {answer} block."""
    out: list[dict[str, object]] = []
    category = ""
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0].split(":", 1)[1].strip()
            continue
        body = "\n".join(lines)
        m = re.fullmatch(r"::(.*?)::\[plain\](.*?)(?<!\\)\{(.*)(?<!\\)\}", body, re.S)
        assert m, body
        title, qtext, answers = m.groups()
        answers, _, feedback = answers.partition("####")
        q: dict[str, object] = {"category": category, "title": _unescape(title), "text": _unescape(qtext),
                                "feedback": _unescape(feedback.strip())}
        if answers.startswith("#"):
            value, tol = answers[1:].split(":")
            q.update(value=float(value), tolerance=float(tol))
        else:
            opts = re.findall(r"(?<!\\)([=~])(?:%(-?[\d.]+)%)?((?:\\.|[^=~\\])*)", answers)
            q["choices"] = [(_unescape(t.strip()), 100.0 if s == "=" else float(f or 0)) for s, f, t in opts]
        out.append(q)
    return out


def test_gift_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "cnn.gift"
    res = runner.invoke(app, ["quiz", "export", "cnn-shapes", "--format", "gift", "--variants", "4",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    questions = parse_gift(out.read_text(encoding="utf-8"))
    quiz = bank.load("cnn-shapes")
    randomized = [q for q in quiz.questions if q.randomized]
    assert len(questions) == len(quiz.questions) - len(randomized) + 4 * len(randomized)
    conv = [q for q in questions if q["category"].endswith("/cnn-shapes/conv-output")]
    assert len(conv) == 4 and len({q["text"] for q in conv}) == 4
    _, fn = _answer_fn("cnn-shapes", "conv-output")
    for q in conv:  # each variant's answer fits the numbers in its own text
        assert q["value"] == fn(**_numbers_in(str(q["text"]), ["W", "F", "S", "P"]))
        assert q["tolerance"] == 0
    fixed = {q["title"]: q for q in questions}
    assert fixed["cnn-shapes/conv-params-notes"]["value"] == 2800  # notes: 3x3x3x100+100=2800
    out_ch = fixed["cnn-shapes/out-channels"]["choices"]
    assert [t for t, f in out_ch if f == 100] == ["as many as the filters (kernels)"]


def test_gift_multiple_answer_fractions(tmp_path: Path) -> None:
    out = tmp_path / "reg.gift"
    res = runner.invoke(app, ["quiz", "export", "regularization", "-f", "gift", "--out", str(out)])
    assert res.exit_code == 0
    by_title = {q["title"]: q for q in parse_gift(out.read_text(encoding="utf-8"))}
    q = by_title["regularization/against-overfitting"]
    right = {t for t, f in q["choices"] if f > 0}
    assert right == {"an L2 regularization penalty on the weights", "dropout"}
    assert sum(f for _, f in q["choices"] if f > 0) == pytest.approx(100, abs=1e-3)
    assert all(f == -100 for _, f in q["choices"] if f <= 0)


# ---- Moodle XML -----------------------------------------------------------------------------------

def test_moodle_xml_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "losses.xml"
    res = runner.invoke(app, ["quiz", "export", "losses", "--format", "moodle-xml", "--variants", "3",
                              "--out", str(out), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    root = ET.parse(out).getroot()
    assert root.tag == "quiz"
    cats = [q.findtext("category/text") for q in root.findall("question[@type='category']")]
    assert "$course$/top/dlgrade/losses/hinge" in cats
    by_name = {q.findtext("name/text"): q for q in root.findall("question") if q.get("type") != "category"}
    notes = by_name["losses/softmax-notes"]
    assert notes.get("type") == "numerical" and "softmax" in (notes.findtext("questiontext/text") or "")
    # notes 004: scores 3, 1, -1; -log of the second class's share e / (e^3 + e + 1/e)
    assert float(notes.findtext("answer/text") or 0) == pytest.approx(2.1429, abs=1e-4)
    assert float(notes.findtext("answer/tolerance") or -1) == pytest.approx(0.001)
    outliers = by_name["losses/outliers"]
    assert outliers.findtext("single") == "true"
    right = [a.findtext("text") for a in outliers.findall("answer") if a.get("fraction") == "100"]
    assert right == ["平均绝对误差（MAE）"]
    hinge = [q for n, q in by_name.items() if n.startswith("losses/hinge v")]
    assert len(hinge) == 3
    _, fn = _answer_fn("losses", "hinge")
    for q in hinge:
        nums = re.findall(r"-?\d+(?:\.\d+)?", q.findtext("questiontext/text") or "")
        sy, s2, s3 = (float(x) for x in nums[1:4])  # after the margin "1"
        assert float(q.findtext("answer/text") or "nan") == pytest.approx(fn(sy=sy, s2=s2, s3=s3))


# ---- QTI ------------------------------------------------------------------------------------------

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def test_qti_zip_with_manifest_and_question_groups(tmp_path: Path) -> None:
    out = tmp_path / "cnn.zip"
    res = runner.invoke(app, ["quiz", "export", "cnn-shapes", "-f", "qti", "--variants", "5",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "imsmanifest.xml" in names
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter() if f.tag.endswith("file")]
        assert hrefs == ["cnn-shapes/cnn-shapes.xml"] and hrefs[0] in names
        test = ET.fromstring(zf.read(hrefs[0]))
    groups = test.findall(".//q:section/q:section", NS)
    quiz = bank.load("cnn-shapes")
    assert len(groups) == sum(q.randomized for q in quiz.questions)
    for group in groups:
        assert group.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=NS) == "1"
        assert len(group.findall("q:item", NS)) == 5
    conv = next(g for g in groups if g.get("title") == "conv-output")
    _, fn = _answer_fn("cnn-shapes", "conv-output")
    for item in conv.findall("q:item", NS):
        text = item.findtext("q:presentation/q:material/q:mattext", namespaces=NS) or ""
        value = item.findtext(".//q:respcondition/q:conditionvar/q:or/q:varequal", namespaces=NS)
        assert float(value or "nan") == fn(**_numbers_in(text, ["W", "F", "S", "P"]))
    single = next(i for i in test.iter(f"{{{NS['q']}}}item") if i.get("title") == "cnn-shapes/out-channels")
    right = single.findtext(".//q:respcondition/q:conditionvar/q:varequal", namespaces=NS)
    label = single.find(f".//q:response_label[@ident='{right}']", NS)
    assert label is not None
    assert label.findtext("q:material/q:mattext", namespaces=NS) == "as many as the filters (kernels)"


def test_export_usage_errors(tmp_path: Path) -> None:
    res = runner.invoke(app, ["quiz", "export", "cnn-shapes", "-f", "gif", "--out", str(tmp_path / "x")])
    assert res.exit_code == 2 and "did you mean 'gift'" in res.output
    res = runner.invoke(app, ["quiz", "export", "cnn-shapes", "-f", "qti",
                              "--out", str(tmp_path / "no/x.zip")])
    assert res.exit_code == 2 and "does not exist" in res.output
    res = runner.invoke(app, ["quiz", "export", "cnn-shapes", "-f", "qti", "--variants", "0",
                              "--out", str(tmp_path / "x.zip")])
    assert res.exit_code == 2 and "--variants" in res.output
