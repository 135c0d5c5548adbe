"""``dlgrade assign``: the student release.

A release folder holds ``exercises/<id>.py`` (stubs), ``notebooks/<id>.ipynb``,
``fixtures/`` (public cases' inputs and expected outputs, mistake
fingerprints), the grader as a wheel without any solutions
(``pip install dlgrade-*.whl``), a README and the manifest. It is built in
a temporary folder beside ``--out`` and moved into place only when complete,
so a failed run leaves nothing half-written and an existing folder is never
overwritten without ``--force``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import __version__
from grader.assign.course import write_pack
from grader.assign.fixtures import write_fixtures
from grader.assign.notebooks import Lang, build_notebook, write_notebook
from grader.assign.wheel import AUTOGRADER, NAME, build_wheel, wheel_name
from grader.check.selftest import reference_source
from grader.engine import registry
from grader.engine.manifest import MANIFEST_NAME, ExerciseEntry, Manifest, numpy_range
from grader.engine.stubs import strip_solutions
from grader.engine.texts import exercise_title
from grader.errors import UsageError
from grader.render.templates import environment

GRADER_DIR = Path(__file__).parent.parent  # the grader package
# The default title and course name, in the release's language (a title the instructor gave stays).
DEFAULT_WORDS: dict[str, dict[str, str]] = {
    "en": {}, "zh": {"dlgrade assignment": "dlgrade 作业", "Deep learning": "深度学习"}}


@dataclass(frozen=True)
class Spec:
    """What ``dlgrade assign`` was asked for."""

    exercises: tuple[str, ...]
    points: dict[str, float]
    lang: Lang = "en"
    title: str = "dlgrade assignment"
    course: str = "Deep learning"
    quizzes: tuple[str, ...] = ()
    wheel_url: str = ""  # where a notebook opened alone installs the grader from (else: beside it)
    on_exercise: Callable[[str], None] | None = field(default=None, compare=False, repr=False)


def parse_exercises(text: str | None) -> tuple[str, ...]:
    """Exercise ids from a comma-separated list (aliases resolved, duplicates dropped); all if empty."""
    if not text:
        return registry.available()
    return tuple(dict.fromkeys(registry.resolve(n) for n in text.split(",") if n.strip()))


def parse_points(text: str | None, ids: Iterable[str]) -> dict[str, float]:
    """``10`` (every exercise), ``knn=10,softmax=5``, or nothing (each suite's own total)."""
    ids = list(ids)
    points = {e: registry.load(e).points for e in ids}
    if not text:
        return points
    try:
        if "=" not in text:
            return dict.fromkeys(ids, _positive(float(text)))
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            ex = registry.resolve(name)
            if ex not in points:
                raise UsageError(f"--points names {ex}, which is not in --exercises")
            points[ex] = _positive(float(value))
    except ValueError:
        raise UsageError(f"--points {text!r}: give a number (10) or id=number pairs "
                         "(knn=10,softmax=5)") from None
    return points


def _positive(x: float) -> float:
    if not x > 0:
        raise UsageError(f"points must be positive, got {x:g}")
    return x


def grader_wheel(out_dir: Path, with_solutions: bool = False) -> Path:
    """The grader as a wheel; only instructor bundles add the solutions package."""
    packages = [GRADER_DIR]
    if with_solutions:
        found = importlib.util.find_spec("solutions")
        if found is None or not found.submodule_search_locations:
            raise UsageError("an instructor bundle needs the reference solutions: "
                             "pip install -e ./instructor in the dlgrade repository")
        packages.append(Path(next(iter(found.submodule_search_locations))))
    return build_wheel(packages, out_dir, AUTOGRADER if with_solutions else NAME)


def content_hash(root: Path) -> str:
    """SHA-256 over every file's relative path and bytes, the manifest excluded."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST_NAME):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_release(spec: Spec, root: Path) -> Manifest:
    """Write the student release into the empty folder ``root``."""
    for ex in spec.exercises:
        if spec.on_exercise is not None:
            spec.on_exercise(ex)  # progress: this exercise is being built
        stub = strip_solutions(reference_source(ex).text)
        (root / "exercises").mkdir(exist_ok=True)
        (root / "exercises" / f"{ex}.py").write_text(stub, encoding="utf-8")
        notebook = build_notebook(ex, stub, spec.lang, spec.wheel_url)
        write_notebook(notebook, root / "notebooks" / f"{ex}.ipynb")
        write_fixtures(ex, root / "fixtures")
    write_pack(spec.exercises, root)
    if spec.quizzes:  # the questions only: answers stay with the instructor
        from grader.quiz.release import write_quiz_release

        write_quiz_release(spec.quizzes, root, spec.lang)
    grader_wheel(root)
    entries = [ExerciseEntry(id=e, points=spec.points[e]) for e in spec.exercises]
    names = {e: exercise_title(e, registry.load(e).title, spec.lang) for e in spec.exercises}
    readme = environment().get_template("release_readme.md.j2").render(
        title=DEFAULT_WORDS[spec.lang].get(spec.title, spec.title),
        course=DEFAULT_WORDS[spec.lang].get(spec.course, spec.course),
        lang=spec.lang, exercises=entries, names=names, wheel=wheel_name())
    (root / "README.md").write_text(readme, encoding="utf-8")
    manifest = Manifest(course=spec.course, title=spec.title, grader_version=__version__,
                        lang=spec.lang, exercises=entries, quizzes=list(spec.quizzes),
                        content_hash=content_hash(root), numpy=numpy_range(np.__version__))
    manifest.save(root / MANIFEST_NAME)
    return manifest


def prepare_out(out: Path, force: bool) -> None:
    """Refuse to clobber anything but an earlier release, and that only with --force."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; name a folder to create")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise UsageError(f"--out {out} already exists and is not empty; choose a new folder "
                             "(or --force to replace an earlier dlgrade release)")
        if not (out / MANIFEST_NAME).is_file():
            raise UsageError(f"--out {out} is not a dlgrade release (no {MANIFEST_NAME}); "
                             "--force only replaces earlier releases")


def write_into(out: Path, force: bool, build: Callable[[Path], Manifest]) -> Manifest:
    """Build in a temporary sibling folder, then swap it in."""
    prepare_out(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a release is meant to be shared
    try:
        manifest = build(tmp)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return manifest


def write_release(spec: Spec, out: Path, force: bool = False) -> Manifest:
    """Write the student release into ``out``; an earlier release there is replaced only with ``force``.

    Raises:
        UsageError: A reference solution is not installed.
    """
    for ex in spec.exercises:
        if registry.reference(ex) is None:
            raise UsageError(f"{ex}: the reference solution is not installed; run dlgrade assign "
                             "from the instructor repository (with solutions/)")
    return write_into(out, force, lambda root: build_release(spec, root))
