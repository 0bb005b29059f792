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
forward-over-reverse products need no extra code. The engine adds the shares of
all inputs, sums a share back to its input's shape when broadcasting made it
larger (``unbroadcast``) and checks the shape; rules never deal with that.

``None`` in place of a rule marks an input that is not differentiable (the
condition of ``where``); the FLOPs of the rules themselves are counted as the
Tensor operations they run, so no separate derivative FLOP formula exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

Rule = Callable[..., object]


@dataclass(frozen=True)
class Primitive:
    """One differentiable operation: forward, VJP rules, JVP rules and FLOP count."""

    name: str
    forward: Callable[..., object]
    vjp: Sequence[Rule | None]
    jvp: Sequence[Rule | None]
    flops: Callable[..., int]
    doc: str = field(default="", compare=False)

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
    PRIMITIVES[primitive.name] = primitive
    return primitive


def elementwise_flops(out, *inputs, **params) -> int:
    """One operation per output element."""
    return int(out.size)


def no_flops(out, *inputs, **params) -> int:
    """Data movement only: reshapes, transposes, indexing, copies."""
    return 0
