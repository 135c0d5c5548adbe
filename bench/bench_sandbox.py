"""Benchmark: what sandbox hardening costs, per case and per `dlgrade check`.

Measured in one run, interleaved, as ratios (the machine is shared and noisy):

- per case: one knn case run in an already started sandbox, at each level
  (``plain`` is the unhardened baseline);
- end to end: `dlgrade check knn` with ``DLGRADE_SANDBOX=<level>``, against the
  floor `python -c "import numpy"`.

Usage: ``python bench/bench_sandbox.py [--repeat 7] [--cases 60]``. The lead's
``bench/bench_check.py`` runs with hardening off as ``DLGRADE_SANDBOX=plain
python bench/bench_check.py``. Prints Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from timing import ROOT, print_floor_table, timed  # bench/ is on the path as a script

from grader.engine import registry
from grader.sandbox.isolation import candidates
from grader.sandbox.runner import Sandbox


def per_case(levels: list[str], cases: int) -> dict[str, float]:
    """Median seconds for one knn case in a running sandbox, per level, interleaved."""
    knn = registry.load("knn")
    source = (ROOT / "solutions" / "knn.py").read_text()
    calls = [c.build(np.random.default_rng(c.seed)) for c in knn.public]
    boxes = {lv: Sandbox(level=lv).start() for lv in levels}
    times: dict[str, list[float]] = {lv: [] for lv in levels}
    try:
        for i in range(cases + 1):  # the first round warms up
            for lv, box in boxes.items():
                start = time.perf_counter()
                out = box.run(source, "knn.py", "knn", calls[i % len(calls)], 5)
                if i:
                    times[lv].append(time.perf_counter() - start)
                assert out.status == "ok", out
    finally:
        for box in boxes.values():
            box.close()
    return {lv: statistics.median(t) for lv, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cases", type=int, default=60)
    args = parser.parse_args()
    levels = [lv for lv in candidates("auto") if lv != "process"] + ["process", "plain"]
    dlgrade = shutil.which("dlgrade") or str(Path(sys.executable).with_name("dlgrade"))
    check = [dlgrade, "check", "knn", "--submission", "solutions"]
    commands = {"floor: python -c 'import numpy'": ([sys.executable, "-c", "import numpy"], "plain")}
    commands.update({f"check knn, {lv}": (check, lv) for lv in levels})
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(args.repeat + 1):  # the first round warms the file cache
        for name, (cmd, lv) in commands.items():
            took = timed(cmd, {**os.environ, "DLGRADE_SANDBOX": lv})
            if rep:
                samples[name].append(took)
    cases = per_case(levels, args.cases)
    print("| level | median ms per case | x plain |")
    print("|---|---:|---:|")
    for lv, t in cases.items():
        print(f"| `{lv}` | {t * 1000:.1f} | {t / cases['plain']:.2f} |")
    print()
    print_floor_table(samples)


if __name__ == "__main__":
    main()
