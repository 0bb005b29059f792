"""The primitive registry: one entry per primitive, all four parts side by side.

A primitive is the smallest operation the engine differentiates. Each entry holds

* ``forward(*arrays, **params) -> array`` — the value, computed on plain arrays;
* ``vjp[i](g, out, *inputs, **params)`` — input i's share of the reverse-mode
  adjoint: given the adjoint ``g = ∂L/∂out`` it returns ``∂L/∂input_i`` along
  the edge input_i → out, i.e. ``g · ∂out/∂input_i``;
* ``jvp[i](t, out, *inputs, **params)`` — input i's share of the forward-mode
  tangent: given the tangent ``t = ∂input_i/∂s`` it returns ``∂out/∂input_i · t``;
* ``flops(out, *inputs, **params) -> int`` — floating-point operations of the
  forward on these arrays (one per elementwise add, multiply, compare, exp, ...).

The rules get and return ``Tensor`` objects and are written with Tensor
operations, so a rule is itself differentiable: grad of grad, Hessians and
forward-over-reverse products need no extra code. Most are spelled so that
they run on raw arrays too (``g * y``; ``select``, ``cos``, ``sum_to`` … from
``ops.either`` where a method is needed); such an entry says so with
``on_arrays=True``, and a plain first-order ``backward()`` and the batched
Jacobians run the very same rules on arrays, skipping the Tensor bookkeeping.
Each derivative is written here once. The engine adds the shares of all
inputs, sums a share back to its input's shape when broadcasting made it
larger (``unbroadcast``) and checks the shape; rules never deal with that.

``None`` in place of a rule marks an input that is not differentiable (the
condition of ``where``); the FLOPs of the rules themselves are counted as the
Tensor operations they run, so no separate derivative FLOP formula exists.

Besides the four parts, an entry carries as data what the other interpreters
need, so none of them keeps a list of its own:

* ``kind`` — elementwise, reduction, shape, linear algebra or fused (``Kind``):
  the drawing writes one derivative per element only for elementwise
  primitives, and the cost table groups its FLOPs by kind;
* ``partials`` — for an elementwise primitive, the local derivative
  ``∂z/∂input`` of each input in symbols, keyed by the input's name in that
  notation, in input order (``{"x": "y", "y": "x"}`` for ``z = x · y``); the
  drawing writes it on the edge with the drawn names put in (``∂e/∂c = d``);
* ``symbol`` — the operator a formula is written with, as in Python: between
  the two inputs (``+``, ``@``) or before the one input (``-``); without one a
  primitive is written as a call, ``exp(a)``;
* ``on_arrays`` — True when the rules run on arrays as well as on Tensors
  (see above); a copy of an entry with other rules (a student's) sets it
  again, False unless its rules are spelled that way too;
* ``broadcasts`` — True when the inputs line up with the output from the
  right, as NumPy broadcasting does (the binary elementwise primitives,
  matmul's leading axes, ``broadcast_to``): the batched sweeps then give a
  batched input length-1 axes after the batch axis so that it still lines up;
* ``batching`` — how the rules run with a batch axis in front of g (or t),
  for the batched Jacobians: ``BROADCASTS`` (elementwise and matrix
  products: the batch axis broadcasts through the rule as it is), a function
  ``(batch, **params) -> params`` giving the parameters for inputs and output
  that have a batch axis of length ``batch`` in front (``axis=(0,)`` becomes ``axis=(1,)``; None where it
  cannot), or None (the sweep runs the rule one batch row at a time);
* ``typed`` — what a student types for it in an expression: its ``symbol``
  (``+``), or its name as a function of one argument (``sin``); None when it
  cannot be typed. The parser's operators and functions are exactly the typed
  entries (plus the composites in ``tensor.functions.TYPED_COMPOSITES``), with
  ``arity`` (the number of VJP rules) as the number of arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Mapping, Sequence

Rule = Callable[..., object]


class Kind(str, Enum):
    """What a primitive does to the elements of its inputs."""

    ELEMENTWISE = "elementwise"        # output element k depends only on element k of each input
    REDUCTION = "reduction"            # many elements combined into one (sum, max)
    SHAPE = "shape"                    # elements moved or copied, no arithmetic
    LINEAR_ALGEBRA = "linear algebra"  # matrix products
    FUSED = "fused"                    # several steps computed as one primitive (an LSTM cell)


BROADCASTS = "broadcasts"
"""``Primitive.batching`` of a primitive whose rules broadcast over a batch axis in front as they are."""

OUTPUT = "z"
"""The output's name in ``Primitive.partials`` (the inputs are named by its keys)."""


@dataclass(frozen=True)
class Primitive:
    """One differentiable operation: forward, VJP rules, JVP rules and FLOP count,
    and the data the parser, the drawing and the cost counter read (see the module)."""

    name: str
    forward: Callable[..., object]
    vjp: Sequence[Rule | None]
    jvp: Sequence[Rule | None]
    flops: Callable[..., int]
    doc: str = field(default="", compare=False)
    kind: Kind | None = None
    partials: Mapping[str, str | None] = field(default_factory=dict, compare=False)
    symbol: str | None = None
    typed: str | None = None
    on_arrays: bool = False
    broadcasts: bool = False
    batching: object = field(default=None, compare=False)

    @property
    def arity(self) -> int | None:
        """How many inputs it takes: one VJP rule each; None for any number (``PerInput``)."""
        return None if isinstance(self.vjp, PerInput) else len(self.vjp)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


class PerInput:
    """Rules for a primitive with any number of inputs (``concatenate``).

    ``PerInput(rule)[i]`` is ``rule`` with the input's position bound as its
    first argument, so the engine reads it exactly like a fixed tuple of rules.
    """

    def __init__(self, rule: Rule):
        self.rule = rule

    def __getitem__(self, position: int) -> Rule:
        def rule_for_input(*args, **params):
            return self.rule(position, *args, **params)

        return rule_for_input


PRIMITIVES: dict[str, Primitive] = {}


def register(primitive: Primitive) -> Primitive:
    """Add ``primitive`` to the registry (its name must be new) and return it."""
    if primitive.name in PRIMITIVES:
        raise ValueError(f"primitive {primitive.name!r} is registered twice")
    problem = entry_problem(primitive)
    if problem is not None:
        raise ValueError(f"primitive {primitive.name!r}: {problem}")
    PRIMITIVES[primitive.name] = primitive
    return primitive


def entry_problem(primitive: Primitive) -> str | None:
    """What is missing or inconsistent in an entry's data fields, or None."""
    if not isinstance(primitive.kind, Kind):
        return "give it a kind (a Kind: elementwise, reduction, shape, linear algebra or fused)"
    if primitive.kind is Kind.ELEMENTWISE and len(primitive.partials) != primitive.arity:
        return f"an elementwise primitive names its {primitive.arity} input(s) in partials"
    if primitive.symbol is not None and primitive.arity not in (1, 2):
        return "only a primitive with one input (prefix) or two (infix) is written with a symbol"
    typed = primitive.typed
    if typed is not None and typed not in (primitive.symbol, primitive.name):
        return "a student types its symbol, or its name as a function"
    if typed is not None and typed == primitive.name and primitive.arity != 1:
        return "a function a student types takes one argument"
    return None


def elementwise_flops(out, *inputs, **params) -> int:
    """One operation per output element."""
    return int(out.size)


def no_flops(out, *inputs, **params) -> int:
    """Data movement only: reshapes, transposes, indexing, copies."""
    return 0
