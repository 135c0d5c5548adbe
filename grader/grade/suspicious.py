"""Signals an instructor should look at.

Hostile-looking source, and students whose outputs on per-student hidden variants
are identical where that carries information (their inputs differ, so identical
informative outputs mean copied or hard-coded answers; identical labels from a few
classes mean nothing).
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from grader.grade.results import StudentResult

RISKY_MODULES = {"os", "subprocess", "socket", "ctypes", "shutil", "signal", "sys", "multiprocessing",
                 "threading", "importlib", "builtins", "pickle", "urllib", "requests", "http", "pathlib"}
RISKY_CALLS = {"open", "eval", "exec", "compile", "__import__", "globals", "getattr", "setattr"}
MIN_BITS = 32.0  # an identical output counts as evidence from this much information on
MAX_SHARE = 0.1  # ... and only while at most this share of the class gave that very output
MIN_MATCHES = 2  # a group is flagged on at least this many informative matches (different cases)
ALLOWED_DUNDERS = {"__init__", "__name__", "__doc__"}
_RISKY_WORDS = RISKY_MODULES | RISKY_CALLS
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUTURE = re.compile(r"\bfrom\s+__future__\b")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)  # bounded: a file may hold any number of distinct characters
def _folded(char: str) -> str:
    """A character as it can take part in an identifier: its NFKC form when ASCII, else a letter."""
    form = unicodedata.normalize("NFKC", char)
    return form if form.isascii() else "x"


def _may_warn(text: str) -> bool:
    """False only when no node of the source can give a warning: then it is not parsed.

    Parsing costs about a millisecond per file, a scan of its words a tenth of that. Python
    reads an identifier in its NFKC form (``ｏｓ`` is ``os``), so each character that is not
    ASCII is first folded to its NFKC form where that is ASCII, else to a letter (joining, never
    splitting, words: ``__a近b__`` stays one dunder). Then no risky name among the words, and
    no dunder other than the allowed ones and those of ``from __future__``, means no warning.
    """
    if not text.isascii():
        text = _NOT_ASCII.sub(lambda m: _folded(m.group()), text)
    words = set(_WORD.findall(text))
    if words & _RISKY_WORDS:
        return True
    dunders = {w for w in words if w.startswith("__") and w.endswith("__")} - ALLOWED_DUNDERS
    if dunders - {"__future__"}:
        return True
    return bool(dunders) and text.count("__future__") != len(_FUTURE.findall(text))


def source_warnings(text: str) -> list[str]:
    """What in a submission's source reaches outside the exercise (imports, eval, files)."""
    return _scan(text) if _may_warn(text) else []


def _scan(text: str) -> list[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found |= {f"imports {n}" for n in names if n.split(".")[0] in RISKY_MODULES}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in RISKY_CALLS:
            found.add(f"calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("__") and node.attr.endswith("__") \
                and node.attr not in ALLOWED_DUNDERS:
            found.add(f"uses {node.attr}")
    return sorted(found)


@dataclass(frozen=True)
class Match:
    """One case on which a group of students has byte-identical outputs."""

    case: str  # "exercise/case"
    bits: float  # information the identical output carries (grader.engine.information)
    holders: int  # how many students of the class gave this very output
    answered: int  # how many students gave any output on this case
    class_bits: float  # entropy of the class's answers on this case


@dataclass(frozen=True)
class SharedOutputs:
    """Students who share several high-information outputs on per-student variants."""

    students: tuple[str, ...]
    matches: tuple[Match, ...]  # the evidence, most informative first

    @property
    def cases(self) -> tuple[str, ...]:
        """The matched cases, as "exercise/case"."""
        return tuple(m.case for m in self.matches)

    @property
    def bits(self) -> float:
        """The evidence in all: the bits of every match."""
        return round(sum(m.bits for m in self.matches), 1)


def _entropy(counts: list[int]) -> float:
    total = sum(counts)
    return -sum(n / total * math.log2(n / total) for n in counts) if total else 0.0


def identical_hidden_outputs(results: list[StudentResult]) -> list[SharedOutputs]:
    """Groups of students with identical informative outputs on per-student cases, with evidence.

    A match counts only when the output carries at least :data:`MIN_BITS` bits (a vector
    of labels from a few classes, or all-equal labels, does not) and few students of the
    class gave it (at most :data:`MAX_SHARE` of those who answered, or a pair: a common
    answer is a common bug, not a copy). A group is flagged on at least
    :data:`MIN_MATCHES` such matches on different cases, whose inputs differ per student
    and so are independent. Only meaningful when hidden inputs are derived per student
    (a secret); callers decide that.
    """
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    bits: dict[tuple[str, str], float] = {}
    for r in results:
        for ex in r.exercises:
            for case in ex.cases:
                if case.visibility == "hidden" and case.output_digest:
                    key = (f"{ex.exercise}/{case.name}", case.output_digest)
                    holders[key].append(r.student.id)
                    bits[key] = case.output_bits
    answers: dict[str, list[int]] = defaultdict(list)
    for (where, _), ids in holders.items():
        answers[where].append(len(ids))
    groups: dict[tuple[str, ...], list[Match]] = defaultdict(list)
    for (where, digest), ids in holders.items():
        answered = sum(answers[where])
        rare = len(ids) <= max(2.0, MAX_SHARE * answered)
        weight = bits[(where, digest)]
        if len(ids) > 1 and rare and weight >= MIN_BITS:
            entropy = round(_entropy(answers[where]), 2)
            groups[tuple(sorted(ids))].append(Match(where, weight, len(ids), answered, entropy))
    return sorted((SharedOutputs(ids, tuple(sorted(ms, key=lambda m: (-m.bits, m.case))))
                   for ids, ms in groups.items() if len(ms) >= MIN_MATCHES),
                  key=lambda s: (-s.bits, s.students))
