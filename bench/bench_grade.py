"""Benchmark of ``dlgrade grade``: submissions per second, per-submission cost
against the single-check floor (``python -c "import numpy"``), and the same
submissions checked one at a time with ``dlgrade check``, all in one run, so
the ratios hold on a loaded machine.

    python -m bench.bench_grade --students 300 --jobs 2 --sample 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import make_class
from grader import registry

DLGRADE = [sys.executable, "-m", "grader"]


def wall(cmd: list[str], **kw: object) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)  # type: ignore[call-overload]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sample", type=int, default=30, help="students checked one at a time")
    parser.add_argument("--hang-every", type=int, default=50, help="one student in N hangs (0: none)")
    args = parser.parse_args()
    exercises = list(registry.available())
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-") as tmp:
        subs = Path(tmp) / "subs"
        made = make_class(subs, args.students, exercises, hang_every=args.hang_every)
        floor = statistics.median(wall([sys.executable, "-c", "import numpy"]) for _ in range(5))
        batch = wall([*DLGRADE, "grade", str(subs), "--out", str(Path(tmp) / "r"), "--jobs", str(args.jobs),
                      "--secret", "bench", "--allow-unisolated"])
        # one at a time: plain folders only (check reads no zips); no hanging ones (they favour grade)
        sample = [sid for sid, label in made.items() if (subs / sid).is_dir() and "loop" not in label]
        sample = sample[:args.sample]
        single = [wall([*DLGRADE, "check", "--all", "--submission", str(subs / sid)]) for sid in sample]
    per_check = statistics.mean(single)
    n = args.students
    rows = [
        ("students x exercises", f"{n} x {len(exercises)}"),
        ("jobs (worker processes)", str(args.jobs)),
        ("hanging submissions (5 s timeout each)", str(sum("loop" in v for v in made.values()))),
        ("floor: python -c 'import numpy'", f"{floor * 1000:.0f} ms"),
        ("dlgrade grade: wall time", f"{batch:.1f} s"),
        ("dlgrade grade: submissions per second", f"{n / batch:.1f}"),
        ("dlgrade grade: core-seconds per submission", f"{batch * args.jobs / n * 1000:.0f} ms "
                                                        f"({batch * args.jobs / n / floor:.1f}x floor)"),
        (f"dlgrade check, one at a time (mean of {len(sample)})", f"{per_check * 1000:.0f} ms "
                                                               f"({per_check / floor:.1f}x floor)"),
        ("dlgrade check: estimated wall for the class",
         f"{per_check * n:.1f} s sequential, {per_check * n / args.jobs:.1f} s on {args.jobs} cores"),
        ("batching speed-up (check on all cores / grade)", f"{per_check * n / args.jobs / batch:.1f}x"),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
