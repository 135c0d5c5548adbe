"""Results in the student's language.

The same models with every text a student reads (exercise title, case descriptions,
messages, a known mistake's title and hint) taken from the catalogues of
:mod:`grader.engine.texts` by stable id, and the fixed words of the check table.
Grading itself stays in English; this runs just before rendering (terminal, JSON,
HTML, notebooks).
"""

from __future__ import annotations

from grader.engine.texts import VERDICTS, Lang, case_description, exercise_title, message
from grader.models import CaseResult, ExerciseResult, RunResult

QUIZ_PREFIX = "quiz:"  # quiz results are graded in their language already

WORDS: dict[Lang, dict[str, str]] = {
    "en": {
        "case": "case", "pts": "pts", "wrong": "what is wrong", "hidden": "hidden",
        "pass": "pass", "fail": "fail", "known": "Known mistake", "hint": "Hint",
        "hint_above": "hint above", "printed": "printed",
        "summary": "{score}/{max} points, {passed}/{total} cases passed",
        "all_passed": "All passed", "not_started": "Not started", "some_failed": "Some cases failed",
        "start_hint": "Open the exercise file and replace each raise NotImplementedError with your code.",
        "nothing": "Nothing to check.",
        "not_isolated": "Sandbox: separate process with limits (not namespace-isolated).",
        "numpy": "Graded with numpy {versions}.",
    },
    "zh": {
        "case": "用例", "pts": "分数", "wrong": "问题所在", "hidden": "隐藏",
        "pass": "通过", "fail": "未通过", "known": "常见错误", "hint": "提示",
        "hint_above": "提示见上文", "printed": "输出",
        "summary": "{score}/{max} 分，{passed}/{total} 个用例通过",
        "all_passed": "全部通过", "not_started": "尚未开始", "some_failed": "部分用例未通过",
        "start_hint": "打开练习文件，把每个 raise NotImplementedError 换成你的代码。",
        "nothing": "没有需要检查的内容。",
        "not_isolated": "沙箱：带资源限制的独立进程（未做命名空间隔离）。",
        "numpy": "评分所用 numpy 版本：{versions}。",
    },
}



def verdict_label(verdict: str, lang: Lang) -> str:
    """A verdict as words: ``wrong value`` / ``数值错误``."""
    return VERDICTS.get(verdict, verdict) if lang == "zh" else verdict.replace("_", " ")


def points(value: float) -> str:
    """18.0 -> '18', 0.5 -> '0.5': points as people write them."""
    return f"{value:g}"


def _case(exercise: str, case: CaseResult, lang: Lang) -> CaseResult:
    update: dict[str, object] = {
        "description": case_description(exercise, case.name, case.description, lang),
        "message": message(case.message, lang),
    }
    if case.mistake is not None and case.mistake.title_zh:
        update["mistake"] = case.mistake.model_copy(
            update={"title": case.mistake.title_zh, "hint": case.mistake.hint_zh or case.mistake.hint})
    return case.model_copy(update=update)


def localize_exercise(result: ExerciseResult, lang: Lang) -> ExerciseResult:
    """One exercise's result with its texts in ``lang`` (unchanged for English and quizzes)."""
    if lang == "en" or result.exercise.startswith(QUIZ_PREFIX):
        return result
    return result.model_copy(update={
        "title": exercise_title(result.exercise, result.title, lang),
        "cases": [_case(result.exercise, c, lang) for c in result.cases],
    })


def localize(run: RunResult, lang: Lang) -> RunResult:
    """A whole run with its texts in ``lang``."""
    if lang == "en":
        return run
    return run.model_copy(update={"exercises": [localize_exercise(e, lang) for e in run.exercises]})
