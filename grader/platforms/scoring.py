"""Whole-number points for platforms that only take integers (Classroom 50).

A release's manifest gives each exercise its points (floats); a run gives each
case its points within its exercise. Integer platforms need whole numbers that
neither lose nor invent points: the largest-remainder (Hamilton) method splits
a whole total so the parts always add up to it, and a part differs from its
exact share by less than one point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from grader.models import ExerciseResult


def apportion(weights: Sequence[float], total: int) -> list[int]:
    """Split the whole number ``total`` in proportion to ``weights`` (largest remainder).

    Args:
        weights: Non-negative shares; all zero gives all zero.
        total: The whole number to split.

    Returns:
        One whole number per weight, summing to ``total`` (or 0 when there is nothing to split).
    """
    mass = sum(weights)
    if total <= 0 or mass <= 0:
        return [0] * len(weights)
    quotas = [w * total / mass for w in weights]
    parts = [math.floor(q + 1e-9) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class IntCase:
    """One case's whole-number points."""

    exercise: str
    index: int
    score: int
    max_score: int


def integer_cases(results: Sequence[ExerciseResult], points: dict[str, float]) -> list[IntCase]:
    """Whole-number points per case: the manifest total is split over exercises, then over cases.

    A passed case earns its whole share, a failed one nothing; so a perfect run scores exactly
    the (rounded) manifest total and an empty one zero.

    Args:
        results: The graded exercises, in manifest order.
        points: Manifest points per exercise id (an exercise not in it keeps its suite total).

    Returns:
        One entry per case of every result, in order.
    """
    weights = [points.get(r.exercise, r.max_score) for r in results]
    total = max(1, round(sum(weights))) if weights else 0
    out: list[IntCase] = []
    for result, share in zip(results, apportion(weights, total), strict=True):
        maxes = apportion([c.max_points for c in result.cases], share)
        for k, (case, top) in enumerate(zip(result.cases, maxes, strict=True)):
            earned = top if case.max_points > 0 and case.points >= case.max_points else (
                math.floor(top * case.points / case.max_points) if case.max_points > 0 else 0)
            out.append(IntCase(result.exercise, k, earned, top))
    return out
