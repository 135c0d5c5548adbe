"""Every variant of every question as a student reads it: the question and the
explanation rendered for every combination of drawable numbers, in both
languages, checked for the way numbers read (issue 13: ``-2²`` for ``(-2)²``,
``3.21126e+08``, ``100.0``, ``- -2``), and the number the explanation states
checked against a value computed independently (tests/quiz/independent.py).
Also: the notes' own rounded values are accepted, and feedback cites the notes
by title and section, never by a file name."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.quiz import bank, notes
from grader.quiz.draw import fields, render
from grader.quiz.grade import expected, explain, grade_answers, mark
from grader.quiz.models import LANGS, Question
from grader.quiz.take import take
from tests.quiz.independent import INDEPENDENT

# How a number must never read. Each pattern is a mistake the issue found in a real variant.
BAD = {
    "an operator followed by a negative number (write 1 - (-2))": re.compile(r"[-+·×/]\s*-\d"),
    "a negative number squared without parentheses (write (-2)²)": re.compile(r"(?<![\d)])-\d+(?:\.\d+)?²"),
    "a negative exponent without parentheses (write e^(-2))": re.compile(r"\^-\d"),
    "an exact integer printed as a float (write 100)": re.compile(r"(?<![\d.])\d+\.0(?!\d)"),
    "a number in scientific notation (write 321126400)": re.compile(r"\d(?:\.\d+)?e\+\d"),
}


def _problems(text: str) -> list[str]:
    return [why for why, pattern in BAD.items() if pattern.search(text)]


def _questions() -> Iterator[tuple[str, Question]]:
    for quiz in bank.available():
        for q in bank.load(quiz).questions:
            yield quiz, q


def _every_variant(q: Question) -> Iterator[dict[str, float]]:
    names = list(q.params)
    for combo in itertools.product(*(q.params[n].options() for n in names)):
        yield dict(zip(names, combo, strict=True))


class _Mark:
    """Stands for the answer in a template, to find where the answer's digits are."""

    def __format__(self, spec: str) -> str:
        return "\x00"


def _shown_answer(template: str, params: dict[str, float], text: str) -> str:
    """The characters the ``{answer...}`` field became in ``text``."""
    marked = template.format_map({**fields(params), "answer": _Mark()})
    before, _, after = marked.partition("\x00")
    assert text.startswith(before) and text.endswith(after), (template, text)
    return text[len(before):len(text) - len(after)]


def _agrees(shown: str, want: float) -> bool:
    """Whether ``shown`` is ``want`` written to the digits it shows."""
    decimals = len(shown.partition(".")[2])
    return abs(float(shown) - want) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9) + 1e-12


RANDOMIZED = [pytest.param(quiz, q, id=f"{quiz}/{q.id}",
                           marks=[pytest.mark.slow] if len(list(_every_variant(q))) > 2000 else [])
              for quiz, q in _questions() if q.randomized]


@pytest.mark.parametrize(("quiz", "q"), RANDOMIZED)
def test_every_variant_reads_well_and_states_the_right_answer(quiz: str, q: Question) -> None:
    key = bank.load_key(quiz)
    assert key is not None
    answer = key.answers[q.id]
    independent = INDEPENDENT[f"{quiz}/{q.id}"]
    count = 0
    for params in _every_variant(q):
        want = float(independent(params))
        got = expected(q, answer, params)
        assert isinstance(got, float) and got == pytest.approx(want, rel=1e-6, abs=1e-9), params
        for lang in LANGS:
            question, explanation = render(q, params, lang), explain(answer, params, got, lang)
            assert _problems(question) == [], (lang, question)
            assert _problems(explanation) == [], (lang, explanation)
            shown = _shown_answer(answer.explanation(lang), params, explanation)
            assert _agrees(shown, want), (lang, params, shown, want)
        count += 1
    assert count == len(list(_every_variant(q))) >= 6


def test_fixed_questions_and_their_explanations_read_well() -> None:
    for quiz, q in _questions():
        if q.randomized:
            continue
        key = bank.load_key(quiz)
        assert key is not None
        want = expected(q, key.answers[q.id], {})
        for lang in LANGS:
            shown = [render(q, {}, lang), explain(key.answers[q.id], {}, want, lang)]
            for text in shown + [c(lang) for c in q.choices]:
                assert _problems(text) == [], (quiz, q.id, lang, text)


def test_issue_examples_now_read_as_written_by_hand() -> None:
    """The four variants the issue quoted, rendered now (values by hand)."""
    key = bank.load_key("regularization")
    assert key is not None
    l2 = explain(key.answers["l2-penalty"], {"w1": -2, "w2": 0.5, "w3": 0, "lam": 0.1}, 0.425, "en")
    assert "((-2)² + 0.5² + 0²)" in l2 and l2.endswith("= 0.425.")  # 0.1 · (4 + 0.25) = 0.425
    cnn = bank.load_key("cnn-shapes")
    assert cnn is not None
    macs = explain(cnn.answers["conv-macs"], {"H": 56, "C_in": 64, "C_out": 64, "k": 5}, 321126400.0, "en")
    assert macs.endswith(": 321126400.")  # 56·56·64 · 5·5·64 = 321126400
    losses = bank.load_key("losses")
    assert losses is not None
    hinge = explain(losses.answers["hinge"], {"sy": -2, "s2": 1, "s3": -2}, 5.0, "en")
    assert "max(0, 1 - (-2) + 1) + max(0, -2 - (-2) + 1) = 5." in hinge  # 4 + 1
    basics = bank.load_key("ml-basics")
    assert basics is not None
    assert explain(basics.answers["iterations"], {"N": 10000, "B": 100}, 100.0, "en").endswith("= 100.")


# ---- the notes' own numbers -------------------------------------------------------------------

@pytest.mark.parametrize(("quiz", "qid", "typed", "ok"), [
    ("backprop", "exp-gate", "-0.20", True),  # notes 002 §6.3: "-0.2其实是∂f/∂x"
    ("backprop", "exp-gate", "-0.2", True),
    ("backprop", "exp-gate", "-0.19", True),  # -0.53 · e^-1 = -0.19498 to two decimals
    ("backprop", "exp-gate", "-0.22", False),
    ("backprop", "exp-gate", "0.20", False),
    ("backprop", "sigmoid-local", "0.2", True),  # notes 002 §6.3: "下图的0.2可以直接由0.73求出"
    ("losses", "softmax-notes", "2.143", True),  # -ln(e / (e³ + e + e⁻¹)) = 2.1429
    ("losses", "softmax-notes", "0.931", False),  # the same with log10: not what the notes mean
])
def test_the_notes_rounded_values(quiz: str, qid: str, typed: str, ok: bool) -> None:
    z = bank.load(quiz)
    key = bank.load_key(quiz)
    assert key is not None
    assert mark(z, key, z.question(qid), "alice", typed, "en").correct is ok


def test_ambiguous_wordings_are_gone() -> None:
    same = bank.load("cnn-shapes").question("same-padding")
    assert "on each side" in same.text.en and "每一侧" in same.text.zh
    notes_q = bank.load("losses").question("softmax-notes")
    assert "natural log" in notes_q.text.en and "自然对数" in notes_q.text.zh
    tree = bank.load("word2vec").question("hierarchical")
    # V = 5000 is not a power of two: some words sit at depth 12, some at 13; "at most" is 13.
    assert "At most" in tree.text.en and "最多" in tree.text.zh
    assert 5000 in tree.params["V"].options()


# ---- citations -------------------------------------------------------------------------------

def test_every_cited_notes_file_has_a_title_in_both_languages() -> None:
    cited = {q.see.file for _, q in _questions()}
    for file in cited:
        assert set(notes.titles()[file]) == {"en", "zh"}, file
        assert all(file not in notes.title(file, lang) for lang in LANGS)


def test_the_zh_titles_are_the_notes_own_headings(course_notes: Path) -> None:
    for file, entry in notes.titles().items():
        text = (course_notes / file).read_text(encoding="utf-8")
        for part in entry["zh"].split(" / "):
            assert part.split("（")[0] in text, (file, part)


def test_feedback_cites_titles_not_file_names() -> None:
    quiz = bank.load("backprop")
    typed = {q.id: "1" if q.kind == "numeric" else "a" for q in quiz.questions}
    for lang in LANGS:
        lines: list[str] = []
        answers = [typed[q.id] for q in quiz.questions]
        take(quiz, "alice", lang, lambda _, a=answers: a.pop(0), lines.append)
        said = "\n".join(lines)
        assert ".txt" not in said
        assert notes.title("002_8df49b0a5c64663c.txt", lang) in said and "6.3、复杂实例" in said
        result = grade_answers(quiz, "alice", typed, lang)
        for case in result.cases:
            title = notes.title(quiz.question(case.name).see.file, lang)
            assert ".txt" not in case.message and title in case.message
