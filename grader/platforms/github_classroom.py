"""GitHub Classroom: turn ``dlgrade check --format json`` into the grading reporter's input.

The reporter action (``autograding-grading-reporter``) reads, for each runner
id, ``<RUNNER>_RESULTS``: base64 of ``{"version": 1, "status", "max_score",
"tests": [{"name", "status", "score", "max_score", "message"}]}`` and sends
the points to Classroom. ``python -m grader.platforms.github_classroom results.json`` prints
``result=<base64>`` for ``$GITHUB_OUTPUT``. Exercises of the manifest that
were not checked (file deleted) count as 0 of their points.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.engine.manifest import Manifest
from grader.models import RunResult


def payload(run: RunResult | None, manifest: Manifest | None) -> dict[str, Any]:
    """The Classroom autograding result: one test per case, points scaled to the manifest's.

    Exercises of the manifest that were not submitted fail with zero points; no run is an error.
    """
    points = {e.id: e.points for e in manifest.exercises} if manifest else {}
    tests: list[dict[str, Any]] = []
    seen = set()
    for result in run.exercises if run else []:
        seen.add(result.exercise)
        scale = points.get(result.exercise, result.max_score) / (result.max_score or 1.0)
        for case in result.cases:
            tests.append({"name": f"{result.exercise}: {case.name}",
                          "status": "pass" if case.passed else "fail",
                          "score": round(case.points * scale, 6),
                          "max_score": round(case.max_points * scale, 6),
                          "message": case.message + (f" Known mistake: {case.mistake.title}."
                                                     if case.mistake else "")})
    for ex, value in points.items():
        if ex not in seen:
            tests.append({"name": f"{ex}: missing", "status": "fail", "score": 0.0,
                          "max_score": value, "message": f"exercises/{ex}.py was not found"})
    status = "error" if run is None else ("pass" if all(t["status"] == "pass" for t in tests) else "fail")
    return {"version": 1, "status": status,
            "max_score": round(sum(t["max_score"] for t in tests), 4), "tests": tests}


def load_run(text: str) -> RunResult:
    """A RunResult from the JSON of ``dlgrade check --format json``."""
    return RunResult.model_validate_json(text)


def encode(data: dict[str, Any]) -> str:
    """``data`` as base64-encoded JSON."""
    return base64.b64encode(json.dumps(data).encode()).decode()


def main(argv: list[str] | None = None) -> int:
    """Print the encoded result of a ``dlgrade check`` JSON file for the Classroom reporter."""
    parser = argparse.ArgumentParser(prog="python -m grader.platforms.github_classroom")
    parser.add_argument("results", type=Path, help="output of dlgrade check --all --format json")
    parser.add_argument("--manifest", type=Path, default=Path("dlgrade-manifest.json"))
    args = parser.parse_args(argv)
    manifest = Manifest.load(args.manifest) if args.manifest.is_file() else None
    try:
        run: RunResult | None = load_run(args.results.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError, AttributeError):
        run = None
    data = payload(run, manifest)
    sys.stdout.write(f"result={encode(data)}\n")
    total = sum(t["score"] for t in data["tests"])
    sys.stderr.write(f"dlgrade: {total:g}/{data['max_score']:g} points\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
