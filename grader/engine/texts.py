"""The Chinese side of every text a student reads.

Titles, case descriptions, mistake titles and hints, and the phrases of grading messages.

English stays in the code. Chinese lives in catalogues keyed by stable ids:
``grader/data/zh.toml`` (public: exercise titles, what they teach, public case
descriptions, message phrases) and ``solutions/instructor/zh.toml``
(instructor-only: hidden case descriptions, mistake titles and hints), which a
student release does not contain. A known mistake's Chinese reaches a release
only sealed with its fingerprint (:mod:`grader.engine.fingerprints`).
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import re
import tomllib
from functools import cache
from typing import Any, Literal

from grader.errors import UsageError, did_you_mean
from grader.models import Diagnosis

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
ENV = "DLGRADE_LANG"
INSTRUCTOR_PACKAGE = "solutions.instructor"


def resolve_lang(value: str | None = None) -> Lang:
    """The language asked for: ``value`` (from --lang), else $DLGRADE_LANG, else English."""
    raw = (value or os.environ.get(ENV) or "en").strip().lower()
    raw = {"cn": "zh", "zh-cn": "zh", "zh_cn": "zh", "chinese": "zh", "english": "en"}.get(raw, raw)
    if raw not in LANGS:
        where = "--lang" if value else ENV
        raise UsageError(f"{where}: unknown language {raw!r}{did_you_mean(raw, LANGS)}; use en or zh")
    return raw


def _load(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


@cache
def public() -> dict[str, Any]:
    """``grader/data/zh.toml``: exercise id -> {title, teaches, cases: {name: text}}."""
    return _load((importlib.resources.files("grader") / "data" / "zh.toml").read_text(encoding="utf-8"))


@cache
def instructor() -> dict[str, Any]:
    """``solutions/instructor/zh.toml`` where installed, else empty (a student release)."""
    try:
        if importlib.util.find_spec(INSTRUCTOR_PACKAGE) is None:
            return {}
    except ModuleNotFoundError:
        return {}
    path = importlib.resources.files(INSTRUCTOR_PACKAGE) / "zh.toml"
    return _load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def exercise_title(exercise: str, english: str, lang: Lang) -> str:
    """An exercise's title in ``lang`` (``english`` where the catalogue has none)."""
    return str(public().get(exercise, {}).get("title", english)) if lang == "zh" else english


def exercise_teaches(exercise: str, english: str, lang: Lang) -> str:
    """What an exercise teaches, in ``lang``."""
    return str(public().get(exercise, {}).get("teaches", english)) if lang == "zh" else english


def case_description(exercise: str, case: str, english: str, lang: Lang) -> str:
    """A case's description in ``lang``.

    Public cases come from the public catalogue, hidden ones from the instructor's.
    """
    if lang != "zh":
        return english
    for catalogue in (public(), instructor()):
        text = catalogue.get(exercise, {}).get("cases", {}).get(case)
        if text:
            return str(text)
    return english


def mistake_zh(exercise: str, mistake: str) -> tuple[str, str] | None:
    """(title, hint) in Chinese from the instructor catalogue, or None."""
    entry = instructor().get(exercise, {}).get("mistakes", {}).get(mistake)
    return (str(entry["title"]), str(entry["hint"])) if entry else None


# ---- grading messages --------------------------------------------------------------------------
# Phrase by phrase: each English phrase the grader writes, as a regex, and its Chinese. What
# no phrase matches (array names, numbers, a student's exception text) stays as it is.

_NUM = r"[-+0-9.e]+|nan|inf|-inf"
PHRASES: tuple[tuple[str, str], ...] = (
    (r"expected shape (\(.*?\)), got (\(.*?\))", r"形状应为 \1，实际为 \2"),
    (r"shape (\(.*?\)) cannot be the gradient", r"形状 \1 不可能是梯度"),
    (r"expected integers, got (\w+)", r"应为整数，实际为 \1"),
    (r"(\d+) value\(s\) are (NaN|Inf)", r"有 \1 个值为 \2"),
    (r" at index (\([\d, ]*\))", r"（位置 \1）"),
    (rf"rel_error ({_NUM}) > ({_NUM})", r"相对误差 \1 > \2"),
    (rf" at (\([\d, ]*\)): expected ({_NUM}), got ({_NUM})", r"，位置 \1：应为 \2，实际为 \3"),
    (rf": expected ({_NUM}), got ({_NUM})", r"：应为 \1，实际为 \2"),
    (r" vs numerical gradient", r" 与数值梯度"),
    (r"no value was returned", r"没有返回值"),
    (r"wrong values", r"数值错误"),
    # the fixed vocabulary of hidden cases (grader.engine.feedback.HIDDEN_TEXT), whole messages
    (r"^wrong shape$", r"形状错误"),
    (r"^wrong dtype$", r"类型错误"),
    (r"^a value is missing$", r"缺少一个返回值"),
    (r"^returned something that is not a numeric numpy array$", r"返回的不是数值型 numpy 数组"),
    (r"^syntax error$", r"语法错误"),
    (r"^a function of the exercise is not defined$", r"练习中的某个函数没有定义"),
    (r"^timed out$", r"超时"),
    (r"^ran out of memory$", r"内存不足"),
    (r"^crashed$", r"崩溃"),
    (r"^an exception of a class defined in your code$", r"抛出了你代码中自定义类的异常"),
    (r"not run: (\w+)\(\) timed out in an earlier case \(an infinite loop, or far too slow\?\)",
     r"未运行：\1() 在之前的用例中已超时（有死循环，或者太慢？）"),
    (r"one of ((?:\w+\(\)(?:, )?)+) timed out after", r"\1 之一超时，限时"),
    (r"(\w+)\(\) timed out after", r"\1() 超时，限时"),
    (r"timed out after ([\d.]+)s \(an infinite loop, or far too slow\?\)",
     r"超时（\1 秒）：有死循环，或者太慢？"),
    (r" ([\d.]+)s \(an infinite loop, or far too slow\?\)", r" \1 秒（有死循环，或者太慢？）"),
    (r"used up its CPU time limit \(([\d.]+)s of CPU\)", r"用完了 CPU 时间上限（\1 秒）"),
    (r"crashed: killed by (\w+) \((.*?)\)", "SIGNAL"),
    (r"exited before answering \(exit code (-?\d+)\): os\._exit, or a crash in C code\?",
     r"没有给出结果就退出了（退出码 \1）：调用了 os._exit，还是 C 代码崩溃？"),
    (r"ran out of memory: the limit is ([\d.]+) GB", r"内存不足：上限为 \1 GB"),
    (r"still raises NotImplementedError", r"仍然抛出 NotImplementedError（还没有实现）"),
    (r"SyntaxError at ", r"语法错误（SyntaxError），位置 "),
    (r"(\w+(?:Error|Exception|Warning|Interrupt|Exit)) at ([^\s:]+:\d+)", r"\1（位置 \2）"),
    (r"returned (\w+), expected a numpy array", r"返回了 \1，应为 numpy 数组"),
    (r"note: changed its input (.*?) in place; work on a copy \(the reference got pristine inputs\)",
     r"注意：原地修改了输入 \1；请在副本上计算（参考答案拿到的是未修改的输入）"),
    (r"no (\w+)\.py in (\S+)", r"\2 中没有 \1.py"),
    (r"no expected values for this case", r"这个用例没有期望值"),
)
SIGNALS = {"segmentation fault": "段错误", "aborted": "中止", "bus error": "总线错误",
           "arithmetic error": "算术错误", "illegal instruction": "非法指令", "killed": "被强制结束",
           "file size limit": "超出文件大小上限", "terminated": "被终止", "bad system call": "非法系统调用",
           "a signal": "信号"}


def _signal(m: re.Match[str]) -> str:
    return f"崩溃：被信号 {m[1]} 终止（{SIGNALS.get(m[2], m[2])}）"


_COMPILED = tuple((re.compile(p), _signal if r == "SIGNAL" else r) for p, r in PHRASES)


VERDICTS: dict[str, str] = {
    "passed": "通过", "wrong_value": "数值错误", "wrong_shape": "形状错误", "wrong_dtype": "类型错误",
    "not_finite": "非有限值", "missing_output": "缺少输出", "invalid_output": "无效输出",
    "disagree": "版本不一致", "gradient_mismatch": "梯度不符", "not_implemented": "未实现",
    "exception": "异常", "syntax_error": "语法错误", "missing_function": "缺少函数",
    "missing_module": "缺少文件", "bad_source": "源文件无效", "timeout": "超时",
    "memory_limit": "内存超限", "crash": "崩溃",
}


def message(text: str, lang: Lang) -> str:
    """A grading message in ``lang``, phrase by phrase."""
    if lang != "zh" or not text:
        return text
    whole = VERDICTS.get(text.replace(" ", "_"))
    if whole:  # a bare verdict, as a hidden case may say
        return whole
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    return text.replace("; ", "；")


def diagnosis(exercise: str, mistake: Any) -> Diagnosis:
    """The Diagnosis of a known mistake, with its Chinese.

    The Chinese comes from the instructor catalogue, or from the mistake itself
    (``mistake.zh``, unsealed from a release's fingerprints).
    """
    zh = mistake_zh(exercise, mistake.id) or getattr(mistake, "zh", None) or ("", "")
    return Diagnosis(id=mistake.id, title=mistake.title, hint=mistake.hint, title_zh=zh[0], hint_zh=zh[1])
