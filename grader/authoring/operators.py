"""Mutation operators: each turns one AST node into small, plausible bugs.

An operator is a function ``(node, context) -> [(target, replacement, what)]``:
``target`` is the node whose source text is replaced by the unparsed
``replacement``; ``what`` says in words what changed. Only first-order
mutants: one rewrite per mutant.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

Rewrite = tuple[ast.AST, ast.AST, str]
N = TypeVar("N", bound=ast.AST)

SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@"}
REDUCTIONS = frozenset({"sum", "mean", "max", "min", "var", "std", "prod"})


@dataclass(frozen=True)
class Context:
    """What an operator may need to know about a node's surroundings."""

    parent: ast.AST | None
    bound_before: frozenset[str]  # names assigned earlier in the same function


def _c(node: N) -> N:
    return copy.deepcopy(node)


def _src(node: ast.AST) -> str:
    return ast.unparse(node)


def _int(node: ast.AST | None) -> int | None:
    """The value of an integer literal (``-1`` included), else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int(node.operand)
        return None if inner is None else -inner
    return None


def _shift(node: ast.expr, by: int) -> ast.expr:
    value = _int(node)
    if value is not None:
        return ast.Constant(value + by)
    op: ast.operator = ast.Add() if by > 0 else ast.Sub()
    return ast.BinOp(_c(node), op, ast.Constant(abs(by)))


def swap_operator(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """``+`` and ``-`` swapped, ``*`` and ``/`` swapped (also in ``+=``)."""
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in SWAPS:
        new = _c(node)
        new.op = SWAPS[type(node.op)]()
        return [(node, new, f"'{SYMBOL[type(node.op)]}' became '{SYMBOL[type(new.op)]}'")]
    return []


def slice_bound(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """Off by one: a slice starts one later or stops one earlier; ``range`` stops one earlier."""
    out: list[Rewrite] = []
    if isinstance(node, ast.Slice) and node.step is None:
        if node.lower is not None:
            new = _c(node)
            new.lower = _shift(node.lower, 1)
            out.append((node, new, f"slice start {_src(node.lower)} became {_src(new.lower)}"))
        if node.upper is not None:
            new = _c(node)
            new.upper = _shift(node.upper, -1)
            out.append((node, new, f"slice stop {_src(node.upper)} became {_src(new.upper)}"))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"
            and 1 <= len(node.args) <= 2 and not node.keywords):
        call = _c(node)
        stop = node.args[-1]
        call.args[-1] = _shift(stop, -1)
        out.append((node, call, f"range stop {_src(stop)} became {_src(call.args[-1])}"))
    return out


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def axis(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """The wrong axis: ``axis=0`` becomes 1, any other axis becomes 0."""
    if not isinstance(node, ast.Call) or (kw := _keyword(node, "axis")) is None:
        return []
    value = _int(kw.value)
    if value is None:
        return []
    wrong = 1 if value == 0 else 0
    new = _c(node)
    next(k for k in new.keywords if k.arg == "axis").value = ast.Constant(wrong)
    return [(node, new, f"axis={value} became axis={wrong}")]


def keepdims(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """``keepdims`` flipped: dropped where it was True, added to a reduction along an axis."""
    if not isinstance(node, ast.Call):
        return []
    kw = _keyword(node, "keepdims")
    new = _c(node)
    if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is True:
        new.keywords = [k for k in new.keywords if k.arg != "keepdims"]
        return [(node, new, "keepdims=True dropped")]
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if kw is None and name in REDUCTIONS and _keyword(node, "axis") is not None:
        new.keywords.append(ast.keyword("keepdims", ast.Constant(True)))
        return [(node, new, "keepdims=True added")]
    return []


def _is_dot(node: ast.AST) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "dot"


def transpose(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """A transpose inserted on an operand of ``@`` / ``dot``, or an existing ``.T`` dropped."""
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return [(node, _c(node.value), f"'{_src(node)}' became '{_src(node.value)}'")]
    operands: list[ast.expr] = []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        operands = [node.left, node.right]
    elif isinstance(node, ast.Call) and _is_dot(node):
        operands = list(node.args)
    return [(o, ast.Attribute(_c(o), "T", ast.Load()), f"'{_src(o)}' became '{_src(o)}.T'")
            for o in operands if not (isinstance(o, ast.Attribute) and o.attr == "T")]


def drop_term(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """A term of a sum dropped: ``a + b`` becomes ``a`` or ``b``; ``a - b`` becomes ``a`` or ``-b``."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)):
        return []
    right: ast.expr = _c(node.right)
    if isinstance(node.op, ast.Sub):
        right = ast.UnaryOp(ast.USub(), right)
    return [(node, _c(node.left), f"'{_src(node)}' lost its term '{_src(node.right)}'"),
            (node, right, f"'{_src(node)}' lost its term '{_src(node.left)}'")]


NOT_NUMBERS = (ast.Tuple, ast.List, ast.Dict, ast.Compare, ast.BoolOp, ast.JoinedStr)


def sign_flip(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """A sign flipped: ``-x`` becomes ``x``; an assigned value ``v`` becomes ``-v``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return [(node, _c(node.operand), f"'{_src(node)}' lost its minus sign")]
    if isinstance(node, ast.Assign | ast.AugAssign) and not isinstance(node.value, NOT_NUMBERS):
        if isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name | ast.Subscript)
                                                    for t in node.targets):
            return []
        if isinstance(node.value, ast.Constant) and not isinstance(node.value.value, int | float):
            return []
        flipped = ast.UnaryOp(ast.USub(), _c(node.value))
        return [(node.value, flipped, f"'{_src(node.value)}' became '{_src(flipped)}'")]
    return []


def augassign(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """``x += v`` becomes ``x = v``; ``x = v`` becomes ``x += v`` where x already holds a value."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
        new = ast.Assign([_c(node.target)], _c(node.value), lineno=0)
        return [(node, new, "'+=' became '='")]
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and not isinstance(node.value, NOT_NUMBERS):
        target = node.targets[0]
        if isinstance(target, ast.Subscript) or (isinstance(target, ast.Name)
                                                  and target.id in ctx.bound_before):
            new_aug = ast.AugAssign(_c(target), ast.Add(), _c(node.value))
            return [(node, new_aug, "'=' became '+='")]
    return []


def constant(node: ast.AST, ctx: Context) -> list[Rewrite]:
    """A wrong number: an integer one larger, a float doubled (0.0 becomes 1.0)."""
    if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
        return []
    if isinstance(ctx.parent, ast.keyword) and ctx.parent.arg in ("axis", "keepdims"):
        return []  # the axis operator's
    if isinstance(ctx.parent, ast.Slice):
        return []  # the slice_bound operator's
    value = node.value
    assert isinstance(value, int | float)
    wrong = value + 1 if type(value) is int else (value * 2 if value else 1.0)
    return [(node, ast.Constant(wrong), f"{value!r} became {wrong!r}")]


Operator = Callable[[ast.AST, Context], list[Rewrite]]
OPERATORS: dict[str, Operator] = {
    "swap_operator": swap_operator, "slice_bound": slice_bound, "axis": axis,
    "keepdims": keepdims, "transpose": transpose, "drop_term": drop_term,
    "sign_flip": sign_flip, "augassign": augassign, "constant": constant,
}
