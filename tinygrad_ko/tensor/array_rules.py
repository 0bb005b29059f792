"""First-order VJP rules on raw arrays: the fast path of a plain ``backward()``.

The registry's rules (``tinygrad_ko/ops``) are written with Tensor operations,
so that they can be differentiated again: ``create_graph=True``, ``grad`` of
``grad``, forward-over-reverse ``hvp``. When nobody will differentiate the
adjoints — a plain ``loss.backward()`` in a training loop — every one of
those Tensor operations still builds a wrapper object and walks the engine's
checks, only to be thrown away. That bookkeeping costs more than the
arithmetic on small arrays.

So for the primitives a training step uses most, this table holds the *same
formulas* written on arrays, one line each. ``chain_rule.backpropagate`` uses
them only when ``first_order_only()`` says no higher order is being asked for;
a primitive not in the table falls back to its registry rule. The two are kept
equal by a test (``tests/test_engine_array_rules.py``) that runs both on the
same inputs for every entry: the registry stays the one definition of each
derivative, and this table is only a faster spelling of it.

Each entry has the registry's layout: one rule per input, ``rule(g, z, *inputs,
**params)`` with ``g = ∂L/∂z``, returning input i's share ``g · ∂z/∂xᵢ`` (an
array, in whatever shape broadcasting gave it); None for an input that takes
no gradient.
"""

from __future__ import annotations

import numpy as np

from ..ops import PRIMITIVES
from ..ops.reduce import kept_shape
from ..ops.shape import inverse_permutation, scatter_forward


def _matrix_transpose(a):
    """Swap the last two axes (a view)."""
    return a.swapaxes(-1, -2)


def relu_share(g, x):
    """g · 1[x > 0], selecting instead of multiplying where g holds ±∞ or NaN (as the registry does)."""
    if np.isfinite(g).all():
        return g * (x > 0)
    return np.where(x > 0, g, np.zeros((), dtype=g.dtype))


def pow_base_partial(x, y):
    """∂(xʸ)/∂x = y · x^(y−1), exactly 0 where y = 0 (the registry's guard: the exponent is
    replaced by 1 where both y and x are 0, before the power is taken)."""
    exponent = y
    if (y == 0).any() and (x == 0).any():
        exponent = np.where(y != 0, y, np.where(x != 0, y, np.ones((), dtype=y.dtype)))
    return y * x ** (exponent - 1)


def pow_exponent_partial(z, x):
    """∂(xʸ)/∂y = xʸ · log x, and 0 where x = 0 (log is taken of x with its zeros replaced by 1)."""
    if (x == 0).any():
        x = np.where(x != 0, x, np.ones((), dtype=x.dtype))
    return z * np.log(x)


def where_share(g, keep):
    """g where ``keep`` holds, else 0."""
    return np.where(keep, g, np.zeros((), dtype=g.dtype))


def max_fraction(z, x, axis):
    """∂z/∂x for a max: 1/k at each of the k elements equal to the maximum, else 0."""
    is_max = x == z.reshape(kept_shape(x.shape, axis))
    return is_max / is_max.sum(axis, keepdims=True)


def _max_share(g, z, x, axis):
    """g at each of the k maxima, divided by k (ties share equally)."""
    return g.reshape(kept_shape(x.shape, axis)) * max_fraction(z, x, axis)


ARRAY_VJPS = {
    "add": (lambda g, z, x, y: g,
            lambda g, z, x, y: g),
    "sub": (lambda g, z, x, y: g,
            lambda g, z, x, y: -g),
    "mul": (lambda g, z, x, y: g * y,
            lambda g, z, x, y: g * x),
    "div": (lambda g, z, x, y: g / y,
            lambda g, z, x, y: -g * z / y),
    "pow": (lambda g, z, x, y: g * pow_base_partial(x, y),
            lambda g, z, x, y: g * pow_exponent_partial(z, x)),
    "neg": (lambda g, z, x: -g,),
    "exp": (lambda g, z, x: g * z,),
    "log": (lambda g, z, x: g / x,),
    "tanh": (lambda g, z, x: g * (1 - z * z),),
    "relu": (lambda g, z, x: relu_share(g, x),),
    "where": (None,
              lambda g, z, c, x, y: where_share(g, c),
              lambda g, z, c, x, y: where_share(g, ~c)),
    "identity": (lambda g, z, x: g,),
    "matmul": (lambda g, z, x, y: g @ _matrix_transpose(y),
               lambda g, z, x, y: _matrix_transpose(x) @ g),
    "sum": (lambda g, z, x, axis, keepdims: np.broadcast_to(g.reshape(kept_shape(x.shape, axis)), x.shape),),
    "max": (lambda g, z, x, axis, keepdims: _max_share(g, z, x, axis),),
    "reshape": (lambda g, z, x, shape: g.reshape(x.shape),),
    "transpose": (lambda g, z, x, axes: g.transpose(inverse_permutation(axes)),),
    "broadcast_to": (lambda g, z, x, shape: sum_to_shape(g, x.shape),),
    "getitem": (lambda g, z, x, index: scatter_forward(g, x.shape, index),),
}


def sum_to_shape(array, shape: tuple):
    """Sum ``array`` down to ``shape`` over the axes broadcasting added or stretched
    (``Tensor.sum_to`` on arrays); None when ``shape`` does not broadcast to the array's shape."""
    extra = array.ndim - len(shape)
    if extra < 0:
        return None
    stretched = []
    for i, n in enumerate(shape):
        if n == 1 and array.shape[extra + i] != 1:
            stretched.append(extra + i)
        elif n != array.shape[extra + i] and n != 1:
            return None
    if stretched:
        return array.sum(axis=tuple(range(extra)) + tuple(stretched), keepdims=True).reshape(shape)
    return array.sum(axis=tuple(range(extra))) if extra else array


def rules_of(table: dict, op):
    """``op``'s entry in ``table`` (keyed by primitive name), or None.

    Only for the registry's own entry: a copy with other rules that kept the
    name (``dataclasses.replace(PRIMITIVES["div"], vjp=...)``, as an exercise
    makes) gets its own rules, never these."""
    if op is not PRIMITIVES.get(op.name):
        return None
    return table.get(op.name)
