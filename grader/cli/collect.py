"""``dlgrade collect``: zip your exercise modules and notebooks for upload."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import user_errors


def collect_command(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Zip to write (default: submission.zip "
                                             "in the release folder)")] = None,
    release: Annotated[Path | None, typer.Option(help="Release folder (default: the one you are in)")] = None,
) -> None:
    """Zip exercises/*.py and notebooks/*.ipynb of this assignment for Gradescope or another platform."""
    with user_errors():
        from grader.check.collect import collect, find_release

        folder = find_release(release or Path.cwd())
        target = out or folder / "submission.zip"
        names = collect(folder, target)
        typer.echo(f"wrote {target}: {', '.join(names)}; upload this zip")
