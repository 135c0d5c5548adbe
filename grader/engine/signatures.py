"""Structural signatures of a wrong output: what a failing array is, next to the right one.

Named variants (``solutions/instructor/<id>.py``) recognise the bugs someone
thought of; a signature recognises a *shape* of wrongness whatever bug made
it, and needs no reference, only the expected and the received arrays (so it
works in a student release from the shipped fixtures too):

- ``transposed``: the output is the expected one transposed;
- ``sign_flipped``: it is the expected one negated;
- ``scaled_by_n`` / ``scaled``: it is the expected one times a constant, a
  batch size N or 1/N of the case's inputs, or another constant;
- ``no_clip_before_sqrt``: NaN exactly where the answer is 0, right elsewhere (the
  square root of a rounding error below 0);
- ``reg_scaled``: for a ``(W, X, y, reg)`` loss, the output differs from the
  expected one by a multiple of the regulariser's term ``reg * sum(W**2)`` (loss)
  or ``2 * reg * W`` (gradient): the regulariser is missing, doubled or scaled.

Each is checked on every failing output of a public or hidden case, after the
named variants, for the outputs they leave unexplained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from grader.engine.suite import Call
from grader.frozen import frozen

TOL = 1e-6  # relative, like the variants' diagnosis tolerance


@frozen
class Signature:
    """One recognised shape of a wrong output."""

    id: str
    title: str
    hint: str
    zh: tuple[str, str] = ("", "")  # title and hint in Chinese


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape or a.size == 0:
        return False
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False
    scale = max(float(np.max(np.abs(b))), 1e-12)
    return bool(np.max(np.abs(a - b)) <= TOL * scale)


def _nontrivial(expected: np.ndarray) -> bool:
    """An array whose negation or scaling is distinguishable from itself."""
    return expected.size > 0 and bool(np.all(np.isfinite(expected))) and float(
        np.max(np.abs(expected))) > 1e-12


def _floats(got: np.ndarray, expected: np.ndarray, *, same_shape: bool = True
            ) -> tuple[np.ndarray, np.ndarray] | None:
    """Both as float64, or None when they are not floats of the same shape."""
    if got.dtype.kind not in "biuf" or expected.dtype.kind != "f":
        return None
    if same_shape and got.shape != expected.shape:
        return None
    return np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)


def transposed(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
               ) -> Signature | None:
    """The output is the expected one transposed."""
    if expected.ndim != 2 or expected.shape[0] == expected.shape[1] == 1 or got.shape != expected.T.shape:
        return None
    pair = _floats(got, expected, same_shape=False)
    if pair is None or not _close(pair[0], pair[1].T) or _close(pair[0], pair[1]):
        return None
    return Signature("transposed", f"{key} is the expected array transposed",
                     f"Expected shape {expected.shape}, got {got.shape} with the same values: swap "
                     "the roles of the two axes (which index is the row?), not a final .T.",
                     (f"{key} 是期望数组的转置", f"形状应为 {expected.shape}，实际为 {got.shape}，数值相同："
                      "交换两个轴的角色（哪个下标是行？），而不是最后再加一个 .T。"))


def sign_flipped(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
                 ) -> Signature | None:
    """The output is the expected one with its sign flipped."""
    pair = _floats(got, expected)
    if pair is None or not _nontrivial(pair[1]) or not _close(pair[0], -pair[1]):
        return None
    return Signature("sign_flipped", f"{key} has the wrong sign",
                     "Every value is the right one negated: a minus sign is lost or doubled "
                     "somewhere (a local gradient, a subtraction written the other way round).",
                     (f"{key} 的符号反了", "每个值都是正确值的相反数：某处丢了或多了一个负号"
                      "（某个局部梯度，或一个写反了的减法）。"))


def _sizes(calls: Sequence[Call]) -> set[int]:
    """Batch-like sizes in the inputs: the first dimension of every array argument."""
    sizes = set()
    for call in calls:
        for arg in (*call.args, *call.kwargs.values()):
            if isinstance(arg, np.ndarray) and arg.ndim >= 1 and arg.shape[0] > 1:
                sizes.add(int(arg.shape[0]))
    return sizes


def scaled(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
           ) -> Signature | None:
    """The output is the expected one times a telling factor (N, 1/N, 2, 1/2)."""
    pair = _floats(got, expected)
    if pair is None or not _nontrivial(pair[1]):
        return None
    g, e = pair
    factor = float(np.sum(g * e) / np.sum(e * e))
    if abs(factor) < 1e-12 or abs(factor - 1.0) < 1e-6 or abs(factor + 1.0) < 1e-6:
        return None
    if not _close(g, factor * e):
        return None
    for n in sorted(_sizes(calls)):
        if abs(factor - n) <= 1e-6 * n:
            return Signature("scaled_by_n", f"{key} is {n} times too large (not divided by N = {n})",
                             f"Every value is exactly N = {n} times the expected one: average over "
                             "the batch (divide by N) where the sum is taken.",
                             (f"{key} 大了 {n} 倍（没有除以 N = {n}）",
                              f"每个值都正好是期望值的 N = {n} 倍：在求和处对批次取平均（除以 N）。"))
        if abs(factor * n - 1.0) <= 1e-6:
            return Signature("scaled_by_n", f"{key} is {n} times too small (divided by N = {n} once "
                             "too often)", f"Every value is the expected one divided by N = {n}: "
                             "divide by N once, where the sum over the batch is taken.",
                             (f"{key} 小了 {n} 倍（多除了一次 N = {n}）",
                              f"每个值都是期望值除以 N = {n}：只在对批次求和处除一次 N。"))
    if e.size < 3:  # one or two numbers are always "a multiple" of each other
        return None
    return Signature("scaled", f"{key} is the expected value times {factor:.4g}",
                     f"Every value is off by the same factor {factor:.4g}: look for a constant "
                     "factor (a 2, a 1/2, a learning rate, an average) applied once too often or "
                     "once too few.",
                     (f"{key} 是期望值的 {factor:.4g} 倍", f"每个值都差同一个因子 {factor:.4g}："
                      "找一找多乘或少乘了一次的常数（2、1/2、学习率、平均）。"))


def _loss_inputs(calls: Sequence[Call], key: str) -> tuple[np.ndarray, float] | None:
    """``(W, reg)`` of the call whose output is ``key``, for ``f(W, X, y, reg)`` losses."""
    for call in calls:
        if call.probe is not None or len(call.args) != 4:
            continue
        W, reg = call.args[0], call.args[3]
        if not (isinstance(W, np.ndarray) and W.ndim == 2 and isinstance(reg, float | int)):
            continue
        if key in (call.key("loss"), call.key("dW")):
            return W, float(reg)
    return None


def reg_scaled(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
               ) -> Signature | None:
    """The loss or gradient differs by a multiple of the regulariser's term."""
    found = _loss_inputs(calls, key)
    pair = _floats(got, expected)
    if found is None or pair is None or found[1] == 0.0:
        return None
    W, reg = found
    term = np.asarray(reg * np.sum(W * W)) if key.endswith("loss") else 2.0 * reg * W
    if term.shape != pair[1].shape or not _nontrivial(term):
        return None
    diff = pair[0] - pair[1]
    c = float(np.sum(diff * term) / np.sum(term * term))
    if abs(c) < 1e-9 or not _close(pair[0], pair[1] + c * term):
        return None
    nice = {0.0, 0.5, 2.0} | {1.0 / n for n in _sizes(calls)}
    if term.size < 3 and not any(abs(1.0 + c - k) < 1e-6 for k in nice):
        return None  # a single number fits any multiple: only the usual slips count
    what = "reg * sum(W * W)" if key.endswith("loss") else "2 * reg * W"
    if abs(c + 1.0) < 1e-6:
        title = f"{key} misses the regulariser's term {what}"
        title_zh = f"{key} 少了正则化惩罚项 {what}"
    else:
        title = f"{key} has the regulariser's term {what} times {1.0 + c:.4g}"
        title_zh = f"{key} 中的正则化惩罚项 {what} 乘了 {1.0 + c:.4g}"
    return Signature("reg_scaled", title,
                     "The data part is right; only the regulariser differs. The loss adds "
                     "reg * np.sum(W * W) once, after averaging the data loss over N, and dW adds "
                     "its derivative 2 * reg * W.",
                     (title_zh, "数据部分是对的，只有正则化项不同。损失在对数据损失取平均之后加一次 "
                      "reg * np.sum(W * W)，dW 加上它的导数 2 * reg * W。"))


def nan_where_zero(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
                   ) -> Signature | None:
    """NaN exactly where the answer is (near) 0, right elsewhere: sqrt of a rounding error."""
    pair = _floats(got, expected)
    if pair is None or not np.all(np.isfinite(pair[1])):
        return None
    g, e = pair
    nan = np.isnan(g)
    if not nan.any() or nan.all() or np.isinf(g).any() or np.any(e < 0):
        return None  # a square root is >= 0, and some of its values must have come out right
    scale = max(float(np.max(np.abs(e))), 1e-12)
    if float(np.max(np.abs(e[nan]))) > 1e-6 * scale:
        return None
    if (~nan).any() and float(np.max(np.abs(g[~nan] - e[~nan]))) > 1e-5 * scale:
        return None
    return Signature("no_clip_before_sqrt", f"{key} is NaN where the answer is 0: no clip before np.sqrt",
                     "Where the exact value is 0, rounding can leave a tiny negative number, and "
                     "np.sqrt of it is NaN: clip first, np.sqrt(np.maximum(d2, 0)).",
                     (f"{key} 在答案为 0 处是 NaN：开平方前没有截断到 0",
                      "精确值为 0 时，舍入误差可能留下一个极小的负数，它的 np.sqrt 是 NaN："
                      "先截断，np.sqrt(np.maximum(d2, 0))。"))


Check = Callable[[str, np.ndarray, np.ndarray, Sequence[Call]], "Signature | None"]
CHECKS: tuple[Check, ...] = (nan_where_zero, transposed, sign_flipped, reg_scaled, scaled)


def signature(key: str, got: np.ndarray, expected: np.ndarray, calls: Sequence[Call]
              ) -> Signature | None:
    """The first signature ``got`` shows against ``expected``, if any."""
    for check in CHECKS:
        with np.errstate(all="ignore"):
            try:
                found = check(key, got, expected, calls)
            except (ValueError, TypeError, ArithmeticError):  # odd arrays: no signature
                continue
        if found is not None:
            return found
    return None
