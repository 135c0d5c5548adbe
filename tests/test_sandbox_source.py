"""Only the submission's .py source is used: encodings, sizes, links, archives, files beside it."""

from __future__ import annotations

import codecs
import io
import os
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.check.run import check_submission
from grader.models import Verdict
from grader.sandbox.runner import Sandbox
from grader.submission.reader import read_source
from grader.submission.source import MAX_SOURCE_BYTES, Source, SourceProblem, decode_source
from tests.support.sandbox_support import REFERENCE

GOOD = "import numpy as np\n\ndef f(x):\n    return x  # é\n"


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def problem(data: bytes) -> str:
    got = decode_source("knn", data, "knn.py")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    return got.message


def text(data: bytes) -> str:
    got = decode_source("knn", data, "knn.py")
    assert isinstance(got, Source), got
    return got.text


@pytest.mark.parametrize(("data", "kind"), [
    (GOOD.encode("utf-16"), "saved as UTF-16"),
    (codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"), "saved as UTF-16"),
    (GOOD.encode("utf-32"), "saved as UTF-32"),
    (b"x = 1\ny = 2\nz = '\x00'\n", "NUL bytes (line 3)"),
    (b"x = 1\ny = '\xe9'\n", "not UTF-8 text (line 2, byte 0xe9)"),
    (b"# -*- coding: klingon -*-\nx = 1\n", "unknown encoding"),
    (b"#" * (MAX_SOURCE_BYTES + 1), "the limit is"),
], ids=["utf16", "utf16be", "utf32", "nul", "latin1", "bad_cookie", "huge"])
def test_unreadable_sources_get_a_clear_message(data: bytes, kind: str) -> None:
    message = problem(data)
    assert kind in message and "knn.py" in message


def test_bom_crlf_cr_and_coding_lines_are_read() -> None:
    assert text(codecs.BOM_UTF8 + GOOD.encode()) == GOOD
    assert text(GOOD.replace("\n", "\r\n").encode()) == GOOD
    assert text(GOOD.replace("\n", "\r").encode()) == GOOD
    latin = "# -*- coding: latin-1 -*-\ns = 'é'\n"
    assert text(latin.encode("latin-1")) == latin


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "knn.py"
    with path.open("wb") as f:
        f.truncate(8 * 1024**3)  # sparse: reading it would take 8 GB
    got = read_source(tmp_path, "knn")
    assert isinstance(got, SourceProblem) and "8589934592 bytes" in got.message


def test_a_link_is_refused_even_inside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text(REFERENCE)
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "knn.py").symlink_to(outside)
    got = read_source(folder, "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    assert "sub/knn.py is a symbolic link" in got.message
    (folder / "knn.py").unlink()
    (folder / "real.py").write_text(REFERENCE)
    (folder / "knn.py").symlink_to(folder / "real.py")  # inside: still only regular files are read
    got = read_source(folder, "knn")
    assert isinstance(got, SourceProblem) and "symbolic link" in got.message


BESIDE = {
    "conftest.py": "import os\nos._exit(9)\n",
    "sitecustomize.py": "import os\nos._exit(9)\n",
    "usercustomize.py": "import os\nos._exit(9)\n",
    "numpy.py": "raise SystemExit('fake numpy')\n",
    "evil.pth": "import os; os._exit(9)\n",
    "knn.so": "\x7fELF not really a library\n",
    "__pycache__/knn.cpython-311.pyc": "garbage bytecode\n",
    "__init__.py": "import os\nos._exit(9)\n",
}


def test_files_beside_the_submission_are_never_imported(tmp_path: Path, box: Sandbox) -> None:
    (tmp_path / "knn.py").write_text(REFERENCE)
    for name, content in BESIDE.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(content)
    run = check_submission(["knn"], tmp_path, sandbox=box)
    assert run.score == run.max_score == 18


def test_bom_and_crlf_submission_scores_full_marks(tmp_path: Path, box: Sandbox) -> None:
    (tmp_path / "knn.py").write_bytes(codecs.BOM_UTF8 + REFERENCE.replace("\n", "\r\n").encode())
    run = check_submission(["knn"], tmp_path, sandbox=box)
    assert run.score == run.max_score == 18


def _zip(path: Path, members: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/passwd")
    return path


def _tar(path: Path, members: dict[str, bytes], link: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "../../solutions/knn.py"
            tf.addfile(info)
    return path


def test_archives_are_read_in_place(tmp_path: Path, box: Sandbox) -> None:
    before = sorted(os.listdir(tmp_path))
    for make, name in ((_zip, "hw.zip"), (_tar, "hw.tar.gz")):
        archive = make(tmp_path / name, {"hw/knn.py": REFERENCE.encode(), "hw/notes.txt": b"x"})
        got = read_source(archive, "knn")
        assert isinstance(got, Source) and got.text == REFERENCE
        run = check_submission(["knn"], archive, sandbox=box)
        assert run.score == run.max_score == 18
    assert sorted(os.listdir(tmp_path)) == sorted([*before, "hw.zip", "hw.tar.gz"])  # nothing extracted


@pytest.mark.parametrize("make", [_zip, _tar], ids=["zip", "tar"])
@pytest.mark.parametrize(("members", "link", "kind"), [
    ({"../knn.py": b"x = 1\n"}, None, "unsafe path"),
    ({"a/../../knn.py": b"x = 1\n"}, None, "unsafe path"),
    ({}, "knn.py", "link"),
    ({"a/knn.py": b"x = 1\n", "b/knn.py": b"x = 2\n"}, None, "several knn.py"),
    ({"knn.py": b"#" * (MAX_SOURCE_BYTES + 10)}, None, "the limit is"),
], ids=["dotdot", "nested_dotdot", "symlink", "ambiguous", "bomb"])
def test_unsafe_archives_are_refused(tmp_path: Path, make, members: dict[str, bytes],  # type: ignore[no-untyped-def]
                                     link: str | None, kind: str) -> None:
    archive = make(tmp_path / ("hw.zip" if make is _zip else "hw.tgz"), members, link)
    got = read_source(archive, "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.BAD_SOURCE
    assert kind in got.message


def test_broken_or_incomplete_archives(tmp_path: Path) -> None:
    junk = tmp_path / "hw.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    got = read_source(junk, "knn")
    assert isinstance(got, SourceProblem) and "not a readable" in got.message
    empty = _zip(tmp_path / "other.zip", {"softmax.py": b"x = 1\n"})
    got = read_source(empty, "knn")
    assert isinstance(got, SourceProblem) and got.verdict is Verdict.MISSING_MODULE
