"""Loading the quiz bank (student side) and, where installed, its answer key."""

from __future__ import annotations

import importlib
import importlib.resources
import importlib.util
import tomllib
from collections.abc import Callable
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from grader.errors import UsageError, did_you_mean
from grader.quiz.models import Key, Quiz

ORDER = ("ml-basics", "activations", "losses", "backprop", "cnn-shapes", "rnn-lstm", "word2vec",
         "optimizers", "regularization")
KEY_PACKAGE = "solutions.quiz"
M = TypeVar("M", bound=BaseModel)


def bank_dir() -> Traversable:
    """The folder of the question bank's TOML files."""
    return importlib.resources.files("grader.quiz") / "bank"


@cache
def available() -> tuple[str, ...]:
    """Quiz ids of the bank, in course order."""
    ids = [p.name[:-5] for p in bank_dir().iterdir() if p.name.endswith(".toml")]
    rank = {q: i for i, q in enumerate(ORDER)}
    return tuple(sorted(ids, key=lambda q: (rank.get(q, len(ORDER)), q)))


def resolve(name: str) -> str:
    """A quiz id from what a user typed (``cnn_shapes`` works too)."""
    quiz = name.strip().lower().replace("_", "-").removesuffix(".toml")
    if quiz in available():
        return quiz
    raise UsageError(f"unknown quiz {name!r}{did_you_mean(quiz, available())}; see 'dlgrade quiz list'")


def _parse(model: type[M], text: str, where: str) -> M:
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return model.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{where}: {loc}: {first['msg']}") from None


@cache
def load(quiz_id: str) -> Quiz:
    """The validated quiz ``quiz_id`` (an alias is resolved) from the question bank.

    Raises:
        UsageError: Its file's id does not match the file name.
    """
    path = bank_dir() / f"{resolve(quiz_id)}.toml"
    quiz = _parse(Quiz, path.read_text(encoding="utf-8"), f"quiz bank {path.name}")
    if quiz.id != path.name[:-5]:
        raise UsageError(f"quiz bank {path.name}: id {quiz.id!r} does not match the file name")
    return quiz


def key_installed() -> bool:
    """Whether the instructor's answer key package is installed."""
    try:
        return importlib.util.find_spec(KEY_PACKAGE) is not None
    except ModuleNotFoundError:
        return False


@cache
def answer_functions() -> dict[str, Callable[..., float]]:
    """The answer functions of numeric questions, by name (needs the answer key)."""
    module = importlib.import_module(f"{KEY_PACKAGE}.functions")
    return dict(module.FUNCTIONS)


@cache
def load_key(quiz_id: str) -> Key | None:
    """The answer key, checked against the questions; None in a student release."""
    if not key_installed():
        return None
    quiz = load(quiz_id)
    path = importlib.resources.files(KEY_PACKAGE) / f"{quiz.id}.toml"
    if not path.is_file():
        return None
    key = _parse(Key, path.read_text(encoding="utf-8"), f"answer key {path.name}")
    problems = key_problems(quiz, key)
    if problems:
        raise UsageError(f"answer key {path.name}: {problems[0]}")
    return key


def key_problems(quiz: Quiz, key: Key) -> list[str]:
    """Every way the key does not fit the questions (empty when it does)."""
    out = [f"no answer for question {q.id!r}" for q in quiz.questions if q.id not in key.answers]
    ids = {q.id for q in quiz.questions}
    out += [f"answer for unknown question {a!r}" for a in key.answers if a not in ids]
    functions = answer_functions()
    for q in quiz.questions:
        a = key.answers.get(q.id)
        if a is None:
            continue
        if q.kind == "single" and a.choice not in q.keys:
            out.append(f"{q.id}: single-choice answer must be one of {q.keys}")
        if q.kind == "multiple" and not (a.choices and set(a.choices) <= set(q.keys)):
            out.append(f"{q.id}: multiple-choice answer must be a list drawn from {q.keys}")
        if q.kind == "numeric" and q.randomized and a.function not in functions:
            out.append(f"{q.id}: randomized question needs function = one of solutions.quiz.functions")
        if q.kind == "numeric" and not q.randomized and a.value is None:
            out.append(f"{q.id}: numeric question needs value = ...")
    return out

