"""Declare a forward/backward pair once; get its routine cases.

An author says which functions form the pair, the shape of every input (by
named dimensions), what the forward returns and which gradient the backward
returns for which input. ``Layer.cases`` then derives:

- ``<name>_forward``: the forward's outputs match the reference;
- ``<name>_backward``: forward, then backward through the student's own
  cache, every gradient matching the reference;
- ``<name>_gradcheck``: every gradient against centred differences of the
  student's own forward, for every input that has one (no reference needed).

Every comparison goes through ``compare_array``, so a wrong shape, an
integer dtype where floats belong, or a NaN/Inf is named before any value is
compared; the reference-match cases also fail when an input array is changed
in place (``Unchanged``). ``Loss.cases`` does the same for a function
returning ``(loss, *gradients)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.engine.compare import GradCheck, MatchReference
from grader.engine.gradcheck import probes
from grader.engine.suite import Call, Case, Check, Judgement, Outputs, Ref, Visibility

Dims = Mapping[str, int]
# An input: a shape of dimension names or sizes, or a function (rng, dims) -> value.
InputSpec = tuple[str | int, ...] | Callable[[np.random.Generator, Dims], Any]
Build = Callable[[np.random.Generator], list[Call]]


@dataclass(frozen=True)
class Unchanged(Check):
    """The check ``inner``, and no input array may be changed in place.

    The sandbox compares every array argument before and after the calls.
    """

    inner: Check
    forbid_mutation = True

    @property
    def needs_expected(self) -> bool:  # type: ignore[override]
        """As the inner check."""
        return self.inner.needs_expected

    def judge(self, got: Outputs, expected: Outputs | None, calls: Sequence[Call],
              public: bool) -> Judgement:
        """The inner check's judgement (the sandbox's note on mutation decides the rest)."""
        return self.inner.judge(got, expected, calls, public)


def _make(spec: InputSpec, rng: np.random.Generator, dims: Dims) -> Any:
    if callable(spec):
        return spec(rng, dims)
    return rng.standard_normal(tuple(d if isinstance(d, int) else dims[d] for d in spec))


def labels(n: str, classes: str) -> Callable[[np.random.Generator, Dims], np.ndarray]:
    """An input of integer labels: shape ``(dims[n],)``, values in ``0..dims[classes]-1``."""
    def make(rng: np.random.Generator, dims: Dims) -> np.ndarray:
        return rng.integers(0, dims[classes], size=dims[n])
    return make


def fixed(value: Any) -> Callable[[np.random.Generator, Dims], Any]:
    """An input that is always ``value`` (a hyper-parameter, a dict of options)."""
    return lambda rng, dims: value


@dataclass(frozen=True)
class Layer:
    """A forward/backward pair in the CS231n form.

    ``forward(*inputs) -> (*outputs, cache)``; ``backward(dout, cache) -> grads``.

    Attributes:
        forward: name of the forward function.
        backward: name of the backward function.
        inputs: every forward argument in order: name -> shape or generator.
        outputs: names of the forward's return values; None marks the cache (or
            any value not compared). The first named output is the one
            differentiated, with upstream gradient ``dout`` of its shape.
        grads: backward return names in order, each ``"d" + input name``;
            inputs without a listed gradient are not gradient-checked.
        tol: tolerance of the reference comparisons (``rel_error``).
    """

    forward: str
    backward: str
    inputs: Mapping[str, InputSpec]
    outputs: tuple[str | None, ...] = ("out", None)
    grads: tuple[str, ...] = ()
    tol: float = 1e-7
    probes_per_input: int = 4
    differentiated: str = field(init=False, default="")

    def __post_init__(self) -> None:
        names = [o for o in self.outputs if o is not None]
        if not names:
            raise ValueError("Layer.outputs needs one named output to differentiate")
        object.__setattr__(self, "differentiated", names[0])
        unknown = [g for g in self.grads if g[1:] not in self.inputs]
        if unknown:
            raise ValueError(f"gradient {unknown[0]!r} names no input; inputs: {', '.join(self.inputs)}")

    def _args(self, rng: np.random.Generator, dims: Dims) -> tuple[Any, ...]:
        return tuple(_make(spec, rng, dims) for spec in self.inputs.values())

    def _cache_index(self) -> int:
        return len(self.outputs) - 1

    def _pair(self, args: tuple[Any, ...], dout: np.ndarray, label: str = "",
              returns: tuple[str | None, ...] | None = None, at: int = 0) -> list[Call]:
        return [Call(self.forward, args, returns=returns or self.outputs, label=label),
                Call(self.backward, (dout, Ref(at, self._cache_index())), returns=self.grads,
                     label=label, single=len(self.grads) == 1)]

    def forward_build(self, dims: Dims) -> Build:
        """Calls of the forward alone on random inputs of these sizes."""
        def build(rng: np.random.Generator) -> list[Call]:
            return [Call(self.forward, self._args(rng, dims), returns=self.outputs)]
        return build

    def backward_build(self, dims: Dims, out_shape: tuple[str | int, ...]) -> Build:
        """Forward, then backward through the student's cache with a random upstream gradient."""
        def build(rng: np.random.Generator) -> list[Call]:
            args = self._args(rng, dims)
            dout = _make(out_shape, rng, dims)
            return self._pair(args, dout)
        return build

    def gradcheck_build(self, dims: Dims, out_shape: tuple[str | int, ...], count: int) -> Build:
        """The analytic gradients against centred differences of the student's forward."""
        def build(rng: np.random.Generator) -> list[Call]:
            args = self._args(rng, dims)
            dout = _make(out_shape, rng, dims)
            calls = self._pair(args, dout)
            returns = tuple("f" if o == self.differentiated else None for o in self.outputs)
            for grad in self.grads:
                wrt = list(self.inputs).index(grad[1:])
                calls += probes(self.forward, args, wrt, grad, rng, count, returns=returns,
                                weight=dout)
            return calls
        return build

    def cases(self, name: str, dims: Dims, out_shape: tuple[str | int, ...], *, seed: int,
              visibility: Visibility = "public", points: tuple[float, float, float] = (1, 1, 1),
              what: str = "") -> tuple[Case, Case, Case]:
        """The three routine cases of this pair at one set of sizes.

        Args:
            name: prefix of the case names (``hidden_`` is added for hidden cases).
            dims: sizes of the named dimensions, e.g. ``{"N": 3, "D": 4}``.
            out_shape: shape of the differentiated output (names or sizes).
            seed: seed of the first case; the others use seed + 1, seed + 2.
            visibility: "public" or "hidden".
            points: points of the forward, backward and gradient-check cases.
            what: a few words for the descriptions, e.g. "N=1".
        """
        prefix = "hidden_" if visibility == "hidden" and not name.startswith("hidden_") else ""
        sizes = what or ", ".join(f"{k}={v}" for k, v in dims.items())
        match = Unchanged(MatchReference(self.tol))
        return (
            Case(f"{prefix}{name}_forward", points[0], self.forward_build(dims), match, seed=seed,
                 visibility=visibility, description=f"{self.forward} matches the reference ({sizes})"),
            Case(f"{prefix}{name}_backward", points[1], self.backward_build(dims, out_shape), match,
                 seed=seed + 1, visibility=visibility,
                 description=f"{self.backward}: every gradient matches the reference ({sizes})"),
            Case(f"{prefix}{name}_gradcheck", points[2],
                 self.gradcheck_build(dims, out_shape, self.probes_per_input), GradCheck(),
                 seed=seed + 2, visibility=visibility,
                 description=f"{', '.join(self.grads)} against the numerical gradient of your "
                 f"own {self.forward} ({sizes})"),
        )


@dataclass(frozen=True)
class Loss:
    """A function ``f(*inputs) -> (loss, *grads)`` (a loss with its own gradients).

    Attributes:
        func: the function's name.
        inputs: every argument in order: name -> shape or generator.
        grads: the gradient return names after ``loss``, each ``"d" + input name``.
    """

    func: str
    inputs: Mapping[str, InputSpec]
    grads: tuple[str, ...]
    tol: float = 1e-7
    probes_per_input: int = 4

    def _args(self, rng: np.random.Generator, dims: Dims) -> tuple[Any, ...]:
        return tuple(_make(spec, rng, dims) for spec in self.inputs.values())

    def build(self, dims: Dims) -> Build:
        """One call of the function on random inputs of these sizes."""
        def build(rng: np.random.Generator) -> list[Call]:
            return [Call(self.func, self._args(rng, dims), returns=("loss", *self.grads))]
        return build

    def gradcheck_build(self, dims: Dims, count: int) -> Build:
        """The call, then probes of every gradient's input (``count`` elements each)."""
        def build(rng: np.random.Generator) -> list[Call]:
            args = self._args(rng, dims)
            calls = [Call(self.func, args, returns=("loss", *self.grads))]
            returns = ("f",) + (None,) * len(self.grads)
            for grad in self.grads:
                wrt = list(self.inputs).index(grad[1:])
                calls += probes(self.func, args, wrt, grad, rng, count, returns=returns)
            return calls
        return build

    def cases(self, name: str, dims: Dims, *, seed: int, visibility: Visibility = "public",
              points: tuple[float, float] = (1, 1), what: str = "") -> tuple[Case, Case]:
        """A reference-match case and a numerical gradient check at one set of sizes."""
        prefix = "hidden_" if visibility == "hidden" and not name.startswith("hidden_") else ""
        sizes = what or ", ".join(f"{k}={v}" for k, v in dims.items())
        return (
            Case(f"{prefix}{name}", points[0], self.build(dims), Unchanged(MatchReference(self.tol)),
                 seed=seed,
                 visibility=visibility, description=f"loss and {', '.join(self.grads)} match the "
                 f"reference ({sizes})"),
            Case(f"{prefix}{name}_gradcheck", points[1], self.gradcheck_build(dims, self.probes_per_input),
                 GradCheck(), seed=seed + 1, visibility=visibility,
                 description=f"{', '.join(self.grads)} against the numerical gradient of your own "
                 f"loss ({sizes})"),
        )
