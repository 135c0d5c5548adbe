"""``dlgrade progress`` in the terminal: tables, a total bar, what to try next."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.markup import escape
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from grader.progress.history import ItemProgress, Progress, Suggestion
from grader.render.labels import local_time, pts

COLOUR = {"passed": "green", "in_progress": "yellow", "not_started": "dim"}
MAX_FAILING = 3


def _score(value: float | None, item: ItemProgress) -> str:
    if value is None:
        return "[dim]—[/]"
    colour = "green" if value >= item.max_score > 0 else ("yellow" if value > 0 else "red")
    return f"[{colour}]{pts(value)}[/]/{pts(item.max_score)}"


def _failing(item: ItemProgress, lab: dict[str, str]) -> str:
    lines = []
    for case in item.failing[:MAX_FAILING]:
        hidden = f" [dim]({lab['hidden']})[/]" if case.visibility == "hidden" else ""
        short = case.diagnosis.split(". Hint: ")[0]  # the hint is in "Try next" and the HTML page
        lines.append(f"[red]✘[/] {escape(case.name)}{hidden}: [dim]{escape(short)}[/]")
    if len(item.failing) > MAX_FAILING:
        lines.append(f"[dim]+{len(item.failing) - MAX_FAILING} {lab['more']}[/]")
    return "\n".join(lines)


def item_table(title: str, items: list[ItemProgress], lab: dict[str, str], quiz: bool = False) -> Table:
    """A table of items: best and latest score, attempts, first pass, failing cases."""
    table = Table(title=f"[bold]{title}[/]", title_justify="left", expand=False, show_lines=True)
    table.add_column(lab["quiz" if quiz else "item"], max_width=28, overflow="fold")  # titles wrap, never cut
    for key in ("best", "latest", "attempts"):
        table.add_column(lab[key], justify="right", overflow="fold")
    table.add_column(lab["first_pass"], overflow="fold")
    table.add_column(lab["failing"], overflow="fold", ratio=1)
    for item in items:
        mark = {"passed": "✔ ", "in_progress": "◐ ", "not_started": "○ "}[item.status]
        first = local_time(item.first_pass, short=True)
        if item.attempts_to_pass:
            first += f"\n[dim]{lab['after']} {item.attempts_to_pass}[/]"
        name = f"[{COLOUR[item.status]}]{mark}{escape(item.id)}[/]\n  [dim]{escape(item.title)}[/]"
        table.add_row(name,
                      _score(item.best if item.attempts else None, item), _score(item.latest, item),
                      str(item.attempts), first, _failing(item, lab))
    return table


def total_line(progress: Progress, lab: dict[str, str]) -> Table:
    """The total: a bar, the share of points, points, items passed and attempts."""
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(lab["total"], style="bold"),
                 ProgressBar(total=progress.max_score or 1, completed=progress.score, width=36,
                             complete_style="green", finished_style="bold green"),
                 f"[bold]{progress.completion:.0%}[/]",
                 f"{pts(progress.score)}/{pts(progress.max_score)} {lab['points']} · "
                 f"{progress.passed}/{len(progress.exercises) + len(progress.quizzes)} "
                 f"{lab['passed_count']} · {progress.attempts} {lab['attempts']}")
    return grid


def _suggestion(s: Suggestion, lab: dict[str, str]) -> str:
    if s.case is None and not s.diagnosis:
        return f"{lab['start']} [bold]{escape(s.item)}[/]: [cyan]{escape(s.command)}[/]"
    what = f"{escape(s.item)} / {escape(s.case)}" if s.case else escape(s.item)
    why = f" — {escape(s.diagnosis.replace('. Hint: ', '. ' + lab['hint'] + ' '))}" if s.diagnosis else ""
    return f"{lab['fix']} [bold]{what}[/]{why}\n   {lab['run']} [cyan]{escape(s.command)}[/]"


def print_progress(progress: Progress, console: Console, lab: dict[str, str], store: Path) -> None:
    """Print the progress: items, quizzes, total and what to try next."""
    if progress.attempts == 0:
        console.print(f"[yellow]{lab['no_attempts']}[/]")
    console.print(item_table(lab["exercises"], progress.exercises, lab))
    if progress.quizzes:
        console.print(item_table(lab["quizzes"], progress.quizzes, lab, quiz=True))
    console.print(total_line(progress, lab))
    steps = [f"{n}. {_suggestion(s, lab)}" for n, s in enumerate(progress.next, 1)]
    body = steps if steps else [f"[green]{lab['nothing_next']}[/]"]
    console.print(Group(Text(""), Text(lab["next"], style="bold"), *body))
    console.print(f"[dim]{lab['subtitle']} {escape(str(store))}. {lab['open_html']}[/]")
