"""The floor plan of grader/: rooms whose imports point down, no cycles, small modules.

Every import is read from the source with ``ast``, function-level imports
included, so a cycle hidden inside a function body is found too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import ROOT

GRADER = ROOT / "grader"
# Each room may import only rooms of a lower rank (and itself). Base modules are rank 0.
RANK = {
    "frozen": -2,  # @frozen, the frozen dataclasses the records (and the check path's classes) are
    "records": -1,  # plain result dataclasses, below the pydantic models that validate them
    "errors": 0, "models": 0, "__init__": 0,
    "sandbox": 1, "submission": 1,
    "engine": 2,
    "suites": 3, "api": 3, "progress": 3, "quiz": 4, "render": 4,
    "check": 5,
    "grade": 6, "platforms": 6,
    "assign": 7, "authoring": 7,
    "cli": 8, "__main__": 9,
}
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for path in GRADER.rglob("*.py"):
        if path.is_relative_to(GRADER / "data"):  # package data (the stubs dlgrade init writes), not code
            continue
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path, name: str) -> set[str]:
    """The grader modules ``name`` imports anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(path, name) for name, path in MODULES.items()}


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_room_is_ranked() -> None:
    assert {_room(m) for m in MODULES} <= set(RANK)


def test_imports_point_down() -> None:
    wrong = [(a, b) for a, deps in GRAPH.items() for b in deps
             if _room(a) != _room(b) and RANK[_room(b)] >= RANK[_room(a)]]
    assert not wrong, wrong


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, stack: list[str]) -> bool:
        state[node] = 1
        for dep in sorted(GRAPH[node]):
            if state.get(dep) == 1:
                cycle.extend([*stack[stack.index(dep):], node, dep] if dep in stack else [node, dep])
                return True
            if state.get(dep) is None and visit(dep, [*stack, node]):
                return True
        state[node] = 2
        return False

    for module in sorted(GRAPH):
        if state.get(module) is None and visit(module, []):
            break
    assert not cycle, " -> ".join(cycle)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_small(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_each_room_says_what_it_does_and_may_import() -> None:
    for room in (p for p in GRADER.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((room / "__init__.py").read_text(encoding="utf-8")))
        assert doc, room.name
        assert "import" in doc.lower(), f"{room.name}: say what the room may import"


def test_a_cycle_is_detected() -> None:
    """The checker itself: a made-up two-module cycle is reported."""
    saved = dict(GRAPH)
    try:
        GRAPH["grader.errors"] = {"grader.models"}
        GRAPH["grader.models"] = {"grader.errors"}
        with pytest.raises(AssertionError, match=r"grader\.errors|grader\.models"):
            test_no_import_cycle()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
