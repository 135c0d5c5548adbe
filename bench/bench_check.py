"""Benchmark: `dlgrade check` wall time against the floor `python -c "import numpy"`.

Everything is measured in one run, interleaved, and reported as ratios to the
floor, because the machine is shared and noisy. Usage:

    python bench/bench_check.py [--repeat 7] [--submission solutions]

Prints a Markdown table (paste it into the README).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import (  # bench/ is on the path when run as a script
    ROOT,
    compile_checkout,
    load_average,
    print_floor_table,
    timed,
)

from grader.engine import registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--submission", default="solutions")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of another dlgrade (e.g. a worktree of main): its 'check knn' "
                             "and 'check --all' are timed in the same interleaved run")
    args = parser.parse_args()
    # ``python -m grader`` from the repository root: this checkout's grader (as for the baseline)
    dlgrade = [sys.executable, "-m", "grader"]
    sub = ["--submission", args.submission]
    floor_cmd = [sys.executable, "-c", "import numpy"]
    # What the lean check path imports before grading anything (no typer, pydantic or rich):
    imports = "import numpy, grader.cli.lean, grader.check.run, grader.progress.store"
    commands: dict[str, list[str]] = {"floor: python -c 'import numpy'": floor_cmd,
                                      "imports of the check path alone": [sys.executable, "-c", imports]}
    for ex in registry.available():
        commands[f"check {ex}"] = [*dlgrade, "check", ex, *sub]
    commands["check knn --public-only"] = [*dlgrade, "check", "knn", "--public-only", *sub]
    commands["check knn --no-record"] = [*dlgrade, "check", "knn", "--no-record", *sub]
    commands[f"check --all ({len(registry.available())} exercises)"] = [*dlgrade, "check",
                                                                        "--all", *sub]
    # With DLGRADE_WARM=1 (grader.sandbox.warm): a holder lends a running zygote to each check;
    # warmed up by the cache pass below, stopped at the end.
    warm = ["check knn (warm)", "check --all (warm)"]
    commands[warm[0]] = [*dlgrade, "check", "knn", *sub]
    commands[warm[1]] = [*dlgrade, "check", "--all", *sub]
    where: dict[str, Path] = {}
    if args.baseline is not None:  # ``python -m grader`` from its folder imports that checkout's grader
        absolute = ["--submission", str(Path(args.submission).resolve())]
        for name, extra in (("knn", ["knn"]), ("--all", ["--all"])):
            key = f"baseline {args.baseline.name}: check {name}"
            commands[key] = [sys.executable, "-m", "grader", "check", *extra, *absolute]
            where[key] = args.baseline.resolve()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for root in {ROOT, *where.values()}:
        compile_checkout(root)
    from grader.sandbox.runner import Sandbox

    box = Sandbox().start()
    print(f"sandbox: {box.isolation}; isolated: {box.isolated}")
    box.close()
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory() as store:  # attempts are recorded, as for a student
        env = {**os.environ, "DLGRADE_STORE": str(Path(store) / "progress.sqlite3")}
        envs = {name: {**env, "DLGRADE_WARM": "1", "XDG_RUNTIME_DIR": store} for name in warm}
        try:
            for name, cmd in commands.items():  # warm the file cache once (and start the holder)
                timed(cmd, envs.get(name, env), where.get(name, ROOT))
            _wait_for_holder(Path(store, "dlgrade"))
            for _ in range(args.repeat):
                for name, cmd in commands.items():
                    samples[name].append(timed(cmd, envs.get(name, env), where.get(name, ROOT)))
        finally:
            subprocess.run([sys.executable, "-m", "grader.sandbox.warm", "stop"], env=envs[warm[0]],
                           cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    print(f"after: {load_average()}\n")
    print_floor_table(samples)


def _wait_for_holder(folder: Path) -> None:
    """Until the holder the warm-up check started listens (it starts once that check has ended)."""
    for _ in range(600):
        if any(folder.glob("*.sock")):
            return
        time.sleep(0.05)
    print("warning: no warm holder started; the warm rows ran cold")


if __name__ == "__main__":
    main()
