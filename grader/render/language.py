"""Results in the student's language.

The same models with every text a student reads (exercise title, case descriptions,
messages, a known mistake's title and hint) taken from the catalogues of
:mod:`grader.engine.texts` by stable id, and the fixed words of the check table.
Grading itself stays in English; this runs just before rendering (terminal, JSON,
HTML, notebooks).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

from grader.engine.texts import Lang, case_description, exercise_title, message, verdict_zh

if TYPE_CHECKING:  # a result as the engine builds it (a record) or validated (a model)
    from grader import models, records
T = TypeVar("T")
CaseResult = TypeVar("CaseResult", "records.CaseResult", "models.CaseResult")
Diagnosis = TypeVar("Diagnosis", "records.Diagnosis", "models.Diagnosis")
ExerciseResult = TypeVar("ExerciseResult", "records.ExerciseResult", "models.ExerciseResult")
RunResult = TypeVar("RunResult", "records.RunResult", "models.RunResult")


def copy_with(obj: T, **update: Any) -> T:
    """``obj`` with ``update``: a pydantic model's copy, or a plain record's replacement."""
    if dataclasses.is_dataclass(obj):
        return dataclasses.replace(obj, **update)  # type: ignore[type-var]
    copied: T = obj.model_copy(update=update)  # type: ignore[attr-defined]
    return copied

QUIZ_PREFIX = "quiz:"  # quiz results are graded in their language already

WORDS: dict[Lang, dict[str, str]] = {
    "en": {
        "case": "case", "pts": "pts", "wrong": "what is wrong", "hidden": "hidden",
        "pass": "pass", "fail": "fail", "named": "Known mistake: {title}.",
        "named_again": "Known mistake: {title} (hint above).", "hint": "Hint: {hint}",
        "printed": "printed: {text}",
        "summary": "{score}/{max} points, {passed}/{total} cases passed",
        "all_passed": "All passed", "not_started": "Not started", "some_failed": "Some cases failed",
        "start_hint": "Open the exercise file and replace each raise NotImplementedError with your code.",
        "nothing": "Nothing to check.",
        "not_isolated": "Sandbox: separate process with limits (not namespace-isolated).",
        "numpy": "Graded with numpy {versions}.",
        "list_title": "Exercises (submission: {sub})",
        "list_columns": "exercise|title|points|status|teaches",
    },
    "zh": {
        "case": "用例", "pts": "分数", "wrong": "问题所在", "hidden": "隐藏",
        "pass": "通过", "fail": "未通过", "named": "常见错误：{title}。",
        "named_again": "常见错误：{title}（提示见上文）。", "hint": "提示：{hint}",
        "printed": "输出：{text}",
        "summary": "{score}/{max} 分，{passed}/{total} 个用例通过",
        "all_passed": "全部通过", "not_started": "尚未开始", "some_failed": "部分用例未通过",
        "start_hint": "打开练习文件，把每个 raise NotImplementedError 换成你的代码。",
        "nothing": "没有需要检查的内容。",
        "not_isolated": "沙箱：带资源限制的独立进程（未做命名空间隔离）。",
        "list_title": "练习（提交：{sub}）",
        "list_columns": "练习|名称|分数|状态|内容",
        "numpy": "评分所用 numpy 版本：{versions}。",
    },
}



def verdict_label(verdict: str, lang: Lang) -> str:
    """A verdict as words: ``wrong value`` / ``数值错误``."""
    return (verdict_zh(verdict) or verdict) if lang == "zh" else verdict.replace("_", " ")


STATUS_ZH = {"implemented": "已实现", "partial": "部分实现", "stub": "未开始", "missing": "缺失",
             "unreadable": "无法读取", "syntax error": "语法错误"}


def status_label(state: str, lang: Lang) -> str:
    """A submission's status for ``dlgrade list`` (``implemented``, ``stub``...) in ``lang``."""
    return STATUS_ZH.get(state, state) if lang == "zh" else state


def points(value: float) -> str:
    """18.0 -> '18', 0.5 -> '0.5': points as people write them."""
    return f"{value:g}"


def _zh(found: Diagnosis) -> Diagnosis:
    if not found.title_zh:
        return found
    return copy_with(found, title=found.title_zh, hint=found.hint_zh or found.hint)


def _case(exercise: str, case: CaseResult, lang: Lang) -> CaseResult:
    text = case.message
    for found in [case.mistake, *case.also]:  # "what the outputs show" quotes their titles
        if found is not None and found.title_zh:
            text = text.replace(found.title, found.title_zh)
    update: dict[str, object] = {
        "description": case_description(exercise, case.name, case.description, lang),
        "message": message(text, lang),
        "also": [_zh(d) for d in case.also],
    }
    if case.mistake is not None:
        update["mistake"] = _zh(case.mistake)
    return copy_with(case, **update)


def localize_exercise(result: ExerciseResult, lang: Lang) -> ExerciseResult:
    """One exercise's result with its texts in ``lang`` (unchanged for English and quizzes)."""
    if lang == "en" or result.exercise.startswith(QUIZ_PREFIX):
        return result
    return copy_with(result, title=exercise_title(result.exercise, result.title, lang),
                     cases=[_case(result.exercise, c, lang) for c in result.cases])


def localize(run: RunResult, lang: Lang) -> RunResult:
    """A whole run with its texts in ``lang``."""
    if lang == "en":
        return run
    return copy_with(run, exercises=[localize_exercise(e, lang) for e in run.exercises])
