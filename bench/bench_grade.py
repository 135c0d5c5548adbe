"""Benchmark of ``dlgrade grade``: submissions per second, per-submission cost
against the single-check floor (``python -c "import numpy"``), and the same
submissions checked one at a time with ``dlgrade check --all`` on the same
number of parallel processes.

The machine is shared, so its load changes during a run: the class is graded
in chunks, and after each chunk a sample of that chunk's students is checked
one at a time, so both measurements see the same load and their ratio holds.

    python -m bench.bench_grade --students 300 --jobs 2 --sample 40
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.synth import make_class
from bench.timing import load_average
from grader.engine import registry
from grader.grade.batch import default_jobs

DLGRADE = [sys.executable, "-m", "grader"]


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its direct children (the grader's workers), in MB.

    The sandboxes are the workers' children (under bwrap), so they are not counted.
    """
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for p in [str(pid), *kids]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)
    return total / 1024


def watched(cmd: list[str]) -> tuple[float, list[float]]:
    """Wall time of ``cmd`` and the grader's memory sampled every 0.2 s while it runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    while proc.poll() is None:
        samples.append(_rss_mb(proc.pid))
        time.sleep(0.2)
    return time.perf_counter() - start, [s for s in samples if s > 0]


def parallel_wall(cmds: list[list[str]], jobs: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(wall, cmds))
    return time.perf_counter() - start


def _scored(gradebook: Path) -> int:
    """Students of a gradebook with a total above zero (0 if grading failed)."""
    if not gradebook.is_file():
        return 0
    with gradebook.open(newline="", encoding="utf-8") as fh:
        return sum(1 for row in csv.DictReader(fh) if float(row.get("total") or 0) > 0)


def _isolation() -> str:
    from grader.sandbox.runner import Sandbox

    box = Sandbox().start()
    try:
        return str(getattr(box, "isolation", "?"))
    finally:
        box.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="as dlgrade grade's default")
    parser.add_argument("--sample", type=int, default=40, help="students checked one at a time")
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--hang-every", type=int, default=50, help="one student in N hangs (0: none)")
    args = parser.parse_args()
    exercises = list(registry.available())
    load_before = load_average()
    os.environ["DLGRADE_SECRET"] = "bench-course-secret"  # per-student hidden inputs, as for credit
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-") as tmp:
        subs = Path(tmp) / "subs"
        made = make_class(subs, args.students, exercises, hang_every=args.hang_every)
        ids = sorted(made)
        floors: list[float] = []
        grade_total, check_walls, checked, scored = 0.0, [], 0, 0
        early: list[float] = []
        late: list[float] = []
        size = -(-len(ids) // args.chunks)
        for n in range(args.chunks):
            chunk = ids[n * size:(n + 1) * size]
            folder = Path(tmp) / f"chunk{n}"
            folder.mkdir()
            for sid in chunk:  # copies: a link is not a submission (it would be graded bad_source)
                entry = next(subs.glob(f"{sid}*"))
                if entry.is_dir():
                    shutil.copytree(entry, folder / entry.name)
                else:
                    shutil.copy2(entry, folder / entry.name)
            floors += [wall([sys.executable, "-c", "import numpy"]) for _ in range(3)]
            took, samples = watched([*DLGRADE, "grade", str(folder), "--out", str(Path(tmp) / f"r{n}"),
                                     "--jobs", str(args.jobs), "--allow-unisolated"])
            grade_total += took
            quarter = len(samples) // 4  # the grader's memory a quarter into the run, and at its end
            early.append(max(samples[quarter:2 * quarter] or samples))
            late.append(max(samples[3 * quarter:] or samples))
            scored += _scored(Path(tmp) / f"r{n}" / "gradebook.csv")
            # check reads no zips; hanging ones are left out (they would favour grade)
            sample = [s for s in chunk if (subs / s).is_dir() and "loop" not in made[s]]
            sample = sample[:: max(1, len(sample) * args.chunks // args.sample)][:args.sample // args.chunks]
            cmds = [[*DLGRADE, "check", "--all", "--submission", str(subs / s)] for s in sample]
            check_walls.append(parallel_wall(cmds, args.jobs))
            checked += len(cmds)
    floor = statistics.median(floors)  # measured in every chunk: the load changes
    n = args.students
    per_check = sum(check_walls) / checked  # wall per student with `jobs` checks at a time
    rows = [
        ("students x exercises", f"{n} x {len(exercises)}"),
        ("worker processes (--jobs) / cores", f"{args.jobs} / {len(os.sched_getaffinity(0))}"),
        ("sandbox", _isolation()),
        ("hidden-case inputs", "per student (DLGRADE_SECRET set)"),
        ("students graded with points (a sanity check: the synthetic class is mostly right)",
         f"{scored} of {n}"),
        ("hanging submissions (5 s timeout each)", str(sum("loop" in v for v in made.values()))),
        ("floor: python -c 'import numpy'", f"{floor * 1000:.0f} ms"),
        ("dlgrade grade: wall time", f"{grade_total:.1f} s = {grade_total / floor:.0f} floors "
                                     f"(goal for 300 x 9 on 2 cores: <= 300 floors)"),
        ("dlgrade grade: submissions per second", f"{n / grade_total:.2f}"),
        ("dlgrade grade: wall per submission", f"{grade_total / n * 1000:.0f} ms "
                                               f"({grade_total / n / floor:.1f}x floor)"),
        (f"dlgrade check --all one at a time, {args.jobs} in parallel ({checked} sampled)",
         f"{per_check * 1000:.0f} ms per submission ({per_check / floor:.1f}x floor)"),
        ("dlgrade check: estimated wall for the class", f"{per_check * n:.1f} s"),
        (f"grader memory (parent + {args.jobs} workers), 2nd / 4th quarter of each run of "
         f"{size} students", " · ".join(f"{a:.0f} / {b:.0f} MB" for a, b in zip(early, late, strict=True))),
        ("batching speed-up (check / grade)", f"{per_check * n / grade_total:.2f}x"),
        ("load average before / after", f"{load_before} / {load_average()}"),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
