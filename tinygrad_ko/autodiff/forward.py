"""Forward mode by dual numbers: tangents travel with values, nothing is taped.

A *dual* tensor carries, beside its value x, a tangent ẋ = ∂x/∂s for some
direction s. Every operation computes its output's tangent from its inputs'
tangents in the same pass (the ``jvp`` rules of the primitives), so after one
pass the output carries ∂f/∂s = J·ẋ: one column of the Jacobian per pass.

Object form, for class demos (like ``torch.autograd.forward_ad``)::

    with dual_level():
        x = make_dual(2.0, 1.0)        # x = 2, ẋ = 1
        y = x * x + 3 * x
        value, slope = unpack_dual(y)  # 10, 7

Function form, with JAX's argument order: ``jvp(f, primals, tangents)``.
Levels nest; an inner level never confuses its tangents with an outer one's.
"""

from __future__ import annotations

from typing import Callable

from ..backend import array_module
from ..errors import GradError, ShapeError
from ..tensor import graph
from ..tensor.chain_rule import with_tangent, without_levels_from
from ..tensor.graph import dual_level
from ..tensor.tensor import Tensor
from .inputs import as_tensor, output_tensor

__all__ = ["dual_level", "make_dual", "unpack_dual", "jvp"]


def _current_level(level):
    if level is not None:
        if level not in graph.STATE.open_levels:
            raise GradError(f"dual level {level} is not open; use it inside its `with dual_level()` block")
        return level
    if not graph.STATE.open_levels:
        raise GradError("make_dual/unpack_dual need an open level: use them inside `with dual_level():`")
    return graph.STATE.open_levels[-1]


def make_dual(primal, tangent, level: int | None = None) -> Tensor:
    """A tensor with ``primal``'s value carrying ``tangent`` at ``level`` (innermost by default)."""
    level = _current_level(level)
    primal = as_tensor(primal)
    tangent = as_tensor(tangent)
    if tangent.shape != primal.shape:
        raise ShapeError(f"make_dual: the tangent has shape {tangent.shape} but the primal has shape {primal.shape}")
    if any(carried >= level for carried in tangent.node.tangents):
        raise GradError("make_dual: the tangent itself carries a tangent at this level or an inner one")
    dual = with_tangent(primal, tangent.cast(primal.dtype), level)
    dual.name = primal.name
    return dual


def unpack_dual(tensor: Tensor, level: int | None = None) -> tuple[Tensor, Tensor]:
    """Split a dual tensor into (value, tangent) at ``level``; a zero tangent if it has none."""
    level = _current_level(level)
    tangent = tensor.node.tangents.get(level)
    if tangent is None:
        tangent = Tensor._from_array(array_module(tensor.data).zeros_like(tensor.data))
    return without_levels_from(tensor, level), tangent


def jvp(f: Callable, primals, tangents) -> tuple[Tensor, Tensor]:
    """Return ``(f(*primals), J·tangents)`` in one forward pass."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise GradError(f"jvp: {len(primals)} primal(s) but {len(tangents)} tangent(s)")
    with dual_level() as level:
        duals = [make_dual(p, t, level) for p, t in zip(primals, tangents)]
        out = output_tensor(f(*duals), "jvp")
        return unpack_dual(out, level)
