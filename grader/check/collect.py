"""``dlgrade collect``: the zip a platform expects, from a student's modules and notebooks.

The zip holds ``exercises/<id>.py`` and ``notebooks/<id>.ipynb`` of the release's
exercises (what exists of them) and ``dlgrade-submission.json``, which names the
assignment by a key computed from its manifest (course, title, exercises and
points). Graders that know the manifest (Gradescope's runner) compare that key,
so an upload made for another assignment is named as such instead of scoring 0
for files that seem missing.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from grader import __version__
from grader.engine.manifest import MANIFEST_NAME, Manifest
from grader.errors import UsageError
from grader.submission.files import Refused, read_regular, walk

STAMP_FILE = "dlgrade-submission.json"
EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_STAMP_BYTES = 64 * 1024


def assignment_key(manifest: Manifest) -> str:
    """A short key that is the same for every build of one assignment (release, bundles)."""
    parts = [manifest.course, manifest.title, *(f"{e.id}={e.points:g}" for e in manifest.exercises)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def find_release(start: Path) -> Path:
    """The folder holding the manifest, at ``start`` or above it."""
    here = start.resolve()
    for folder in [here, *here.parents][:5]:
        if (folder / MANIFEST_NAME).is_file():
            return folder
    raise UsageError(f"no {MANIFEST_NAME} in {start} or above: run dlgrade collect inside the release "
                     "folder of your assignment (or pass --release DIR)")


def collect(release: Path, out: Path) -> list[str]:
    """Write the submission zip; returns the archive names of the student's files."""
    manifest = Manifest.load(release / MANIFEST_NAME)
    files: list[tuple[str, bytes]] = []
    for entry in manifest.exercises:
        for rel in (f"exercises/{entry.id}.py", f"notebooks/{entry.id}.ipynb"):
            if (release / rel).is_file():
                files.append((rel, (release / rel).read_bytes()))
    if not files:
        raise UsageError(f"nothing to collect in {release}: no exercises/<id>.py or notebooks/<id>.ipynb "
                         "of this assignment's exercises")
    stamp = {"assignment": assignment_key(manifest), "title": manifest.title, "course": manifest.course,
             "grader_version": __version__,
             "files": {name: hashlib.sha256(data).hexdigest() for name, data in files}}
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in [*files, (STAMP_FILE, (json.dumps(stamp, indent=2) + "\n").encode())]:
            info = zipfile.ZipInfo(name, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return [name for name, _ in files]


def wrong_assignment(upload: Path, manifest: Manifest) -> str | None:
    """A one-line explanation when ``upload`` holds a stamp made for another assignment, else None.

    The stamp is read like the rest of a submission: a regular file (never a link), size-checked.
    """
    try:
        stamps = sorted((len(e.path.parts), str(e.path)) for e in walk(upload)
                        if e.kind == "file" and e.path.name == STAMP_FILE)
        if not stamps:
            return None
        stamp = json.loads(read_regular(upload / stamps[0][1], MAX_STAMP_BYTES))
        key, title = str(stamp["assignment"]), str(stamp.get("title", "?"))[:100]
    except (Refused, ValueError, KeyError, TypeError):
        return None
    if key == assignment_key(manifest):
        return None
    return (f"This upload was collected for another assignment ({title!r}), not {manifest.title!r}: "
            "run 'dlgrade collect' in this assignment's folder and upload that zip.")
