"""A submitted .zip or .tar archive, read in place: nothing is ever extracted.

Nothing is written to disk, so no member path can escape. An archive with a
member whose path is absolute or climbs with ``..`` is refused as a whole;
links, hard links and special members are listed as refused entries (never
read); member counts and sizes are bounded before anything is decompressed.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from grader.submission.files import SKIPPED, Entry, Refused, open_regular

MAX_ARCHIVE_BYTES = 100 * 1024**2
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 500 * 1024**2  # what a tar stream may expand to while its members are listed


def _path(archive: str, name: str) -> PurePosixPath | None:
    """The member's path, None for ones that are never part of a submission (hidden, macOS)."""
    clean = name.replace("\\", "/")
    path = PurePosixPath(clean)
    if clean.startswith("/") or ".." in path.parts or ":" in name:
        raise Refused(f"{archive}: member {name!r} has an unsafe path (absolute or '..'); "
                      "zip the folder itself")
    if any(p.startswith(".") or p in SKIPPED for p in path.parts):
        return None
    return path


class Archive:
    """The members of one archive, and their bytes on demand (bounded)."""

    def __init__(self, path: Path, label: str) -> None:
        """Open the archive at ``path`` (a regular file, size-checked); ``label`` names it in messages."""
        self.label = label
        self._fh: BinaryIO = open_regular(path, MAX_ARCHIVE_BYTES, label)
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._members: dict[PurePosixPath, zipfile.ZipInfo | tarfile.TarInfo] = {}
        self.entries: list[Entry] = []
        zipped = path.name.lower().endswith(".zip")
        try:
            self._list_zip() if zipped else self._list_tar()
        except Refused:
            self.close()
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, tarfile.TarError, OSError, EOFError,
                ValueError) as exc:
            self.close()
            raise Refused(f"{label} is not a readable {'.zip' if zipped else '.tar'} archive "
                          f"({type(exc).__name__}); pack it again") from None
        except BaseException:
            self.close()
            raise

    def _add(self, path: PurePosixPath, member: zipfile.ZipInfo | tarfile.TarInfo, entry: Entry) -> None:
        if len(self.entries) >= MAX_MEMBERS:
            raise Refused(f"{self.label} has more than {MAX_MEMBERS} members; submit only your exercises")
        self._members[path] = member
        self.entries.append(entry)

    def _list_zip(self) -> None:
        self._zip = zipfile.ZipFile(self._fh)
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Refused(f"{self.label} has {len(infos)} members; the limit is {MAX_MEMBERS}")
        for info in infos:
            path = _path(self.label, info.filename)
            if path is None or info.is_dir():
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                self._add(path, info, Entry(path, "link", 0, "a symbolic link"))
            elif stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                self._add(path, info, Entry(path, "special", 0, "not a regular file"))
            else:
                self._add(path, info, Entry(path, "file", info.file_size))

    def _list_tar(self) -> None:
        self._tar = tarfile.open(fileobj=self._fh, mode="r:*")  # noqa: SIM115 (closed in close())
        total = 0
        for count, member in enumerate(self._tar):
            total += max(member.size, 0)
            if count >= MAX_MEMBERS or total > MAX_TOTAL_BYTES:
                raise Refused(f"{self.label} has more than {MAX_MEMBERS} members or "
                              f"{MAX_TOTAL_BYTES} bytes; submit only your exercises")
            path = _path(self.label, member.name)
            if path is None or member.isdir():
                continue
            if member.isfile():
                self._add(path, member, Entry(path, "file", member.size))
            elif member.issym():
                self._add(path, member, Entry(path, "link", 0, "a symbolic link"))
            elif member.islnk():
                self._add(path, member, Entry(path, "link", 0, "a hard link"))
            else:
                self._add(path, member, Entry(path, "special", 0, "not a regular file"))

    def read(self, path: PurePosixPath, limit: int) -> bytes:
        """The bytes of the regular member ``path``, at most ``limit`` of them."""
        member = self._members[path]
        label = f"{self.label}/{path}"
        size = member.file_size if isinstance(member, zipfile.ZipInfo) else member.size
        if size > limit:
            raise Refused(f"{label} is {size} bytes; the limit is {limit}")
        try:
            if self._zip is not None and isinstance(member, zipfile.ZipInfo):
                with self._zip.open(member) as fh:  # stops at the declared size, checks the CRC
                    data = fh.read(limit + 1)
            else:
                assert self._tar is not None and isinstance(member, tarfile.TarInfo)
                extracted = self._tar.extractfile(member)
                data = extracted.read(limit + 1) if extracted is not None else b""
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise Refused(f"{label} cannot be read from the archive ({type(exc).__name__}); "
                          "pack it again") from None
        if len(data) > limit:
            raise Refused(f"{label} is over {limit} bytes; the limit is {limit}")
        return data

    def close(self) -> None:
        """Close the archive and its file."""
        for part in (self._zip, self._tar, self._fh):
            if part is not None:
                part.close()
