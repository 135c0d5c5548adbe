"""A fresh virtual environment for release tests, without network or downloads.

The new venv gets no pip and no packages of its own; a ``.pth`` file points it at
a folder of symlinks to the test environment's installed distributions, minus
dlgrade itself (grader, solutions, exercises and their editable-install hooks),
so whatever dlgrade the test installs there is the only one it can import.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

EXCLUDE_PREFIXES = ("grader", "solutions", "exercises", "dlgrade", "__editable__", "_dlgrade")


def fresh_venv(where: Path) -> Path:
    """Create a venv at ``where/venv`` that sees the test's dependencies but no dlgrade."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / "venv")], check=True)
    python = where / "venv" / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    farm = where / "deps"
    farm.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(EXCLUDE_PREFIXES) and entry.suffix != ".pth":
            (farm / entry.name).symlink_to(entry)
    (Path(site) / "_test_deps.pth").write_text(f"{farm}\n")
    return python


def pip_install(python: Path, wheel: Path) -> None:
    """Install a wheel into the fresh venv with the test environment's pip (no index)."""
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True)
