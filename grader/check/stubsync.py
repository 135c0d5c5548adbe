"""Is ``exercises/<id>.py`` the stub, an older stub, or a student's work?

``selftest`` and ``stubs --write`` ask before they call a file out of date or
rewrite it: a file in which a function the stub leaves to the student
(``raise NotImplementedError``) has a body holds work, and nothing here ever
suggests overwriting it.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path


def _todo(tree: ast.Module) -> dict[str, bool]:
    """Function name -> whether its body (after the docstring) only raises NotImplementedError."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant) else node.body
            out[node.name] = any(isinstance(s, ast.Raise) and "NotImplementedError" in ast.unparse(s)
                                 for s in body)
    return out


def written(text: str, stub: str) -> list[str]:
    """The functions the stub leaves to the student that ``text`` fills in.

    All of them if ``text`` does not parse: someone is editing it.
    """
    left = [name for name, todo in _todo(ast.parse(stub)).items() if todo]
    try:
        mine = _todo(ast.parse(text))
    except (SyntaxError, ValueError):
        return left
    return [name for name in left if not mine.get(name, True)]


def changed_lines(text: str, stub: str, most: int = 4) -> str:
    """Where ``text`` differs from the stub, as its own line numbers: "lines 40-52, 77"."""
    spans = []
    matcher = difflib.SequenceMatcher(None, stub.splitlines(), text.splitlines(), autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        spans.append(f"{j1 + 1}" if j2 - j1 <= 1 else f"{j1 + 1}-{j2}")
    more = f" (+{len(spans) - most} more)" if len(spans) > most else ""
    return ("line " if len(spans) == 1 else "lines ") + ", ".join(spans[:most]) + more


def sync_detail(path: Path, stub: str) -> tuple[bool, str]:
    """(ok, what to tell the instructor) about ``path`` against the current stub text."""
    if not path.is_file():
        return False, f"{path} is missing: 'dlgrade stubs --write' creates it"
    text = path.read_text(encoding="utf-8", errors="replace")
    if text == stub:
        return True, "matches the stripped reference"
    work = written(text, stub)
    where = changed_lines(text, stub)
    if work:
        return True, (f"not compared: {path} holds work ({', '.join(f'{f}()' for f in work)} written; "
                      f"differs at {where}); selftest leaves it as it is. Compare with a fresh stub: "
                      f"'dlgrade stubs --write --out stubs.new', then diff stubs.new/{path.name} {path}")
    return False, (f"{path} is an older stub (differs at {where}; no function written in it): "
                   "'dlgrade stubs --write' regenerates it")
