"""Benchmark: `dlgrade mutate` throughput, mutants per second, with 1 and 2 sandboxes.

Each mutant is graded in the real sandbox by the exercise's whole suite
(public and hidden cases); a killed mutant stops at its first failing case,
so the rate depends on how early the suite catches the bugs. Runs are
interleaved (1, 2, 1, 2, ...) because the machine is shared.

Usage: ``python bench/bench_mutate.py [--exercise softmax] [--repeat 3] [--course DIR]``.
Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from grader.authoring.analysis import analyse_exercise
from grader.engine import courses, registry
from grader.sandbox.runner import Sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", default="softmax")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--course", type=Path, default=None, help="a course pack, for its exercises")
    args = parser.parse_args()
    courses.use(args.course)
    exercise = registry.resolve(args.exercise)
    seconds: dict[int, list[float]] = {1: [], 2: []}
    mutants = 0
    for _ in range(args.repeat):
        for workers in (1, 2):
            report = analyse_exercise(exercise, workers=workers)
            seconds[workers].append(report.seconds)
            mutants = report.mutants
    with Sandbox() as box:
        level = box.level
    cases = len(registry.load(exercise).cases)
    print(f"`dlgrade mutate {exercise}`: {mutants} mutants, {cases} cases, sandbox level {level}, "
          f"median of {args.repeat}")
    print()
    print("| sandboxes | median s | mutants/s |")
    print("|---:|---:|---:|")
    for workers, values in seconds.items():
        med = statistics.median(values)
        print(f"| {workers} | {med:.2f} | {mutants / med:.1f} |")


if __name__ == "__main__":
    main()
