"""Reading one file out of a submitted .zip or .tar archive without extracting it.

Nothing is written to disk, so no member path can escape; members with
absolute or ``..`` paths, links and oversized members are refused by name.
"""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000


class ArchiveProblem(ValueError):
    """The archive cannot be used; the message says why and what to do."""


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or ":" in name


def find_member(archive: Path, want: str, limit: int) -> tuple[str, bytes | None]:
    """The shallowest member named ``want`` and its bytes (None when absent)."""
    try:
        if zipfile.is_zipfile(archive):
            return _from_zip(archive, want, limit)
        with tarfile.open(archive) as tar:
            return _from_tar(archive, tar, want, limit)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveProblem(f"{archive} is not a readable .zip or .tar archive ({exc})") from None


def _pick(archive: Path, names: list[str], want: str) -> str | None:
    matches = sorted((len(PurePosixPath(n).parts), n) for n in names if PurePosixPath(n).name == want)
    if not matches:
        return None
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        raise ArchiveProblem(f"{archive} holds several {want} files; keep only one")
    name = matches[0][1]
    if _unsafe(name):
        raise ArchiveProblem(f"{archive}: member {name!r} has an unsafe path; zip the folder itself")
    return name


def _check_size(archive: Path, name: str, size: int, limit: int) -> None:
    if size > limit:
        raise ArchiveProblem(f"{archive}: {name} is {size} bytes; the limit is {limit}")


def _from_zip(archive: Path, want: str, limit: int) -> tuple[str, bytes | None]:
    with zipfile.ZipFile(archive) as zf:
        infos = {i.filename: i for i in zf.infolist()[:MAX_MEMBERS] if not i.is_dir()}
        name = _pick(archive, list(infos), want)
        if name is None:
            return want, None
        info = infos[name]
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise ArchiveProblem(f"{archive}: {name} is a symbolic link; add the file itself")
        _check_size(archive, name, info.file_size, limit)
        with zf.open(info) as f:
            data = f.read(limit + 1)
        _check_size(archive, name, len(data), limit)
        return name, data


def _from_tar(archive: Path, tar: tarfile.TarFile, want: str, limit: int) -> tuple[str, bytes | None]:
    members: dict[str, tarfile.TarInfo] = {}
    for count, member in enumerate(tar):
        if count >= MAX_MEMBERS:
            break
        if not member.isdir():
            members[member.name] = member
    name = _pick(archive, list(members), want)
    if name is None:
        return want, None
    member = members[name]
    if not member.isfile():
        raise ArchiveProblem(f"{archive}: {name} is a link or special file; add the file itself")
    _check_size(archive, name, member.size, limit)
    f = tar.extractfile(member)
    data = f.read(limit + 1) if f is not None else b""
    return name, data
