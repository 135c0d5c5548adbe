"""How much information a case's outputs carry, in bits.

The bits weigh two students' identical outputs as evidence of copying
(:mod:`grader.grade.suspicious`).

An array's bits are its size times the entropy of its own values: a float matrix
of distinct values carries many bits and cannot coincide by chance between two
students whose inputs differ; a vector of labels from five classes carries a few;
a constant array (all zeros, one label everywhere) carries none.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from grader.engine.suite import Outputs

CAP = 4096.0  # beyond this, more bits change nothing


def array_bits(a: np.ndarray) -> float:
    """``size × H(values)``: the empirical entropy of the array's values, per element, in bits."""
    flat = np.asarray(a).ravel()
    if flat.size < 2:
        return 0.0
    if flat.dtype.kind == "f" and flat.size <= SMALL and len(set(flat.tolist())) == flat.size \
            and not np.isnan(flat).any():  # NaNs are distinct in a set, one value for np.unique
        return _distinct_bits(flat.size)
    _, counts = np.unique(flat, return_counts=True)
    return _bits(counts, flat.size)


SMALL = 128  # a set finds a small float array's values all distinct (the common case) quicker


@cache
def _distinct_bits(size: int) -> float:
    """The bits of ``size`` distinct values: as ``array_bits`` computes them, once per size."""
    return _bits(np.ones(size, dtype=np.intp), size)


def _bits(counts: np.ndarray, size: int) -> float:
    p = counts / size
    return float(size * -np.sum(p * np.log2(p)))


def output_bits(outputs: Outputs) -> float:
    """The bits of all a case's outputs together (capped at :data:`CAP`)."""
    total = sum(array_bits(a) for a in outputs.values())
    return round(min(CAP, total), 1) if math.isfinite(total) else 0.0
