"""``@frozen``: ``@dataclass(frozen=True)`` without compiling code when its module is imported.

``dataclasses.dataclass`` writes ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` of a frozen class as source text and compiles
each one, 2 to 4 million instructions a class (a millisecond): some thirty classes on
the way of ``dlgrade check`` cost that before any case runs.
``frozen`` lets ``dataclass`` collect the fields (so ``dataclasses.fields``,
``replace``, ``asdict`` and ``is_dataclass`` work as ever) and gives the class the
same six methods as closures over its fields: the same signature, repr, equality,
hash and ``FrozenInstanceError``.

A ``@dataclass(frozen=True)`` may subclass a ``@frozen`` class (a course pack's own
check, say). The generated ``__init__`` is the faster one for a small class made over
and over (a call, a judgement), so those stay dataclasses.
"""

from __future__ import annotations

import dataclasses
import inspect
import operator
import reprlib
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")
_MISSING = dataclasses.MISSING


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen(cls: type[T] | None = None, /, *, kw_only: bool = False) -> Any:
    """The class as ``@dataclass(frozen=True, kw_only=kw_only)`` would make it (see the module)."""
    if cls is None:
        return lambda c: _make(c, kw_only)
    return _make(cls, kw_only)


def _make(cls: type[T], kw_only: bool) -> type[T]:
    if "__post_init__" in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: @frozen has no __post_init__; use @dataclass(frozen=True)")
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, kw_only=kw_only)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = params.frozen = True  # what the class now is
    _add(cls, "__init__", _init(cls, fields))
    _add(cls, "__repr__", _repr([f.name for f in fields if f.repr]))
    _add(cls, "__eq__", _eq(_values([f.name for f in fields if f.compare])))
    explicit = cls.__dict__.get("__hash__", _MISSING)
    if explicit is _MISSING or (explicit is None and "__eq__" in cls.__dict__):  # as dataclass decides
        if explicit is None:
            delattr(cls, "__hash__")
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        _add(cls, "__hash__", _hash(_values(hashed)))
    names = frozenset(f.name for f in fields)
    for name, method in (("__setattr__", _setattr(cls, names)), ("__delattr__", _delattr(cls, names))):
        if name in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        _add(cls, name, method)
    return cls


def _add(cls: type, name: str, method: Callable[..., Any]) -> None:
    """Set ``method`` unless the class defines ``name`` itself (as ``dataclass`` does)."""
    if name not in cls.__dict__:
        method.__name__ = name
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        method.__module__ = cls.__module__
        setattr(cls, name, method)


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes (a tuple even of one or none, as ``dataclass`` compares)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], Any]:
    def eq(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return eq


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def hash_(self: Any) -> int:
        return hash(values(self))

    return hash_


def _repr(names: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def text(self: Any) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inside})"

    return text


def _setattr(owner: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def setattr_(self: Any, name: str, value: Any) -> None:
        if type(self) is owner or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)  # type: ignore[arg-type]

    return setattr_


def _delattr(owner: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def delattr_(self: Any, name: str) -> None:
        if type(self) is owner or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)  # type: ignore[arg-type]

    return delattr_


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """``__init__``: the fields as parameters in order, keyword-only ones after a ``*``."""
    taken = [f for f in fields if f.init]
    positional = [f.name for f in taken if not f.kw_only]
    seen_default = False
    for f in (f for f in taken if not f.kw_only):
        if f.default is _MISSING and f.default_factory is _MISSING and seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or f.default is not _MISSING or f.default_factory is not _MISSING
    order = [f.name for f in taken if not f.kw_only] + [f.name for f in taken if f.kw_only]
    default = {f.name: f.default for f in fields if f.default is not _MISSING}
    factory = {f.name: f.default_factory for f in fields if f.default_factory is not _MISSING}
    unset = [f.name for f in fields if not f.init and f.name in default.keys() | factory.keys()]
    where = f"{cls.__qualname__}.__init__()"
    low = len([n for n in positional if n not in default and n not in factory])
    put = object.__setattr__

    tails = [order[i:] for i in range(len(positional) + 1)]  # the names left after i positional values

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            if len(args) > len(positional):
                raise TypeError(_too_many(where, len(positional) + 1, low + 1, len(args) + 1))
            for name, value in zip(positional, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{where} got multiple values for argument {name!r}")
                put(self, name, value)
        for name in tails[len(args)]:
            if name in kwargs:
                put(self, name, kwargs.pop(name))
            elif name in default:
                put(self, name, default[name])
            elif name in factory:
                put(self, name, factory[name]())
            else:
                missing = [n for n in order if n not in self.__dict__ and n not in kwargs
                           and n not in default and n not in factory]
                raise TypeError(_missing(where, missing, positional))
        if kwargs:
            raise TypeError(f"{where} got an unexpected keyword argument {next(iter(kwargs))!r}")
        for name in unset:
            put(self, name, default[name] if name in default else factory[name]())

    init.__signature__ = _signature(taken)  # type: ignore[attr-defined]
    return init


def _signature(taken: list[dataclasses.Field[Any]]) -> inspect.Signature:
    """What ``inspect.signature`` shows: ``dataclass``'s ``__init__`` parameters."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    params = [inspect.Parameter("self", kinds[0])]
    for kw_only in (False, True):
        for f in (f for f in taken if bool(f.kw_only) is kw_only):
            value = f.default if f.default is not _MISSING else (
                inspect.Parameter.empty if f.default_factory is _MISSING else _Factory())
            params.append(inspect.Parameter(f.name, kinds[kw_only], default=value, annotation=f.type))
    return inspect.Signature(params, return_annotation=None)


class _Factory:
    """A default made by a factory, shown as ``dataclass`` shows it."""

    def __repr__(self) -> str:
        return "<factory>"


def _too_many(where: str, most: int, least: int, given: int) -> str:
    """CPython's words for too many positional arguments (``self`` counted)."""
    takes = f"from {least} to {most}" if least < most else str(most)
    return (f"{where} takes {takes} positional argument{'s' if most > 1 or least < most else ''} "
            f"but {given} {'were' if given > 1 else 'was'} given")


def _missing(where: str, missing: list[str], positional: list[str]) -> str:
    """CPython's words for missing arguments: positional ones first, then keyword-only ones."""
    for kind, names in (("positional", [n for n in missing if n in positional]),
                        ("keyword-only", [n for n in missing if n not in positional])):
        if names:
            quoted = [repr(n) for n in names]
            listed = quoted[0] if len(quoted) == 1 else (
                f"{quoted[0]} and {quoted[1]}" if len(quoted) == 2
                else ", ".join(quoted[:-1]) + f", and {quoted[-1]}")
            plural = "s" if len(names) > 1 else ""
            return f"{where} missing {len(names)} required {kind} argument{plural}: {listed}"
    return where
