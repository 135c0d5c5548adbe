"""Rendering results in the terminal with rich, in English or Chinese.

The texts are localized by :func:`grader.render.language.localize` beforehand.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.engine.texts import Lang
from grader.models import CaseResult, ExerciseResult, RunResult, Verdict
from grader.render.language import WORDS, points, verdict_label


def _verdict(case: CaseResult, w: dict[str, str], lang: Lang) -> str:
    if case.passed:
        return f"[green]✔ {w['pass']}[/]"
    return f"[red]✘ {verdict_label(case.verdict.value, lang)}[/]"


def _explain(case: CaseResult, seen: set[str], w: dict[str, str]) -> str:
    """What is wrong; a known mistake's hint is spelled out once per exercise."""
    parts = [escape(case.message)] if case.message else []
    if case.mistake and case.mistake.id in seen:
        parts.append(f"[yellow]{w['named_again'].format(title=escape(case.mistake.title))}[/]")
    elif case.mistake:
        seen.add(case.mistake.id)
        parts.append(f"[yellow]{w['named'].format(title=escape(case.mistake.title))}[/] "
                     f"[dim]{w['hint'].format(hint=escape(case.mistake.hint))}[/]")
    if case.stdout.strip() and not case.passed:
        tail = case.stdout.strip().splitlines()[-3:]
        parts.append(f"[dim]{w['printed'].format(text=escape(' | '.join(tail))[:300])}[/]")
    return "\n".join(parts)


def exercise_table(result: ExerciseResult, lang: Lang = "en") -> Table:
    """A table of an exercise's cases: verdict, points and what is wrong, in ``lang``."""
    w = WORDS[lang]
    colour = "green" if result.passed else ("yellow" if result.score else "red")
    table = Table(title=f"[bold]{result.exercise}[/] — {escape(result.title)}   "
                        f"[{colour}]{points(result.score)}/{points(result.max_score)}[/]",
                  title_justify="left", show_lines=False, expand=False)
    table.add_column(w["case"], no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(w["pts"], justify="right", no_wrap=True)
    table.add_column(w["wrong"], overflow="fold")
    seen: set[str] = set()
    for case in result.cases:
        name = case.name + (f" [dim]({w['hidden']})[/]" if case.visibility == "hidden" else "")
        table.add_row(name, _verdict(case, w, lang), f"{points(case.points)}/{points(case.max_points)}",
                      _explain(case, seen, w))
    return table


def print_run(run: RunResult, console: Console, lang: Lang = "en") -> None:
    """Print each exercise's table and a one-line summary of the run, in ``lang``."""
    w = WORDS[lang]
    for result in run.exercises:
        console.print(exercise_table(result, lang))
    failed = sum(1 for e in run.exercises for c in e.cases if not c.passed)
    total = sum(len(e.cases) for e in run.exercises)
    if total == 0:
        console.print(f"[yellow]{w['nothing']}[/]")
        return
    stubs = all(c.verdict is Verdict.NOT_IMPLEMENTED for e in run.exercises for c in e.cases)
    summary = w["summary"].format(score=points(run.score), max=points(run.max_score),
                                  passed=total - failed, total=total)
    if failed == 0:
        console.print(f"[bold green]{w['all_passed']}:[/] {summary}")
    elif stubs:
        console.print(f"[bold yellow]{w['not_started']}:[/] {summary}. {w['start_hint']}")
    else:
        console.print(f"[bold red]{w['some_failed']}:[/] {summary}")
    if run.exercises and not run.exercises[0].isolated:
        console.print(f"[dim]{w['not_isolated']}[/]")
    numpys = sorted({e.numpy_version for e in run.exercises if e.numpy_version})
    if numpys:  # the same code can behave differently under numpy 1.26 and 2.x
        console.print(f"[dim]{w['numpy'].format(versions=', '.join(numpys))}[/]")
