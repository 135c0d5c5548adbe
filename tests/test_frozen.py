"""``grader.frozen.frozen`` makes the classes ``@dataclass(frozen=True)`` makes, without compiling code."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from grader import records
from grader.frozen import frozen


@dataclass(frozen=True)
class Plain:
    """Positional fields, defaults and a factory (the reference behaviour)."""

    x: int
    y: str = "a"
    z: list[int] = field(default_factory=list)
    w: float | None = field(default=None, compare=False, repr=False)


@frozen
class Fast:
    """The same fields as ``Plain``."""

    x: int
    y: str = "a"
    z: list[int] = field(default_factory=list)
    w: float | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class PlainKw:
    """Keyword-only fields, some required after some with defaults."""

    name: str
    description: str = ""
    points: float
    tags: tuple[str, ...] = ()


@frozen(kw_only=True)
class FastKw:
    """The same fields as ``PlainKw``."""

    name: str
    description: str = ""
    points: float
    tags: tuple[str, ...] = ()


def _outcome(call: Callable[[], Any]) -> tuple[str, str]:
    """What a call gives (its repr) or raises (type and message), class names left out."""
    try:
        return "ok", repr(call()).replace("Fast", "Plain")
    except Exception as exc:  # the error itself is what is compared
        return type(exc).__name__, str(exc).replace("Fast", "Plain")


CALLS: list[tuple[type, type, Callable[[type], Any]]] = [
    *((Plain, Fast, call) for call in (
        lambda c: c(1), lambda c: c(1, "b", [2], 3.0), lambda c: c(x=3, w=2.0), lambda c: c(),
        lambda c: c(1, x=2), lambda c: c(1, 2, 3, 4, 5), lambda c: c(1, q=2), lambda c: c(y="b"))),
    *((PlainKw, FastKw, call) for call in (
        lambda c: c(name="n", points=1.0), lambda c: c("n"), lambda c: c(),
        lambda c: c(name="n", points=2, z=1), lambda c: c(name="n", points=2, tags=("a",)))),
]


@pytest.mark.parametrize(("plain", "fast", "call"), CALLS)
def test_construction_reads_and_fails_alike(plain: type, fast: type, call: Callable[[type], Any]) -> None:
    assert _outcome(lambda: call(fast)) == _outcome(lambda: call(plain))


@pytest.mark.parametrize(("plain", "fast"), [(Plain, Fast), (PlainKw, FastKw)])
def test_introspection_is_a_dataclass(plain: type, fast: type) -> None:
    assert dataclasses.is_dataclass(fast)
    assert str(inspect.signature(fast)) == str(inspect.signature(plain))
    assert fast.__match_args__ == plain.__match_args__  # type: ignore[attr-defined]
    def shape(cls: type) -> list[tuple[Any, ...]]:
        return [(f.name, f.type, f.default, f.kw_only, f.compare, f.repr) for f in dataclasses.fields(cls)]

    assert shape(fast) == shape(plain)
    assert repr(fast.__dataclass_params__) == repr(plain.__dataclass_params__)  # type: ignore[attr-defined]


def test_equality_hash_and_immutability_match() -> None:
    nan = float("nan")
    for plain, fast in ((Plain(1, "b", w=2.0), Fast(1, "b", w=2.0)), (Plain(nan), Fast(nan))):
        assert (fast == copy.copy(fast)) == (plain == copy.copy(plain))  # the same object inside: equal
        assert _outcome(fast.__hash__) == _outcome(plain.__hash__)  # a list field: unhashable
    assert Fast(1, w=1.0) == Fast(1, w=2.0) and Fast(1) != Fast(2) and Fast(1) != Plain(1)
    assert hash(FastKw(name="n", points=1.0)) == hash(PlainKw(name="n", points=1.0))
    assert Fast(1).z is not Fast(1).z  # a fresh default from the factory each time
    for action in (lambda o: setattr(o, "x", 2), lambda o: setattr(o, "new", 2), lambda o: delattr(o, "y")):
        fast_obj, plain_obj = Fast(1), Plain(1)
        assert _outcome(lambda a=action, o=fast_obj: a(o)) == _outcome(lambda a=action, o=plain_obj: a(o))


def test_replace_asdict_pickle_and_copy_work() -> None:
    fast = Fast(1, "b", [2])
    assert dataclasses.replace(fast, x=5) == Fast(5, "b", [2])
    assert dataclasses.asdict(fast) == dataclasses.asdict(Plain(1, "b", [2]))
    assert pickle.loads(pickle.dumps(fast)) == fast and copy.deepcopy(fast) == fast


def test_a_record_that_holds_itself_prints() -> None:
    fast, plain = Fast(1), Plain(1)
    object.__setattr__(fast, "y", fast)
    object.__setattr__(plain, "y", plain)
    assert repr(fast).replace("Fast", "Plain") == repr(plain)


def test_the_grader_records_are_frozen_dataclasses() -> None:
    case = records.CaseResult(name="a", points=1.0, max_points=2.0, verdict=records.Verdict.PASSED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.name = "b"  # type: ignore[misc]
    assert records.CaseResult.__init__.__qualname__ == "CaseResult.__init__"
    assert dataclasses.replace(case, name="b").name == "b" and case.also == [] and case.also is not \
        records.CaseResult(name="a", points=1.0, max_points=2.0, verdict=records.Verdict.PASSED).also


def test_a_dataclass_may_subclass_a_frozen_class() -> None:
    """As a course pack may derive its own check from ``MatchReference``."""

    @dataclass(frozen=True)
    class Sub(Fast):
        """One more field."""

        extra: int = 0

    sub = Sub(1, extra=2)
    assert (sub.x, sub.extra, sub.z) == (1, 2, []) and sub == Sub(1, extra=2) and sub != Sub(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.x = 3  # type: ignore[misc]


def test_a_required_field_after_a_default_is_refused_alike() -> None:
    def declare(decorator: Callable[[type], type]) -> None:
        class Late:
            """A field without a default after one with a default."""

            a: int = 1
            b: int

        decorator(Late)

    assert _outcome(lambda: declare(frozen)) == _outcome(lambda: declare(dataclass(frozen=True)))
    assert _outcome(lambda: declare(frozen))[0] == "TypeError"
