"""Benchmark: the sandbox's cost per case in this checkout against another one (e.g. an
earlier commit), interleaved, as a ratio (the machine is shared and noisy).

Each checkout gets a worker process (its own ``grader`` on ``sys.path``) holding a
started sandbox at one level; the workers take turns running a batch of knn cases
(the reference submission, the public cases in turn), so both see the same load.

Usage: ``python bench/bench_versions.py --other /path/to/old/checkout [--levels bwrap,process]
[--rounds 20] [--batch 10]``. Make the other checkout with
``git worktree add --detach /tmp/old <commit>``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r'''
import json, sys, time
import numpy as np
from grader.engine import registry
from grader.sandbox.runner import Sandbox

knn = registry.load("knn")
source = open("solutions/knn.py").read()
calls = [c.build(np.random.default_rng(c.seed)) for c in knn.public]
box = Sandbox(level=sys.argv[1]).start()
box.run(source, "knn.py", "knn", calls[0], 5)  # warm up
print("ready", flush=True)
n = 0
for line in sys.stdin:
    times = []
    for _ in range(int(line)):
        start = time.perf_counter()
        out = box.run(source, "knn.py", "knn", calls[n % len(calls)], 5)
        times.append(time.perf_counter() - start)
        assert out.status == "ok", out
        n += 1
    print(json.dumps(times), flush=True)
box.close()
'''


def _worker(tree: Path, level: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DLGRADE_SANDBOX"} | {"PYTHONPATH": str(tree)}
    proc = subprocess.Popen([sys.executable, "-c", WORKER, level], cwd=tree, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def _batch(proc: subprocess.Popen[str], size: int) -> list[float]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{size}\n")
    proc.stdin.flush()
    times: list[float] = json.loads(proc.stdout.readline())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--levels", default="bwrap,process")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    print("| level | other, median ms/case | this, median ms/case | this / other |")
    print("|---|---:|---:|---:|")
    for level in args.levels.split(","):
        workers = {"other": _worker(args.other.resolve(), level), "this": _worker(ROOT, level)}
        samples: dict[str, list[float]] = {name: [] for name in workers}
        try:
            for i in range(args.rounds):
                order = list(workers) if i % 2 == 0 else list(reversed(workers))
                for name in order:
                    samples[name] += _batch(workers[name], args.batch)
        finally:
            for proc in workers.values():
                assert proc.stdin is not None
                proc.stdin.close()
                proc.wait()
        other, this = (statistics.median(samples[n]) for n in ("other", "this"))
        print(f"| {level} | {other * 1000:.2f} | {this * 1000:.2f} | {this / other:.2f} |")


if __name__ == "__main__":
    main()
