"""Shared by the command-timing benchmarks: time a command, print medians as ratios."""

from __future__ import annotations

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
