"""Mutants of a reference solution: one small bug planted in a solution region.

Only code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` is mutated:
that is what students write. Each mutant changes one node (see
``grader.authoring.operators``); its source is the reference with only that
node's text replaced, so comments and layout survive and the unified diff
shows exactly the bug. A rewrite whose text does not parse back to the
intended tree is retried in parentheses, then skipped; mutants that do not
compile or repeat an earlier one are dropped.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from grader.authoring.operators import OPERATORS, Context
from grader.engine.stubs import BEGIN, END, MarkerError


@dataclass(frozen=True)
class Mutant:
    """One mutant of a module.

    Attributes:
        id: short stable name, e.g. ``"m007"`` (position in generation order).
        operator: which operator made it (a key of ``OPERATORS``).
        line: first line of the changed code in the reference.
        statement: first and last line of the statement it sits in (a compound
            statement's header only): where a case must run to reach it.
        description: what changed, in words.
        source: the whole mutated module.
        diff: unified diff from the reference to ``source``.
    """

    id: str
    operator: str
    line: int
    statement: tuple[int, int]
    description: str
    source: str
    diff: str


def solution_regions(source: str) -> list[tuple[int, int]]:
    """Line numbers ``(begin, end)`` of each pair of solution markers (1-based).

    Raises:
        MarkerError: a marker is unbalanced.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate(source.splitlines(), 1):
        if BEGIN.match(line):
            if start is not None:
                raise MarkerError(f"line {number}: BEGIN SOLUTION inside another solution")
            start = number
        elif END.match(line):
            if start is None:
                raise MarkerError(f"line {number}: END SOLUTION without BEGIN SOLUTION")
            regions.append((start, number))
            start = None
    if start is not None:
        raise MarkerError("BEGIN SOLUTION is never closed by END SOLUTION")
    return regions


def _inside(node: ast.AST, regions: list[tuple[int, int]]) -> bool:
    lo, hi = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    return lo is not None and hi is not None and any(b < lo and hi < e for b, e in regions)


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    """id(child) -> (parent, field, index in the field's list or None)."""
    found: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, ast.AST):
                found[id(value)] = (parent, field, None)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        found[id(item)] = (parent, field, i)
    return found


COMPOUND = (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef)


def _statement(node: ast.AST, parents: dict[int, tuple[ast.AST, str, int | None]]) -> tuple[int, int]:
    """Lines of the statement holding ``node`` (the header line of a compound statement)."""
    while not isinstance(node, ast.stmt) and id(node) in parents:
        node = parents[id(node)][0]
    start = getattr(node, "lineno", 1)
    if isinstance(node, COMPOUND):
        return start, start
    return start, getattr(node, "end_lineno", start) or start


def _stores(func: ast.FunctionDef) -> list[tuple[int, str]]:
    """(line, name) of every name the function binds, its parameters at the def line."""
    out = [(func.lineno, a.arg) for a in (*func.args.posonlyargs, *func.args.args,
                                          *func.args.kwonlyargs)]
    out += [(n.lineno, n.id) for n in ast.walk(func)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return out


class _Splicer:
    """Replaces one node's source text and checks the result parses to the intended tree."""

    def __init__(self, source: str, tree: ast.Module) -> None:
        self.source = source
        self.data = source.encode("utf-8")
        self.tree = tree
        self.parents = _parents(tree)
        starts = [0]
        for line in self.data.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        self.starts = starts

    def _swap(self, target: ast.AST, new: ast.AST) -> None:
        parent, field, index = self.parents[id(target)]
        if index is None:
            setattr(parent, field, new)
        else:
            getattr(parent, field)[index] = new

    def splice(self, target: ast.AST, new: ast.AST) -> str | None:
        if id(target) not in self.parents:
            return None
        self._swap(target, new)
        try:
            intended = ast.dump(self.tree)
        finally:
            self._swap_back(target, new)
        begin = self.starts[target.lineno - 1] + target.col_offset  # type: ignore[attr-defined]
        end = self.starts[target.end_lineno - 1] + target.end_col_offset  # type: ignore[attr-defined]
        text = ast.unparse(new)
        kept = self._as_written(target, text)
        for candidate in dict.fromkeys((kept, f"({kept})", text, f"({text})")):
            mutated = (self.data[:begin] + candidate.encode("utf-8") + self.data[end:]).decode("utf-8")
            try:
                if ast.dump(ast.parse(mutated)) == intended:
                    return mutated
            except SyntaxError:
                continue
        return None

    def _as_written(self, target: ast.AST, text: str) -> str:
        """The replacement ``text`` with the unchanged parts spelled as in the source.

        Quotes and spacing stay as written, so the diff shows only the bug; the
        caller checks that the result still parses to the intended tree.
        """
        for node in ast.walk(target):
            segment = ast.get_source_segment(self.source, node)
            if segment is None or "\n" in segment:
                continue
            plain = ast.unparse(node)
            if plain != segment and plain in text:
                text = text.replace(plain, segment)
        return text

    def _swap_back(self, target: ast.AST, new: ast.AST) -> None:
        parent, field, index = self.parents[id(target)]
        current = getattr(parent, field) if index is None else getattr(parent, field)[index]
        if current is new:
            if index is None:
                setattr(parent, field, target)
            else:
                getattr(parent, field)[index] = target


def _candidates(tree: ast.Module, regions: list[tuple[int, int]], operators: Iterable[str]
                ) -> Iterator[tuple[str, ast.AST, ast.AST, str]]:
    parents = _parents(tree)
    funcs = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)]
    stores = {id(f): _stores(f) for f in funcs}
    nodes = sorted((n for n in ast.walk(tree) if _inside(n, regions)),
                   key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]
    for node in nodes:
        line = node.lineno  # type: ignore[attr-defined]
        owner = [f for f in funcs if f.lineno <= line <= (f.end_lineno or line)]
        bound = frozenset(name for at, name in stores[id(owner[-1])] if at < line) if owner else frozenset()
        ctx = Context(parent=parents.get(id(node), (None, "", None))[0], bound_before=bound)
        for name in operators:
            for target, new, what in OPERATORS[name](node, ctx):
                yield name, target, new, what


def generate(source: str, filename: str = "reference.py",
             operators: Iterable[str] = tuple(OPERATORS)) -> list[Mutant]:
    """Every first-order mutant of the solution regions of ``source``.

    Args:
        source: a reference module with ``# BEGIN SOLUTION`` / ``# END SOLUTION`` regions.
        filename: the name used in the diffs' headers.
        operators: which operators to apply (default: all, in ``OPERATORS`` order).

    Returns:
        Mutants in source order; none if the module has no solution region.
    """
    names = list(operators)
    unknown = [n for n in names if n not in OPERATORS]
    if unknown:
        raise ValueError(f"unknown mutation operator {unknown[0]!r}; known: {', '.join(OPERATORS)}")
    tree = ast.parse(source)
    regions = solution_regions(source)
    splicer = _Splicer(source, tree)
    seen = {source}
    mutants: list[Mutant] = []
    original = source.splitlines(keepends=True)
    for name, target, new, what in list(_candidates(tree, regions, names)):
        mutated = splicer.splice(target, new)
        if mutated is None or mutated in seen:
            continue
        try:
            compile(mutated, filename, "exec")
        except (SyntaxError, ValueError):
            continue
        seen.add(mutated)
        line = target.lineno  # type: ignore[attr-defined]
        diff = "".join(difflib.unified_diff(original, mutated.splitlines(keepends=True),
                                            f"a/{filename}", f"b/{filename}", n=1))
        mutants.append(Mutant(id=f"m{len(mutants) + 1:03d}", operator=name, line=line,
                              statement=_statement(target, splicer.parents),
                              description=f"line {line}: {what}", source=mutated, diff=diff))
    return mutants
