"""``dlgrade progress``: where you stand, from every recorded attempt (registered in grader.cli.app)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import LangOpt, Language, StoreOpt, console, user_errors

HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report")]


def progress(
    store: StoreOpt = None,
    html: HtmlOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the progress data as JSON")] = False,
    lang: LangOpt = Language.en,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the whole history (asks first)")] = False,
) -> None:
    """Your best and latest scores, attempts, what still fails, and what to try next."""
    with user_errors():
        from grader.errors import UsageError
        from grader.progress.history import build
        from grader.progress.store import open_store
        from grader.render.labels import labels

        lab = labels(lang.value)
        with open_store(store, create=False) as history:
            if reset:
                _reset(history.path, history.count(), history.reset)
                return
            data = build(history.attempts(), lang=lang.value)
        if html is not None:
            from grader.render.progress_html import render_html

            try:
                html.parent.mkdir(parents=True, exist_ok=True)
                html.write_text(render_html(data, lab, lang.value, history.path), encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {html} ({exc.strerror}); pass --html a writable path") \
                    from None
        if json_:
            typer.echo(data.model_dump_json(indent=2))
            return
        from grader.render.progress_terminal import print_progress

        print_progress(data, console(), lab, history.path)
        if html is not None:
            typer.echo(f"wrote {html}: open it in a browser (file://{html.resolve()})")


def _reset(path: Path, count: int, delete: Callable[[], int]) -> None:
    if count == 0:
        typer.echo(f"nothing to delete: {path} holds no attempts")
        return
    if not typer.confirm(f"Delete all {count} attempts recorded in {path}? This cannot be undone"):
        typer.echo("kept the history; nothing was deleted")
        return
    typer.echo(f"deleted {delete()} attempts from {path}")
