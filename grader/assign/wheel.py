"""A pure-Python wheel of the grader, written directly (no build tools needed).

Releases ship the grader as a wheel so students install it with one
``pip install`` and nothing is compiled or built on their machine. The
student wheel holds only the ``grader`` package; the instructor (autograder)
wheel adds ``solutions``. Entries carry a fixed timestamp, so the same
sources give byte-identical wheels.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path

from grader import __version__

NAME = "dlgrade"
AUTOGRADER = "dlgrade_autograder"  # grader + solutions, for autograder images: never the student wheel
EPOCH = (1980, 1, 1, 0, 0, 0)
SKIP_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def wheel_name(version: str = __version__, name: str = NAME) -> str:
    """The file name of the grader wheel for ``version``."""
    return f"{name}-{version}-py3-none-any.whl"


def _files(package_dir: Path) -> list[tuple[str, bytes]]:
    root = package_dir.parent
    out = []
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP_DIRS & set(rel.parts) and path.suffix not in (".pyc", ".pyo"):
            out.append((rel.as_posix(), path.read_bytes()))
    return out


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def license_text() -> str | None:
    """Dlgrade's LICENSE: beside the source tree (repository, editable install), else installed."""
    beside = Path(__file__).resolve().parents[2] / "LICENSE"
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    try:
        return metadata.distribution(NAME).read_text("licenses/LICENSE")
    except metadata.PackageNotFoundError:
        return None


def _metadata_text(with_license: bool, name: str) -> str:
    requires = [r for r in (metadata.requires(NAME) or []) if "extra ==" not in r]
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {__version__}",
             "Summary: dlgrade: auto-graded deep-learning exercises (release build)",
             "License-Expression: MIT", *(["License-File: LICENSE"] if with_license else []),
             "Requires-Python: >=3.11", *[f"Requires-Dist: {r}" for r in requires]]
    return "\n".join(lines) + "\n"


def build_wheel(packages: list[Path], out_dir: Path, name: str = NAME) -> Path:
    """Write a wheel holding the given package folders into ``out_dir``."""
    dist = f"{name}-{__version__}.dist-info"
    entries = [f for pkg in packages for f in _files(pkg)]
    text = license_text()
    if text is not None:
        entries.append((f"{dist}/licenses/LICENSE", text.encode()))
    entries += [
        (f"{dist}/METADATA", _metadata_text(text is not None, name).encode()),
        (f"{dist}/WHEEL", b"Wheel-Version: 1.0\nGenerator: dlgrade\nRoot-Is-Purelib: true\n"
                          b"Tag: py3-none-any\n"),
        (f"{dist}/entry_points.txt", b"[console_scripts]\ndlgrade = grader.cli.app:main\n"),
        (f"{dist}/top_level.txt", "".join(f"{p.name}\n" for p in packages).encode()),
    ]
    record = "\n".join(_record_line(n, d) for n, d in entries) + f"\n{dist}/RECORD,,\n"
    entries.append((f"{dist}/RECORD", record.encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_name(name=name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path
