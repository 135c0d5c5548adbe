"""Instructor bundles for the course platforms.

Gradescope: a zip with ``setup.sh``, ``run_autograder``, the manifest, the
instructor wheel (grader + solutions + hidden cases) and, with a secret, the
secret file. It never goes to students. Classroom 50 and PrairieLearn:
``grader.assign.platforms``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from grader import __version__
from grader.assign.course import pack_files
from grader.assign.release import Spec, grader_wheel, write_into
from grader.engine.manifest import MANIFEST_NAME, ExerciseEntry, Manifest
from grader.platforms.gradescope import SECRET_FILE
from grader.render.templates import environment

BUNDLE_NAME = "gradescope-autograder.zip"
EPOCH = (1980, 1, 1, 0, 0, 0)


def _add(zf: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, EPOCH)
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_gradescope(spec: Spec, root: Path, secret: bytes | None) -> Manifest:
    """Write the Gradescope bundle (a zip, plus the instructor wheel beside it) into ``root``."""
    wheel = grader_wheel(root, with_solutions=True)
    manifest = Manifest(course=spec.course, title=spec.title, grader_version=__version__,
                        lang=spec.lang, exercises=[ExerciseEntry(id=e, points=spec.points[e])
                                                   for e in spec.exercises])
    env = environment()
    with zipfile.ZipFile(root / BUNDLE_NAME, "w") as zf:
        _add(zf, "setup.sh", env.get_template("gradescope_setup.sh.j2").render(
            wheel=wheel.name).encode(), executable=True)
        _add(zf, "run_autograder", env.get_template("gradescope_run_autograder.j2").render(
            version=__version__).encode(), executable=True)
        _add(zf, MANIFEST_NAME, (manifest.model_dump_json(indent=2) + "\n").encode())
        _add(zf, wheel.name, wheel.read_bytes())
        for name, data in pack_files(spec.exercises, full=True).items():
            _add(zf, name, data)  # the run script points DLGRADE_COURSE at source/course
        if secret:
            _add(zf, SECRET_FILE, secret + b"\n")
    manifest.save(root / MANIFEST_NAME)
    return manifest


def write_gradescope(spec: Spec, out: Path, secret: bytes | None, force: bool = False) -> Manifest:
    """Write the Gradescope bundle into ``out``; an earlier release there is replaced only with ``force``."""
    return write_into(out, force, lambda root: build_gradescope(spec, root, secret))

