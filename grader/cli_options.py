"""Option types shared by several dlgrade commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Language(StrEnum):
    """The languages of the course's texts: the notes are Chinese, English is the default."""

    en = "en"
    zh = "zh"


StoreOpt = Annotated[Path | None, typer.Option(
    "--store", help="Progress history file (default: $DLGRADE_STORE, else .dlgrade/progress.sqlite3)")]
