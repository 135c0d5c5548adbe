"""Instructor bundles for Classroom 50 and PrairieLearn (``dlgrade assign --autograder ...``).

Classroom 50: ``template/`` is the student release (push it as the assignment
template) and ``autograders/<slug>/`` goes to ``CLASSROOM/autograders/<slug>/``
of the teacher's ``classroom50`` repository: ``autograder.py``, the manifest,
the public fixtures and the student grader wheel (no solutions; the bundle is
served from the organisation's Pages site).

PrairieLearn: ``questions/<slug>/<id>/`` (one question per exercise: ``info.json``
with ``externalGradingOptions``, ``question.html`` with a file editor and an
upload, the starter code) and ``serverFilesCourse/dlgrade/`` (the entrypoint,
the manifest, fixtures, the instructor wheel and, with a secret, the secret),
plus a ``Dockerfile`` for the grading image.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

from grader import __version__
from grader.assign.course import pack_files
from grader.assign.release import Spec, build_release, grader_wheel, write_into
from grader.assign.wheel import wheel_name
from grader.engine.manifest import MANIFEST_NAME, Manifest
from grader.platforms.gradescope import SECRET_FILE
from grader.render.templates import render

PL_DIR = "dlgrade"  # under serverFilesCourse/
PL_TIMEOUT = 120  # seconds; PrairieLearn allows at most 600


def slug(title: str) -> str:
    """A folder name from an assignment title: ``Deep learning HW 1`` -> ``deep-learning-hw-1``."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "assignment"


def _release(spec: Spec, root: Path) -> Manifest:
    root.mkdir(parents=True)
    return build_release(spec, root)


def build_classroom50(spec: Spec, root: Path) -> Manifest:
    """``template/`` (the student release) and ``autograders/<slug>/`` (the grading bundle)."""
    manifest = _release(spec, root / "template")
    bundle = root / "autograders" / slug(spec.title)
    bundle.mkdir(parents=True)
    shutil.copytree(root / "template" / manifest.fixtures, bundle / "fixtures")
    shutil.copy2(root / "template" / wheel_name(), bundle / wheel_name())
    _write_files(bundle, pack_files(spec.exercises, full=False))  # served from Pages: no solutions
    manifest.save(bundle / MANIFEST_NAME)
    script = render("classroom50_autograder.py.j2", title=spec.title, version=__version__,
                    wheel=wheel_name(), manifest=MANIFEST_NAME)
    (bundle / "autograder.py").write_text(script, encoding="utf-8")
    (bundle / "autograder.py").chmod(0o755)
    _readme(root, "classroom50_readme.md.j2", spec, manifest)
    manifest.save(root / MANIFEST_NAME)
    return manifest


def question_uuid(spec: Spec, exercise: str) -> str:
    """A stable UUID per (course, title, exercise): regenerating keeps PrairieLearn's question ids."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dlgrade:{spec.course}:{spec.title}:{exercise}"))


def build_prairielearn(spec: Spec, root: Path, secret: bytes | None, image: str) -> Manifest:
    """A question per exercise, the shared grading files, and the grading image's Dockerfile."""
    from grader.engine import registry

    release = root / ".release"
    manifest = _release(spec, release)
    files = root / "serverFilesCourse" / PL_DIR
    files.mkdir(parents=True)
    shutil.copytree(release / manifest.fixtures, files / "fixtures")
    manifest.save(files / MANIFEST_NAME)
    grader_wheel(files, with_solutions=True)
    _write_files(files, pack_files(spec.exercises, full=True))  # a course pack, hidden cases included
    if secret:
        (files / SECRET_FILE).write_bytes(secret + b"\n")
    run = files / "run.sh"
    run.write_text(render("prairielearn_run.sh.j2", version=__version__), encoding="utf-8")
    run.chmod(0o755)
    shutil.copy2(release / wheel_name(), root / wheel_name())
    dockerfile = render("prairielearn_dockerfile.j2", version=__version__, wheel=wheel_name())
    (root / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    points = {e.id: e.points for e in manifest.exercises}
    for ex in spec.exercises:
        question = root / "questions" / slug(spec.title) / ex
        question.mkdir(parents=True)
        shutil.copy2(release / "exercises" / f"{ex}.py", question / "starter.py")
        suite = registry.load(ex)
        info = {"uuid": question_uuid(spec, ex), "title": f"{spec.title}: {suite.title}",
                "topic": spec.course, "tags": ["dlgrade", ex], "type": "v3", "singleVariant": True,
                "gradingMethod": "External",
                "externalGradingOptions": {
                    "enabled": True, "image": image, "serverFilesCourse": [f"{PL_DIR}/"],
                    "entrypoint": [f"/grade/serverFilesCourse/{PL_DIR}/run.sh", ex],
                    "timeout": PL_TIMEOUT}}
        (question / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        html = render("prairielearn_question.html.j2", exercise=ex, title=suite.title,
                      teaches=suite.teaches, functions=suite.functions, points=points[ex])
        (question / "question.html").write_text(html, encoding="utf-8")
    shutil.rmtree(release)
    _readme(root, "prairielearn_readme.md.j2", spec, manifest, image=image)
    manifest.save(root / MANIFEST_NAME)
    return manifest


def _write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _readme(root: Path, template: str, spec: Spec, manifest: Manifest, **extra: str) -> None:
    text = render(template, title=spec.title, slug=slug(spec.title), version=__version__,
                  wheel=wheel_name(), exercises=manifest.exercises, **extra)
    (root / "README.md").write_text(text, encoding="utf-8")


def write_classroom50(spec: Spec, out: Path, force: bool = False) -> Manifest:
    """Build the Classroom 50 folder at ``out`` (atomically; ``force`` replaces an earlier one)."""
    return write_into(out, force, lambda root: build_classroom50(spec, root))


def write_prairielearn(spec: Spec, out: Path, secret: bytes | None, image: str,
                       force: bool = False) -> Manifest:
    """Build the PrairieLearn folder at ``out`` (atomically; ``force`` replaces an earlier one)."""
    return write_into(out, force, lambda root: build_prairielearn(spec, root, secret, image))
