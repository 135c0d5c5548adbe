"""The ``dlgrade`` console script: a plain check goes the lean way, the rest to Typer.

A plain ``dlgrade check`` takes the lean path (``grader.cli.lean``: no typer,
pydantic or rich), everything else the Typer app of ``grader.cli.commands``
(help, completion, every other command).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from grader.cli.exits import StdoutClosed, printing

if TYPE_CHECKING:
    import typer


def main() -> None:
    """The console script: run the command; Ctrl-C exits 130."""
    try:
        from grader.cli.lean import guarded, parse_check, run_check

        completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
        args = None if completing else parse_check(sys.argv[1:])
        if args is not None:
            code = guarded(lambda: run_check(args, one_shot=True))
            with printing():  # a closed stdout keeps the check's own exit code
                sys.stdout.flush()
            leave(code)
        from grader.cli.commands import app

        app(prog_name="dlgrade")
    except KeyboardInterrupt:
        sys.exit(130)
    except (BrokenPipeError, StdoutClosed):  # stdout closed outside a command (help text): normal end
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.exit(0)


def leave(code: int) -> NoReturn:
    """End the process after a one-shot check: flushed, atexit handlers run, no interpreter teardown.

    Tearing down numpy's and the grader's modules costs more than ten percent of
    ``python -c "import numpy"`` and keeps nothing: the report is printed, the attempt
    recorded and the zygote ends with us (``grader.cli.lean.run_check``).
    """
    atexit._run_exitfuncs()
    with printing():
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):  # a closed stderr does not change the exit code
        sys.stderr.flush()
    os._exit(code)


def __getattr__(name: str) -> typer.Typer:
    """``from grader.cli.app import app``: the Typer app, imported only when asked for."""
    if name == "app":
        from grader.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
