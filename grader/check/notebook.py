"""The check cell of a student notebook: ``check("knn")``.

The code graded is the source the student last ran for each of the
exercise's functions, taken from the kernel's input history (the cells that
define them, in execution order), or a saved notebook file when given. That
text goes to the sandbox like any submission: nothing is executed in the
kernel for grading, and the report is the one ``dlgrade check`` prints.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from grader import __version__
from grader.check.run import with_release
from grader.engine import registry
from grader.engine.grading import Options, grade_exercise
from grader.engine.suite import Exercise
from grader.engine.texts import resolve_lang
from grader.errors import UsageError
from grader.models import RunResult, Verdict
from grader.render.language import localize
from grader.render.terminal import print_run
from grader.sandbox.runner import Sandbox
from grader.submission.notebooks import solution_tag, without_magics
from grader.submission.reader import read_notebook
from grader.submission.source import Source, SourceProblem


def history_source(ex: Exercise, history: list[str]) -> Source | SourceProblem:
    """The latest cells of ``history`` defining each function of the exercise."""
    latest: dict[str, int] = {}
    for n, text in enumerate(history):
        for name in re.findall(r"^def\s+(\w+)\s*\(", text, flags=re.MULTILINE):
            if name in ex.functions:
                latest[name] = n
    if not latest:
        return SourceProblem(ex.id, Verdict.MISSING_FUNCTION,
                             f"none of {', '.join(ex.functions)} is defined yet: run the cell "
                             f"tagged {solution_tag(ex.id)} first, then this check")
    text = "\n\n".join(without_magics(history[n]) for n in sorted(set(latest.values()))) + "\n"
    return Source(ex.id, text, f"notebook[{solution_tag(ex.id)}]")


def _kernel_history() -> list[str] | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None:
        return None
    return [str(t) for t in shell.history_manager.input_hist_raw]


def check(exercise: str, notebook: str | Path | None = None, console: Console | None = None,
          lang: str | None = None, record: bool = True) -> None:
    """Grade the exercise's public cases on the code of this notebook and show the report.

    The report is in ``lang`` (default: $DLGRADE_LANG, else English). The attempt is recorded
    in the progress history (``$DLGRADE_STORE``, else ``.dlgrade/``) unless ``record`` is False.
    """
    out = console or Console(highlight=False, width=110)
    try:
        language = resolve_lang(lang)
        ex = registry.load(registry.resolve(exercise))
        if notebook is not None:
            source: Source | SourceProblem = read_notebook(Path(notebook), ex.id)
        else:
            history = _kernel_history()
            if history is None:
                raise UsageError("not running in a notebook: pass notebook='file.ipynb', or run "
                                 f"'dlgrade check {ex.id} --notebook file.ipynb'")
            source = history_source(ex, history)
        opts = with_release(Options(hidden=False), Path.cwd())
        with Sandbox() as box:
            result = grade_exercise(ex, source, box, opts)
            isolation = box.isolation
    except UsageError as exc:
        out.print(f"[red]error:[/] {exc}")
        return
    run = RunResult(grader_version=__version__, exercises=[result])
    print_run(localize(run, language), out, language)
    if result.isolated:
        out.print(f"[dim]Sandbox: {isolation}.[/]")
    if record:
        _record(run, out)


def _record(run: RunResult, out: Console) -> None:
    """Save the attempt in the progress history, as ``dlgrade check`` does (never fails the check)."""
    from grader.progress.store import open_store

    try:
        with open_store() as store:
            store.record_run(run)
    except Exception as exc:  # a read-only folder must not cost the student the report
        out.print(f"[dim]not recorded in the progress history: {exc}[/]")
