"""Synthetic class submissions for tests and benchmarks: correct ones, one per
known mistake (``grader.engine.variants``: the reference with the mistake's variant
functions bound over it), broken ones (syntax errors, stubs, missing files) and hostile ones
(infinite loops, killing the sandbox, huge outputs, reading the grader's files).

    python -m bench.synth OUT_DIR --students 300
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from grader.engine import registry
from grader.engine.stubs import strip_solutions
from grader.engine.variants import mistake_source

HOSTILE = {
    "loop": "\n\ndef {func}(*args, **kwargs):\n    while True:\n        pass\n",
    "kill_sandbox": "\nimport os, signal\n\n\ndef {func}(*args, **kwargs):\n"
                    "    os.kill(os.getppid(), signal.SIGKILL)\n",
    "exit": "\nimport os\n\n\ndef {func}(*args, **kwargs):\n    os._exit(3)\n",
    "huge_output": "\n\ndef {func}(*args, **kwargs):\n    return np.ones((30000, 30000))\n",
    "read_files": "\n\ndef {func}(*args, **kwargs):\n    open('/etc/passwd').read()\n"
                  "    return __import__('subprocess').run(['id'])\n",
}


def reference(ex: str) -> str:
    module = registry.reference(ex)
    assert module is not None and module.__file__, f"no reference for {ex}"
    return Path(module.__file__).read_text(encoding="utf-8")


def kinds(exercises: list[str]) -> list[tuple[str, dict[str, str | None]]]:
    """Every kind of submission: (label, {exercise: source or None for missing})."""
    correct = {ex: reference(ex) for ex in exercises}
    out: list[tuple[str, dict[str, str | None]]] = [("correct", dict(correct))]
    for ex in exercises:
        for m in registry.load(ex).mistakes:
            out.append((f"mistake {ex}/{m.id}", {**correct, ex: mistake_source(ex, m)}))
    first, last = exercises[0], exercises[-1]
    out.append(("broken: syntax error", {**correct, first: correct[first] + "\ndef oops(:\n"}))
    out.append(("broken: stubs", {ex: strip_solutions(correct[ex]) for ex in exercises}))
    out.append(("broken: missing file", {**correct, last: None}))
    for name, template in HOSTILE.items():
        ex = first if name != "loop" else last
        func = registry.load(ex).functions[-1]
        out.append((f"hostile: {name}", {**correct, ex: correct[ex] + template.format(func=func)}))
    return out


def pick(index: int, menu: list[tuple[str, dict[str, str | None]]],
         hang_every: int = 50) -> tuple[str, dict[str, str | None]]:
    """Half correct, a third known mistakes, the rest broken or hostile (one in ``hang_every`` hangs)."""
    mistakes = [k for k in menu if k[0].startswith("mistake")]
    others = [k for k in menu if k[0].startswith(("broken", "hostile")) and "loop" not in k[0]]
    loop = [k for k in menu if "loop" in k[0]]
    if hang_every and index % hang_every == hang_every - 1 and loop:
        return loop[0]
    if index % 2 == 0 or not mistakes:
        return menu[0]
    if index % 6 in (1, 3):
        return mistakes[(index // 6 * 2 + index % 6 // 3) % len(mistakes)]
    return others[(index // 6) % len(others)]


def write_student(dest: Path, sid: str, files: dict[str, str | None], shape: str) -> Path:
    if shape == "zip":
        path = dest / f"{sid}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for ex, text in files.items():
                if text is not None:
                    zf.writestr(f"{sid}/{ex}.py", text)
        return path
    folder = dest / sid
    folder.mkdir(parents=True, exist_ok=True)
    for ex, text in files.items():
        if text is not None:
            (folder / f"{ex}.py").write_text(text, encoding="utf-8")
    return folder


def make_class(dest: Path, students: int, exercises: list[str] | None = None,
               zips_every: int = 4, hang_every: int = 50) -> dict[str, str]:
    """Write ``students`` submissions into ``dest``; returns {student id: what it is}."""
    exercises = exercises or list(registry.available())
    menu = kinds(exercises)
    dest.mkdir(parents=True, exist_ok=True)
    made = {}
    for i in range(students):
        sid = f"s{i:04d}"
        label, files = pick(i, menu, hang_every)
        write_student(dest, sid, files, "zip" if zips_every and i % zips_every == 3 else "folder")
        made[sid] = label
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--students", type=int, default=300)
    args = parser.parse_args()
    made = make_class(args.out, args.students)
    for sid, label in made.items():
        print(f"{sid}\t{label}")


if __name__ == "__main__":
    main()
