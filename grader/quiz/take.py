"""The interactive quiz flow, independent of the terminal.

``ask`` reads one line, ``say`` shows text. Unreadable input is re-asked and costs
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grader.models import ExerciseResult
from grader.quiz import bank
from grader.quiz.grade import grade_answers, mark, show
from grader.quiz.models import Lang, Quiz
from grader.quiz.notes import cite
from grader.quiz.parse import ParseError, parse_response
from grader.quiz.sheet import HOW, question_lines

WORDS = {
    "en": {"answer": "Your answer", "again": "Could not read that: {err}. Try again (no attempt used).",
           "right": "✔ correct ({pts} pt).", "wrong": "✘ wrong: the answer is {want}.",
           "score": "Score: {score:g}/{max:g}"},
    "zh": {"answer": "你的答案", "again": "无法识别：{err}。请重新输入（不计入作答次数）。",
           "right": "✔ 正确（{pts} 分）。", "wrong": "✘ 错误：正确答案是 {want}。",
           "score": "得分：{score:g}/{max:g}"},
}


@dataclass(frozen=True)
class Taken:
    """What a student typed, and the graded result where the answer key is installed."""

    responses: dict[str, str]
    result: ExerciseResult | None  # None where the answer key is not installed


def take(quiz: Quiz, student: str, lang: Lang, ask: Callable[[str], str],
         say: Callable[[str], None]) -> Taken:
    """Ask each question of ``quiz`` in turn, re-asking unreadable answers; grade if the key is here."""
    key = bank.load_key(quiz.id)
    words = WORDS[lang]
    count = f"{len(quiz.questions)} questions" if lang == "en" else f"{len(quiz.questions)} 题"
    say(f"{quiz.title(lang)} ({count}, {student})\n{HOW[lang]}")
    responses: dict[str, str] = {}
    for n, q in enumerate(quiz.questions, 1):
        say(f"\n{n}/{len(quiz.questions)}. " + "\n".join(question_lines(quiz, q, student, lang)))
        while True:
            raw = ask(words["answer"])
            try:
                if key is None:
                    parse_response(q, raw)
                    break
                marked = mark(quiz, key, q, student, raw, lang, strict=True)
                break
            except ParseError as exc:
                say(words["again"].format(err=exc))
        responses[q.id] = raw.strip()
        if key is None:
            continue
        verdict = words["right"].format(pts=f"{q.points:g}") if marked.correct else \
            words["wrong"].format(want=show(marked.expected))
        quote = key.answers[q.id].quote
        say(f"{verdict} {marked.explanation}\n{cite(q.see, lang)}: “{quote}”")
    if key is None:
        return Taken(responses, None)
    result = grade_answers(quiz, student, responses, lang, submission=f"terminal:{student}")
    say("\n" + words["score"].format(score=result.score, max=result.max_score))
    return Taken(responses, result)
