"""Hostile-looking source (``grade.suspicious.source_warnings``): what it flags, and that the
quick scan of a file's words, which spares parsing most files, never hides a warning the full
parse finds (identifiers Python normalises, NFKC, included)."""

from __future__ import annotations

import pytest

from bench.synth import kinds
from grader.engine import registry
from grader.grade.suspicious import _may_warn, _scan, source_warnings

FLAGGED = [
    ("import os\n", ["imports os"]),
    ("import os.path as p\nfrom sys import argv\n", ["imports os.path", "imports sys"]),
    ("import ｏｓ\n", ["imports os"]),  # fullwidth letters: Python imports os
    ("ｏｐｅｎ('/etc/passwd')\n", ["calls open()"]),
    ("x = ().__class__.__bases__\n", ["uses __bases__", "uses __class__"]),
    ("x.__a近b__\n", ["uses __a近b__"]),  # a dunder with letters that are not ASCII
    ("x.___\n", ["uses ___"]),
    ("from __future__ import annotations\ny = x.__dict__\n", ["uses __dict__"]),
    ("__import__('subprocess')\n", ["calls __import__()"]),
    ("def f(x):\n    return getattr(x, 'y')\n", ["calls getattr()"]),
]
CLEAN = [
    "import numpy as np\n",
    "from __future__ import annotations\n\nimport numpy as np\n",
    "class A:\n    def __init__(self):\n        self.n = __name__\n",
    '"""近邻算法: the os of the notes."""\nx = 1\n',  # risky words in a docstring: parsed, nothing found
    "def oops(:\n    import os\n",  # a syntax error: nothing to report
]


@pytest.mark.parametrize(("text", "found"), FLAGGED)
def test_flagged_sources(text: str, found: list[str]) -> None:
    assert source_warnings(text) == found
    assert _may_warn(text)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_sources(text: str) -> None:
    assert source_warnings(text) == []


def test_the_scan_spares_clean_files_and_agrees_with_the_parse() -> None:
    texts = [t for _, files in kinds(list(registry.available())) for t in files.values() if t]
    if not any(registry.reference(e) for e in registry.available()):
        pytest.skip("the reference solutions are not installed")
    spared = [t for t in texts if not _may_warn(t)]
    assert len(spared) > len(texts) // 2  # the reference and its mistakes are not parsed
    assert all(_scan(t) == [] for t in spared)
    assert all(source_warnings(t) == _scan(t) for t in texts)
    assert any(source_warnings(t) for t in texts)  # the synthetic hostile ones are flagged
