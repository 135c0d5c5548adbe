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


LangOpt = Annotated[Language, typer.Option(
    "--lang", "-l", envvar="DLGRADE_LANG", show_envvar=False,
    help="Language of titles, case descriptions, messages and hints: en or zh "
         "(default: $DLGRADE_LANG, else en)")]
StoreOpt = Annotated[Path | None, typer.Option(
    "--store", help="Progress history file (default: $DLGRADE_STORE, else .dlgrade/progress.sqlite3)")]
