"""Signals an instructor should look at.

Hostile-looking source, and students whose outputs on per-student hidden variants
are identical (their inputs differ, so identical outputs mean copied or hard-coded
answers).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass

from grader.grade.results import StudentResult

RISKY_MODULES = {"os", "subprocess", "socket", "ctypes", "shutil", "signal", "sys", "multiprocessing",
                 "threading", "importlib", "builtins", "pickle", "urllib", "requests", "http", "pathlib"}
RISKY_CALLS = {"open", "eval", "exec", "compile", "__import__", "globals", "getattr", "setattr"}
MIN_SHARED = 2  # identical outputs on at least this many hidden cases


def source_warnings(text: str) -> list[str]:
    """What in a submission's source reaches outside the exercise (imports, eval, files)."""
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
                and node.attr not in ("__init__", "__name__", "__doc__"):
            found.add(f"uses {node.attr}")
    return sorted(found)


@dataclass(frozen=True)
class SharedOutputs:
    """Students with identical outputs on the listed per-student hidden cases."""

    students: tuple[str, ...]
    cases: tuple[str, ...]  # "exercise/case"


def identical_hidden_outputs(results: list[StudentResult]) -> list[SharedOutputs]:
    """Groups of students with the same outputs on per-student hidden cases.

    Only meaningful when hidden inputs are derived per student (a secret);
    callers decide that.
    """
    by_digest: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in results:
        for ex in r.exercises:
            for case in ex.cases:
                if case.visibility == "hidden" and case.output_digest:
                    by_digest[(f"{ex.exercise}/{case.name}", case.output_digest)].append(r.student.id)
    shared: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for (where, _), ids in by_digest.items():
        if len(ids) > 1:
            shared[tuple(sorted(ids))].append(where)
    return sorted((SharedOutputs(ids, tuple(sorted(cases))) for ids, cases in shared.items()
                   if len(cases) >= MIN_SHARED), key=lambda s: (-len(s.cases), s.students))
