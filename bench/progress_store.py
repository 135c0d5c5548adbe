"""What the progress store costs, as ratios to one ``dlgrade check knn`` in the same run.

Run: python bench/progress_store.py  (numbers go to the README's progress section)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from grader.check.run import check_submission
from grader.engine.grading import Options
from grader.progress.history import build
from grader.progress.store import Store
from grader.render.labels import labels
from grader.render.progress_html import render_html
from grader.sandbox.runner import Sandbox

ROOT = Path(__file__).resolve().parents[1]


def per_call(fn: object, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / n


def main() -> None:
    box = Sandbox().start()
    try:
        grade = lambda: check_submission(["knn"], ROOT / "solutions", Options(), box)  # noqa: E731
        run = grade()
        check_s = per_call(grade, 5)
    finally:
        box.close()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "p.sqlite3")
        record_s = per_call(lambda: store.record_run(run), 200)
        for _ in range(1800):
            store.record_run(run)
        attempts = store.attempts()
        read_s = per_call(store.attempts, 5)
        build_s = per_call(lambda: build(attempts), 5)
        html_s = per_call(lambda: render_html(build(attempts), labels("en"), "en", store.path), 5)
        store.close()
    n = len(attempts)
    for what, secs in (("recording its attempt", record_s), (f"reading {n} attempts", read_s),
                       (f"progress data of {n} attempts", build_s), (f"HTML report of {n} attempts", html_s)):
        print(f"{what:36s} {secs * 1000:8.2f} ms  ({secs / check_s:.3f} of one check)")
    print(f"{'one check of knn (all cases)':36s} {check_s * 1000:8.2f} ms")

if __name__ == "__main__":
    main()
