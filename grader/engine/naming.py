"""Naming what a failing case shows, output by output (issue 13).

``grader.engine.mistakes.diagnose`` names the first known mistake whose variant
reproduces *every* output of a case. Students often make two mistakes at once,
or make one in a single function of several, and low-information outputs (a
few labels) can fit two mistakes alike, so ``explain_failure`` decides:

1. the one variant that reproduces every output names the case; when two or
   more do, the outputs cannot tell them apart and the case gets no name;
2. otherwise each failing output is named by the one variant that reproduces
   it, looked for first among the variants that fit the whole case (wherever
   they differ from the reference, the student differs the same way), then
   among those that fit the outputs of the same call, then among all;
3. a structural signature (``grader.engine.signatures``) describes what is left;
4. whatever is still unexplained is reported as such (``unexplained``), never guessed.

``explain_exception`` names an exception when exactly one variant raises the same
exception, with the same message, on the same calls (a broadcasting error shows
the shapes involved).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader.engine import registry, texts
from grader.engine.mistakes import _is_probe, _same, run_trusted, variant_outputs, variant_runs
from grader.engine.signatures import signature
from grader.engine.suite import Call, Exercise, Mistake, Outputs
from grader.frozen import frozen
from grader.records import Diagnosis


@frozen
class Named:
    """A name for some failing outputs of a case (all of them when ``keys`` is empty)."""

    id: str
    title: str
    hint: str
    keys: tuple[str, ...] = ()
    zh: tuple[str, str] | None = None  # (title, hint) in Chinese, when unsealed from a release

    def diagnosis(self, exercise: str) -> Diagnosis:
        """This finding as the diagnosis a case result carries, with its Chinese texts."""
        title_zh, hint_zh = self.zh or ("", "")
        found = Diagnosis(id=self.id, title=self.title, hint=self.hint, outputs=list(self.keys),
                          title_zh=title_zh, hint_zh=hint_zh)
        return texts.with_zh(exercise, found)


def _failing(got: Outputs, expected: Outputs, calls: list[Call]) -> list[str]:
    return [k for k in expected if k in got and not _is_probe(k, calls) and not _same(got[k], expected[k])]


def _group(found: dict[str, Mistake]) -> list[Named]:
    """One ``Named`` per mistake, holding the outputs it alone explains."""
    keys: dict[str, list[str]] = {}
    mistakes: dict[str, Mistake] = {}
    for key, mistake in found.items():
        keys.setdefault(mistake.id, []).append(key)
        mistakes[mistake.id] = mistake
    return [Named(m.id, m.title, m.hint, tuple(keys[i]), m.zh) for i, m in mistakes.items()]


def _by_variants(variants: list[tuple[Mistake, Outputs]], keys: list[str], got: Outputs,
                 expected: Outputs, failing: list[str], calls: list[Call]) -> list[Named]:
    """Per output: the one variant that reproduces it.

    First among the variants that fit the whole case (wherever they are wrong, the student
    is wrong the same way), then among those that fit the outputs of the same call, then
    among all.

    An output two mistakes reproduce alike names neither: the evidence cannot tell them apart.
    """
    usable = [(m, t) for m, t in variants if all(k in t for k in keys)]

    def fits(t: Outputs, among: list[str]) -> bool:  # wherever t is wrong, the student is too
        return all(_same(got[k], t[k]) or _same(t[k], expected[k]) for k in among)

    found: dict[str, Mistake] = {}
    for tier in ("case", "call", "output"):
        for key in failing:
            if key in found:
                continue
            among = {"case": keys, "call": [k for k in keys if _call(k, calls) == _call(key, calls)],
                     "output": []}[tier]
            ids = {m.id: m for m, t in usable if _same(got[key], t[key]) and fits(t, among)
                   and _telling(t, expected, [key])}
            if len(ids) == 1:
                found[key] = next(iter(ids.values()))
    return _group(found)


def _telling(theirs: Outputs, expected: Outputs, keys: list[str]) -> bool:
    """Whether matching a variant on ``keys`` is evidence of its mistake.

    A float that comes out the same is, and so is a counter (a 0-d integer such as
    Adam's ``t``); one wrong label in a vector of labels is not (over three classes,
    half of the wrong answers would match it by chance), so where the variant is wrong
    only in label vectors it must be wrong in at least two places.
    """
    wrong = 0
    for key in keys:
        a, b = theirs[key], expected[key]
        if a.shape != b.shape or a.dtype.kind == "f" or b.dtype.kind == "f" or b.ndim == 0:
            if not _same(a, b):
                return True
            continue
        wrong += int(np.sum(a != b))
    return wrong >= 2


def _call(key: str, calls: list[Call]) -> str:
    """The label of the call an output key belongs to (``naive.dW`` -> ``naive``)."""
    return next((c.label for c in calls if c.label and key.startswith(f"{c.label}.")), "")


def explain_failure(exercise: Exercise, calls: list[Call], got: Outputs, expected: Outputs | None,
                    whole: Mistake | None) -> list[Named]:
    """Names for a failing case: the one mistake that explains every output, else per output.

    ``whole`` is the caller's whole-case diagnosis; with the reference installed it is
    checked again here, against every other mistake (two that fit alike name nothing).
    """
    ref = registry.reference(exercise.id)
    if ref is None:
        if whole is not None:
            return [Named(whole.id, whole.title, whole.hint, zh=whole.zh)]
        return [] if expected is None else _by_signatures(calls, got, expected, [], [])
    if expected is None:
        expected = run_trusted(ref, calls)
    failing = _failing(got, expected, calls)
    keys = [k for k in expected if k in got and not _is_probe(k, calls)]
    variants = variant_outputs(exercise, calls)
    full = {m.id: m for m, t in variants if all(k in t for k in keys) and _telling(t, expected, keys)
            and all(_same(got[k], t[k]) for k in keys) and any(not _same(t[k], expected[k]) for k in keys)}
    if len(full) == 1:
        m = next(iter(full.values()))
        return [Named(m.id, m.title, m.hint, zh=m.zh)]
    if full:
        return []
    named = _by_variants(variants, keys, got, expected, failing, calls)
    return _by_signatures(calls, got, expected, failing, named)


def _by_signatures(calls: list[Call], got: Outputs, expected: Outputs, failing: list[str],
                   named: list[Named]) -> list[Named]:
    """``named`` plus a structural signature for each failing output left unexplained."""
    failing = failing or _failing(got, expected, calls)
    explained = {k for n in named for k in n.keys}
    for key in failing:
        if key in explained:
            continue
        found = signature(key, got[key], expected[key], calls)
        if found is not None:
            named.append(Named(found.id, found.title, found.hint, (key,), zh=found.zh))
    return named


def unexplained(named: Sequence[Named], got: Outputs, expected: Outputs | None,
                calls: list[Call]) -> str:
    """A note when names explain only some of the failing outputs."""
    if not named or not named[0].keys or expected is None:
        return ""
    explained = {k for n in named for k in n.keys}
    rest = [k for k in _failing(got, expected, calls) if k not in explained]
    if not rest and len(named) == 1:
        return ""
    parts = [f"{', '.join(n.keys)}: {n.id}" for n in named]  # ids read the same in any language
    if rest:
        parts.append(f"{', '.join(rest)}: wrong for another reason")
    return "what the outputs show: " + "; ".join(parts)


def explain_exception(exercise: Exercise, calls: list[Call], exc_type: str, message: str
                      ) -> list[Named]:
    """The known mistake whose variant raises the same exception on these calls."""
    ref = registry.reference(exercise.id)
    if ref is None or not exc_type or exc_type == "NotImplementedError":
        return []
    same = [m for m, run in variant_runs(exercise, calls) if run == (exc_type, message)]
    if len(same) != 1:  # none, or two that fail alike: the exception cannot tell them apart
        return []
    return [Named(same[0].id, same[0].title, same[0].hint, zh=same[0].zh)]
