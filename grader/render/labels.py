"""Every label of the progress report, in English and in Chinese (the course notes' language)."""

from __future__ import annotations

from datetime import datetime

from grader.errors import UsageError, did_you_mean

LANGS = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your progress",
        "subtitle": "Every dlgrade check you ran, kept in",
        "exercises": "Exercises",
        "quizzes": "Quizzes",
        "item": "exercise",
        "quiz": "quiz",
        "name": "title",
        "best": "best",
        "latest": "latest",
        "attempts": "attempts",
        "first_pass": "first pass",
        "failing": "still failing",
        "total": "Total",
        "points": "points",
        "passed_count": "passed",
        "of": "of",
        "completion": "completion",
        "next": "Try next",
        "start": "start",
        "fix": "fix",
        "run": "run",
        "nothing_next": "Everything passes. Well done!",
        "no_attempts": "No attempts recorded yet: run 'dlgrade check <exercise>' and come back.",
        "status.passed": "passed",
        "status.in_progress": "in progress",
        "status.not_started": "not started",
        "chart": "score over attempts",
        "chart_empty": "no attempts yet",
        "after": "on attempt",
        "hidden": "hidden",
        "hint": "Hint:",
        "more": "more",
        "generated": "Generated",
        "open_html": "A page with charts: dlgrade progress --html progress.html",
    },
    "zh": {
        "title": "学习进度",
        "subtitle": "每一次 dlgrade check 都记录在",
        "exercises": "编程练习",
        "quizzes": "小测验",
        "item": "练习",
        "quiz": "测验",
        "name": "名称",
        "best": "最高分",
        "latest": "最近一次",
        "attempts": "提交次数",
        "first_pass": "首次通过",
        "failing": "仍未通过",
        "total": "总计",
        "points": "分",
        "passed_count": "已通过",
        "of": "/",
        "completion": "完成度",
        "next": "下一步建议",
        "start": "开始",
        "fix": "修正",
        "run": "运行",
        "nothing_next": "全部通过，做得好！",
        "no_attempts": "还没有记录：先运行 'dlgrade check <练习>'。",
        "status.passed": "已通过",
        "status.in_progress": "进行中",
        "status.not_started": "未开始",
        "chart": "每次提交的得分",
        "chart_empty": "尚无提交",
        "after": "提交次数",
        "hidden": "隐藏",
        "hint": "提示：",
        "more": "更多",
        "generated": "生成于",
        "open_html": "带图表的网页：dlgrade progress --html progress.html",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The label table of ``lang``; an unknown language is a usage error."""
    key = lang.strip().lower()
    if key not in LABELS:
        raise UsageError(f"unknown language {lang!r}{did_you_mean(key, LANGS)}; use one of: "
                         f"{', '.join(LANGS)}")
    return LABELS[key]


def local_time(when: datetime | None, short: bool = False) -> str:
    """A stored UTC time as the student's local wall-clock time, to the minute."""
    return when.astimezone().strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M") if when else "—"


def pts(value: float | None) -> str:
    """Points as text; "—" for None."""
    return "—" if value is None else f"{value:g}"
