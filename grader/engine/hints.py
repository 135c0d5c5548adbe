"""Small pieces of feedback around a case's verdict.

- A numpy API that was removed (``np.int``, ``ndarray.itemset``, ``np.lib.pad``...)
  raises AttributeError under numpy >= 1.24 / 2.0 where it ran fine before: the
  message gets a hint naming the replacement, so the same code is not a mystery
  that depends on which numpy the student has.
- The "changed its input in place" note is left out where an in-place update is
  what the function is for (an optimizer step may update ``w``).
- Hidden cases say what kind of failure it was in a fixed vocabulary:
  "not finite" for NaN/Inf, "wrong values" for the others.
"""

from __future__ import annotations

import re

from grader.models import Verdict

# Removed from numpy (1.20 deprecations removed in 1.24, the numpy 2.0 cleanup), with what to use.
REMOVED: dict[str, str] = {
    "int": "int (or np.int64)", "float": "float (or np.float64)", "bool": "bool (or np.bool_)",
    "object": "object", "str": "str", "long": "int", "unicode": "str", "complex": "complex",
    "int0": "np.intp", "uint0": "np.uintp", "bool8": "np.bool_", "float_": "np.float64",
    "complex_": "np.complex128", "unicode_": "np.str_", "string_": "np.bytes_",
    "longfloat": "np.longdouble", "singlecomplex": "np.complex64", "cfloat": "np.complex128",
    "NaN": "np.nan", "NAN": "np.nan", "Inf": "np.inf", "Infinity": "np.inf", "infty": "np.inf",
    "PINF": "np.inf", "NINF": "-np.inf", "PZERO": "0.0", "NZERO": "-0.0",
    "asscalar": "a.item()", "asfarray": "np.asarray(a, dtype=float)", "product": "np.prod",
    "cumproduct": "np.cumprod", "sometrue": "np.any", "alltrue": "np.all", "round_": "np.round",
    "in1d": "np.isin", "row_stack": "np.vstack", "trapz": "np.trapezoid", "msort": "np.sort(a, axis=0)",
    "mat": "np.asmatrix (or better, a plain array)", "rank": "np.ndim",
    "find_common_type": "np.result_type", "cast": "np.asarray(a, dtype=...)",
    "itemset": "a[index] = value", "newbyteorder": "a.view(a.dtype.newbyteorder())",
    "ptp": "np.ptp(a)", "pad": "np.pad", "safe_eval": "ast.literal_eval",
}

_MISSING = re.compile(r"(?:module '(numpy[\w.]*)'|'numpy\.(\w+)' object) has no attribute '(\w+)'")


def numpy_hint(exc_type: str, message: str) -> str:
    """A hint naming the replacement of a removed numpy API, or ``""``."""
    if exc_type != "AttributeError":
        return ""
    found = _MISSING.search(message)
    if not found or found.group(3) not in REMOVED:
        return ""
    module, owner, name = found.groups()
    old = f"{module.replace('numpy', 'np', 1)}.{name}" if module else f"{owner}.{name}"
    return (f"hint: {old} was removed from numpy (this grader runs numpy {_numpy()}); "
            f"use {REMOVED[name]}")


def numpy_version(runner: object) -> str:
    """The numpy version a runner's sandbox reports, or ``""`` for a runner that does not say."""
    return str(getattr(runner, "numpy_version", ""))


def _numpy() -> str:
    import numpy as np

    return np.__version__


# Inputs a function may legitimately update in place: an optimizer step updates its weights.
IN_PLACE_OK = frozenset({"adam(w)", "adam(config)"})


def mutation_note(mutated: tuple[str, ...]) -> str:
    """The note for inputs a submission changed in place, where that is worth saying."""
    names = [m for m in mutated if m not in IN_PLACE_OK]
    if not names:
        return ""
    return (f"note: changed its input {', '.join(names)} in place; "
            "work on a copy (the reference got pristine inputs)")


WRONG = (Verdict.WRONG_VALUE, Verdict.GRADIENT_MISMATCH, Verdict.DISAGREE)


def hidden_summary(verdict: Verdict, message: str) -> str | None:
    """A hidden case's message for a wrong output, from a fixed vocabulary; None: not one."""
    what = message.split(":")[0]
    if verdict is Verdict.NOT_FINITE:
        return f"{what}: not finite (NaN or Inf)"
    if verdict in WRONG:
        return f"{what}: wrong values"
    return None
