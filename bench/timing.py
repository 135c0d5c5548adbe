"""Shared by the command-timing benchmarks: time a command, print medians as ratios."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    """Wall time of one run of ``cmd`` from ``cwd`` (the repository root), output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def compile_checkout(root: Path) -> None:
    """Write the bytecode of a checkout's packages, as an install does.

    With ``PYTHONDONTWRITEBYTECODE`` set (or a read-only tree) a module edited since
    its last ``.pyc`` is compiled again in every timed run, which is not what a student pays.
    """
    for package in ("grader", "solutions", "instructor"):
        if (root / package).is_dir():
            compileall.compile_dir(root / package, quiet=1)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages and the cores: how busy the shared machine was."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {len(os.sched_getaffinity(0))} cores"


def print_floor_table(samples: dict[str, list[float]]) -> None:
    """A Markdown table of medians; the first entry is the floor the others are divided by."""
    floor = statistics.median(next(iter(samples.values())))
    print("| command | median ms | x floor |")
    print("|---|---:|---:|")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"| `{name}` | {med * 1000:.0f} | {med / floor:.2f} |")
