"""Rendering results in the terminal with rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.models import CaseResult, ExerciseResult, RunResult, Verdict

MARK = {True: "[green]✔ pass[/]", False: "[red]✘ fail[/]"}


def _verdict(case: CaseResult) -> str:
    if case.passed:
        return MARK[True]
    label = case.verdict.value.replace("_", " ")
    return f"[red]✘ {label}[/]"


def _explain(case: CaseResult, seen: set[str]) -> str:
    """What is wrong; a known mistake's hint is spelled out once per exercise."""
    parts = [escape(case.message)] if case.message else []
    if case.mistake and case.mistake.id in seen:
        parts.append(f"[yellow]Known mistake: {escape(case.mistake.title)} (hint above).[/]")
    elif case.mistake:
        seen.add(case.mistake.id)
        parts.append(f"[yellow]Known mistake: {escape(case.mistake.title)}.[/] "
                     f"[dim]Hint: {escape(case.mistake.hint)}[/]")
    if case.stdout.strip() and not case.passed:
        tail = case.stdout.strip().splitlines()[-3:]
        parts.append("[dim]printed: " + escape(" | ".join(tail))[:300] + "[/]")
    return "\n".join(parts)


def exercise_table(result: ExerciseResult) -> Table:
    """A table of an exercise's cases: verdict, points and what is wrong."""
    colour = "green" if result.passed else ("yellow" if result.score else "red")
    table = Table(title=f"[bold]{result.exercise}[/] — {escape(result.title)}   "
                        f"[{colour}]{result.score:g}/{result.max_score:g}[/]",
                  title_justify="left", show_lines=False, expand=False)
    table.add_column("case", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("pts", justify="right", no_wrap=True)
    table.add_column("what is wrong", overflow="fold")
    seen: set[str] = set()
    for case in result.cases:
        name = case.name + (" [dim](hidden)[/]" if case.visibility == "hidden" else "")
        table.add_row(name, _verdict(case), f"{case.points:g}/{case.max_points:g}", _explain(case, seen))
    return table


def print_run(run: RunResult, console: Console) -> None:
    """Print each exercise's table and a one-line summary of the run."""
    for result in run.exercises:
        console.print(exercise_table(result))
    failed = sum(1 for e in run.exercises for c in e.cases if not c.passed)
    total = sum(len(e.cases) for e in run.exercises)
    if total == 0:
        console.print("[yellow]Nothing to check.[/]")
        return
    stubs = all(c.verdict is Verdict.NOT_IMPLEMENTED for e in run.exercises for c in e.cases)
    summary = f"{run.score:g}/{run.max_score:g} points, {total - failed}/{total} cases passed"
    if failed == 0:
        console.print(f"[bold green]All passed:[/] {summary}")
    elif stubs:
        console.print(f"[bold yellow]Not started:[/] {summary}. Open the exercise file and "
                      "replace each raise NotImplementedError with your code.")
    else:
        console.print(f"[bold red]Some cases failed:[/] {summary}")
    if run.exercises and not run.exercises[0].isolated:
        console.print("[dim]Sandbox: separate process with limits (not namespace-isolated).[/]")
