"""Stubs are the references with their solution regions stripped."""

from __future__ import annotations

import pytest

from grader.engine import registry
from grader.engine.stubs import MarkerError, strip_solutions
from tests.support.helpers import ROOT, reference_text


def test_strip_replaces_each_region_with_one_raise() -> None:
    src = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    y = 1\n    # BEGIN SOLUTION\n    y = x * 2\n"
           "    # END SOLUTION\n    return y\n")
    out = strip_solutions(src)
    assert "x * 2" not in out and "SOLUTION" not in out
    assert '    raise NotImplementedError("f: write your code here")\n' in out
    assert out.startswith('def f(x):\n    """Doc."""\n    y = 1\n') and out.endswith("    return y\n")


@pytest.mark.parametrize("bad", [
    "# BEGIN SOLUTION\nx = 1\n",
    "x = 1\n# END SOLUTION\n",
    "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n",
])
def test_unbalanced_markers_are_refused(bad: str) -> None:
    with pytest.raises(MarkerError):
        strip_solutions(bad)


@pytest.mark.parametrize("exercise", registry.available())
def test_committed_stub_is_the_stripped_reference(exercise: str) -> None:
    stub = (ROOT / "exercises" / f"{exercise}.py").read_text(encoding="utf-8")
    assert stub == strip_solutions(reference_text(exercise)), "run 'dlgrade stubs --write'"
    assert "BEGIN SOLUTION" not in stub
    compile(stub, f"{exercise}.py", "exec")
