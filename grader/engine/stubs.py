"""Turn a reference solution into a student stub.

Lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (the markers
nbgrader and otter-grader use) become one ``raise NotImplementedError``.
"""

from __future__ import annotations

import re

BEGIN = re.compile(r"^(\s*)#+\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*#+\s*END SOLUTION\s*$")
DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")


class MarkerError(ValueError):
    """Unbalanced solution markers."""


def strip_solutions(source: str) -> str:
    """The student stub of ``source``: each solution block becomes ``raise NotImplementedError``.

    Raises:
        MarkerError: The BEGIN/END SOLUTION markers are unbalanced.
    """
    out: list[str] = []
    inside = False
    func = "this function"
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        if m := DEF.match(line):
            func = m.group(1)
        if m := BEGIN.match(line):
            if inside:
                raise MarkerError(f"line {number}: BEGIN SOLUTION inside another solution")
            inside = True
            out.append(f'{m.group(1)}raise NotImplementedError("{func}: write your code here")\n')
        elif END.match(line):
            if not inside:
                raise MarkerError(f"line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError("BEGIN SOLUTION is never closed by END SOLUTION")
    return "".join(out)
