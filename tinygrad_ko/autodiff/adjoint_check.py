"""The adjoint identity of a primitive's two rules: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩.

J v comes from forward mode (``jvp``: the JVP rules), Jᵀ u from reverse mode
(``vjp``: the VJP rules), for random u and v. Two rules that are each other's
transpose satisfy it to rounding; a JVP and a VJP that disagree do not. It does
not tell which of the two is wrong (finite differences do: ``gradcheck``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..tensor.chain_rule import apply
from ..tensor.tensor import Tensor
from .forward import jvp
from .functional import vjp


def input_tensors(arrays, dtype) -> list[Tensor]:
    """The arrays as Tensors of ``dtype``; a bool array (``where``'s condition) is
    made the way users make one: by a comparison."""
    return [Tensor(a.astype(dtype)) > 0.5 if a.dtype == bool else Tensor(a.astype(dtype)) for a in arrays]


def with_inputs(op, tensors: list[Tensor], params: dict, positions) -> Callable[..., Tensor]:
    """``op`` as a function of its inputs at ``positions`` alone, the others fixed at ``tensors``."""
    def of_some(*xs):
        args = list(tensors)
        for position, x in zip(positions, xs):
            args[position] = x
        return apply(op, *args, **params)
    return of_some


def adjoint_gap(f: Callable[[Tensor], Tensor], x: Tensor, rng) -> float:
    """|⟨u, J v⟩ − ⟨Jᵀ u, v⟩| / (1 + |⟨u, J v⟩| + |⟨Jᵀ u, v⟩|) for f at x, u and v normal."""
    v = Tensor(rng.standard_normal(x.shape).astype(x.dtype))
    out, jv = jvp(f, (x,), (v,))
    u = Tensor(rng.standard_normal(out.shape).astype(out.dtype))
    _, pullback = vjp(f, x)
    (jtu,) = pullback(u)
    assert jv.shape == out.shape and jtu.shape == x.shape
    left = float(np.sum(u.numpy().astype(np.float64) * jv.numpy()))
    right = float(np.sum(jtu.numpy().astype(np.float64) * v.numpy()))
    return abs(left - right) / (1 + abs(left) + abs(right))
