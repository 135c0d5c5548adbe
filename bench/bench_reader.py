"""What reading a submission costs: every exercise of one student, per submission shape.

    python -m bench.bench_reader            # this checkout
    PYTHONPATH=/path/to/older/checkout python -m bench.bench_reader   # a baseline to compare

Prints the median time to read all nine exercises of one student (folder,
zip, tar.gz) with the reader this checkout has (``grader.submission.reader``,
or the older ``read_source`` of ``grader.submission.source``), so the cost of
the regular-file checks (lstat, O_NOFOLLOW open, fstat) can be set against
the sandbox's cost per case (milliseconds; see bench_sandbox).
"""

from __future__ import annotations

import io
import statistics
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from grader.engine import registry

ROOT = Path(__file__).resolve().parent.parent


def _reader() -> tuple[str, Callable[[Path, list[str]], int]]:
    try:
        from grader.submission.reader import Submission
    except ImportError:
        from grader.submission.source import read_source  # type: ignore[attr-defined]

        return "read_source (older)", lambda path, ids: sum(
            hasattr(read_source(path, e), "text") for e in ids)

    def read_all(path: Path, ids: list[str]) -> int:
        with Submission(path) as sub:
            return sum(hasattr(sub.read(e), "text") for e in ids)

    return "Submission", read_all


def _shapes(tmp: Path, ids: list[str]) -> dict[str, Path]:
    texts = {e: (ROOT / "solutions" / f"{e}.py").read_bytes() for e in ids}
    folder = tmp / "alice"
    folder.mkdir()
    for e, data in texts.items():
        (folder / f"{e}.py").write_bytes(data)
    with zipfile.ZipFile(tmp / "bob.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for e, data in texts.items():
            zf.writestr(f"bob/{e}.py", data)
    with tarfile.open(tmp / "carol.tar.gz", "w:gz") as tf:
        for e, data in texts.items():
            info = tarfile.TarInfo(f"carol/{e}.py")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return {"folder": folder, "zip": tmp / "bob.zip", "tar.gz": tmp / "carol.tar.gz"}


def main(repeats: int = 200) -> None:
    ids = list(registry.available())
    name, read_all = _reader()
    print(f"reader: {name}; {len(ids)} exercises per student; median of {repeats}")
    print("| shape | read | ms per student |")
    print("|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape, path in _shapes(Path(tmp), ids).items():
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                found = read_all(path, ids)
                times.append(time.perf_counter() - start)
            print(f"| {shape} | {found}/{len(ids)} | {statistics.median(times) * 1000:.2f} |")


if __name__ == "__main__":
    main()
