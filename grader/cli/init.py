"""``dlgrade init``: the exercise stubs, written into a folder to start working in."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from grader.cli.common import user_errors


def init_command(
    folder: Annotated[Path, typer.Argument(help="Folder to start in (created if missing)")] = Path("."),
    exercises: Annotated[str | None, typer.Option(help="Comma-separated ids (default: all)")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite stubs that already exist")] = False,
) -> None:
    """Write the exercise stubs into FOLDER/exercises/, then run 'dlgrade check <id>' there."""
    with user_errors():
        from grader.engine import registry
        from grader.errors import UsageError

        ids = ([registry.resolve(e) for e in exercises.split(",") if e.strip()] if exercises
               else list(registry.builtin()))
        stubs = resources.files("grader") / "data" / "stubs"
        unpacked = [e for e in ids if not (stubs / f"{e}.py").is_file()]
        if unpacked:
            raise UsageError(f"{', '.join(unpacked)} come from a course pack: its stubs are in the "
                             "release your instructor gave you, not in the grader")
        target = folder / "exercises"
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} is a file; choose another folder")
        existing = [e for e in ids if (target / f"{e}.py").exists()]
        if existing and not force:
            raise UsageError(f"{target} already has {', '.join(f'{e}.py' for e in existing)}: your work "
                             "is kept; pass --force to overwrite it with fresh stubs")
        target.mkdir(parents=True, exist_ok=True)
        for ex in ids:
            (target / f"{ex}.py").write_text((stubs / f"{ex}.py").read_text(encoding="utf-8"),
                                             encoding="utf-8")
        where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
        typer.echo(f"wrote {len(ids)} exercise stubs into {target}/; next: {where}dlgrade check {ids[0]}")
