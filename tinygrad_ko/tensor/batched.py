"""The chain rule for a whole batch of vectors at once: Jacobians in one pass.

A Jacobian J (m × n) is n JVPs J·eⱼ or m VJPs eᵢᵀ·J. Pushed one at a time,
each pass pays the engine's bookkeeping again; pushed together, with the
basis vectors stacked along a new first axis (what ``jax.vmap`` and
``torch.func.vmap`` do), every rule runs once, on a batch:

* ``pull_back_batch``: all cotangents ``G`` (B,) + out.shape through ONE
  backward walk — rule by rule, x̄ᵢ += G · ∂z/∂xᵢ with a batch axis in front;
* ``push_forward_batch``: all tangents ``T`` (B,) + x.shape through the
  recorded graph of ONE evaluation, inputs before outputs —
  ż = Σᵢ ∂z/∂xᵢ · ẋᵢ with a batch axis in front.

The rules are the registry's (``ops``) formulas on arrays, written so that a
leading batch axis passes through them: an elementwise rule broadcasts over
it as it is; a rule that names axes or shapes (``sum``, ``reshape``,
``transpose``, ``getitem``…) gets a batched spelling here. A primitive
without one is run one batch row at a time through its registry rule, so
every primitive works, the common ones fast. The arrays are not recorded, so
these sweeps serve first-order Jacobians only: ``autodiff.transforms`` takes
them only when ``batch_allowed`` (nobody will differentiate the Jacobian).
"""

from __future__ import annotations

import numpy as np

from ..ops import PRIMITIVES
from ..ops.reduce import kept_shape
from ..ops.shape import inverse_permutation, is_basic_index, scatter_forward
from .array_rules import (ARRAY_VJPS, max_fraction, pow_base_partial, pow_exponent_partial, relu_share, rules_of,
                          where_share)
from .chain_rule import first_order_only, topological_order
from .graph import collector_paused, no_grad


def batch_allowed(args) -> bool:
    """True when a Jacobian of a function of ``args`` may be built by the batched sweeps:
    no argument is part of a recorded computation (no one differentiates the
    result), and no dual level or observer is open (``first_order_only``)."""
    return first_order_only(False) and not any(getattr(a, "requires_grad", False) for a in args)


def only_registry_entries(root) -> bool:
    """True when every operation recorded below ``root`` is the registry's own entry.

    The batched sweeps run the registry's rules (batched, or row by row); a
    primitive built elsewhere (a student's rules in ``exercises.check_rule``, a
    test's toy) keeps its own contract, so its Jacobian is built one vector at a time."""
    return all(tensor._op is None or tensor._op is PRIMITIVES.get(tensor._op.name)
               for tensor in topological_order(root))


# --------------------------------------------------------------- batched rules
def _shifted(axes) -> tuple:
    """Axes of an array counted past the batch axis in front."""
    return tuple(a + 1 for a in axes)


def _batched_index(index):
    """``index`` with the batch axis kept in front, or None where NumPy would move it.

    Integer arrays (and integers beside them) that are not next to each other
    put their axes first, in front of the batch axis; such an index is left to
    the row-by-row rule."""
    if is_basic_index(index):
        return (slice(None), *index)
    advanced = [i for i, part in enumerate(index)
                if not isinstance(part, (slice, type(None), type(Ellipsis)))]
    if advanced != list(range(advanced[0], advanced[-1] + 1)):
        return None
    return (slice(None), *index)


def _stacked_matmul(a, b):
    """``a @ b`` where one side is a stack of matrices (the batch) and the other one matrix,
    as ONE matrix product: NumPy would multiply the stack one matrix at a time (for the
    n × 1 columns of a Jacobian of a vector function, one matrix-vector product each)."""
    if b.ndim == 2 and a.ndim > 2:    # (..., m, k) @ (k, n): the stack's rows, one after another
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + (b.shape[-1],))
    if a.ndim == 2 and b.ndim > 2:    # (m, k) @ (..., k, n) = ((..., n, k) @ (k, m))ᵀ
        b_rows = b.swapaxes(-1, -2)
        product = b_rows.reshape(-1, b_rows.shape[-1]) @ a.T
        return product.reshape(b_rows.shape[:-1] + (a.shape[0],)).swapaxes(-1, -2)
    return a @ b


def _getitem_vjp(G, z, x, index):
    batched = _batched_index(index)
    return None if batched is None else scatter_forward(G, (G.shape[0],) + x.shape, batched)


def _getitem_jvp(T, z, x, index):
    batched = _batched_index(index)
    return None if batched is None else T[batched]


def _scatter_vjp(G, z, x, shape, index):
    batched = _batched_index(index)
    return None if batched is None else G[batched]


def _scatter_jvp(T, z, x, shape, index):
    batched = _batched_index(index)
    return None if batched is None else scatter_forward(T, (T.shape[0],) + tuple(shape), batched)


# G = the cotangents (B,) + z.shape; each rule returns input i's shares (B,) + (a shape that sums to x's).
BATCHED_VJPS = {
    **{name: ARRAY_VJPS[name] for name in ("add", "sub", "mul", "div", "pow", "neg", "exp", "log", "tanh",
                                            "relu", "where", "identity")},
    "matmul": (lambda G, z, x, y: _stacked_matmul(G, y.swapaxes(-1, -2)),
               lambda G, z, x, y: _stacked_matmul(x.swapaxes(-1, -2), G)),
    "sum": (lambda G, z, x, axis, keepdims:
            np.broadcast_to(G.reshape((G.shape[0],) + kept_shape(x.shape, axis)), (G.shape[0],) + x.shape),),
    "max": (lambda G, z, x, axis, keepdims:
            G.reshape((G.shape[0],) + kept_shape(x.shape, axis)) * max_fraction(z, x, axis),),
    "reshape": (lambda G, z, x, shape: G.reshape((G.shape[0],) + x.shape),),
    "transpose": (lambda G, z, x, axes: G.transpose((0,) + _shifted(inverse_permutation(axes))),),
    "broadcast_to": (lambda G, z, x, shape: sum_to_batch(G, x.shape),),
    "getitem": (_getitem_vjp,),
    "scatter": (_scatter_vjp,),
    "cast": (lambda G, z, x, dtype: G.astype(x.dtype),),
}

# T = input i's tangents (B,) + x.shape (for a broadcasting primitive, with axes of length 1
# after the batch axis so that it has as many axes as z: ``_aligned``); each rule returns its share of ż.
BATCHED_JVPS = {
    "add": (lambda T, z, x, y: T,
            lambda T, z, x, y: T),
    "sub": (lambda T, z, x, y: T,
            lambda T, z, x, y: -T),
    "mul": (lambda T, z, x, y: T * y,
            lambda T, z, x, y: T * x),
    "div": (lambda T, z, x, y: T / y,
            lambda T, z, x, y: -T * z / y),
    "pow": (lambda T, z, x, y: T * pow_base_partial(x, y),
            lambda T, z, x, y: T * pow_exponent_partial(z, x)),
    "neg": (lambda T, z, x: -T,),
    "exp": (lambda T, z, x: T * z,),
    "log": (lambda T, z, x: T / x,),
    "tanh": (lambda T, z, x: T * (1 - z * z),),
    "relu": (lambda T, z, x: relu_share(T, x),),
    "where": (None,
              lambda T, z, c, x, y: where_share(T, c),
              lambda T, z, c, x, y: where_share(T, ~c)),
    "identity": (lambda T, z, x: T,),
    "cast": (lambda T, z, x, dtype: T.astype(dtype),),
    "matmul": (lambda T, z, x, y: _stacked_matmul(T, y),
               lambda T, z, x, y: _stacked_matmul(x, T)),
    "sum": (lambda T, z, x, axis, keepdims: T.sum(axis=_shifted(axis), keepdims=keepdims),),
    "max": (lambda T, z, x, axis, keepdims:
            (T * max_fraction(z, x, axis)).sum(axis=_shifted(axis), keepdims=keepdims),),
    "reshape": (lambda T, z, x, shape: T.reshape((T.shape[0],) + tuple(shape)),),
    "transpose": (lambda T, z, x, axes: T.transpose((0,) + _shifted(axes)),),
    "broadcast_to": (lambda T, z, x, shape: np.broadcast_to(T, (T.shape[0],) + tuple(shape)),),
    "getitem": (_getitem_jvp,),
    "scatter": (_scatter_jvp,),
}


def sum_to_batch(shares, shape: tuple):
    """Sum ``shares`` (B,) + S down to (B,) + ``shape``, over the axes broadcasting added or
    stretched (``sum_to`` with the batch axis left alone)."""
    if shares.shape[1:] == tuple(shape):
        return shares
    extra = shares.ndim - 1 - len(shape)
    leading = tuple(range(1, 1 + extra))
    stretched = tuple(1 + extra + i for i, n in enumerate(shape) if n == 1 and shares.shape[1 + extra + i] != 1)
    summed = shares.sum(axis=leading + stretched, keepdims=True) if leading + stretched else shares
    return summed.reshape((shares.shape[0],) + tuple(shape))


_BROADCASTING = {"add", "sub", "mul", "div", "pow", "where", "matmul", "broadcast_to"}


def _aligned(T, ndim: int):
    """Tangents (B,) + x.shape with axes of length 1 after the batch axis, up to 1 + ``ndim`` axes,
    so that NumPy's broadcasting lines x's axes up with the output's, as it does without a batch."""
    missing = ndim - (T.ndim - 1)
    return T.reshape((T.shape[0],) + (1,) * missing + T.shape[1:]) if missing > 0 else T


def _row_by_row(rule, batch, tensor, inputs, params, wrap):
    """A rule without a batched spelling, run on each batch row through the registry (Tensor) rule."""
    rows = [rule(wrap(batch[b]), tensor, *inputs, **params).data for b in range(batch.shape[0])]
    return np.stack([np.asarray(row) for row in rows])


# --------------------------------------------------------------- the sweeps
def pull_back_batch(root, cotangents, wrt):
    """``Gᵢ · ∂root/∂wrt`` for every row Gᵢ of ``cotangents`` ((B,) + root.shape), in one
    backward walk; an array (B,) + wrt.shape (zeros if root does not depend on wrt)."""
    batch = cotangents.shape[0]
    adjoints = {id(root): cotangents}
    with collector_paused(), no_grad():
        for tensor in topological_order(root):
            G = adjoints.pop(id(tensor), None)
            if G is None or tensor is wrt or tensor._op is None:
                if tensor is wrt and G is not None:
                    return sum_to_batch(G, wrt.shape).astype(wrt.dtype, copy=False)
                continue
            op, inputs, params = tensor._op, tensor._parents, tensor._params
            arrays = [x._data for x in inputs]
            rules = rules_of(BATCHED_VJPS, op)
            for position, parent in enumerate(inputs):
                if not parent.requires_grad:
                    continue
                share = None if rules is None else rules[position](G, tensor._data, *arrays, **params)
                if share is None:
                    share = _row_by_row(op.vjp[position], G, tensor, inputs, params, tensor._from_array)
                share = sum_to_batch(np.asarray(share), parent.shape).astype(parent.dtype, copy=False)
                previous = adjoints.get(id(parent))
                adjoints[id(parent)] = share if previous is None else previous + share
    return np.zeros((batch,) + wrt.shape, dtype=wrt.dtype)


def push_forward_batch(root, wrt, tangents):
    """``Σₖ ∂root/∂wrtₖ · Tₖⱼ`` for every batch row j, in one sweep over root's recorded
    graph, inputs first: ``wrt`` is a tensor (or a sequence of them) and ``tangents``
    its tangents (B,) + wrt.shape (or one such array each); an array (B,) + root.shape."""
    if not isinstance(wrt, (list, tuple)):
        wrt, tangents = [wrt], [tangents]
    batch = tangents[0].shape[0]
    carried = {id(x): t for x, t in zip(wrt, tangents)}
    with collector_paused(), no_grad():
        for tensor in reversed(topological_order(root)):
            if id(tensor) in carried or tensor._op is None:
                continue
            op, inputs, params = tensor._op, tensor._parents, tensor._params
            arrays = [x._data for x in inputs]
            rules = rules_of(BATCHED_JVPS, op)
            total = None
            for position, x in enumerate(inputs):
                T = carried.get(id(x))
                if T is None:
                    continue
                if op.name in _BROADCASTING:
                    T = _aligned(T, tensor.ndim)
                share = None if rules is None else rules[position](T, tensor._data, *arrays, **params)
                if share is None:
                    share = _row_by_row(op.jvp[position], T.reshape((batch,) + x.shape), tensor, inputs,
                                        params, tensor._from_array)
                total = share if total is None else total + share
            if total is not None:
                out_shape = (batch,) + tensor.shape
                if total.shape != out_shape:
                    total = np.broadcast_to(total, out_shape)
                carried[id(tensor)] = total.astype(tensor.dtype, copy=False)
    tangent = carried.get(id(root))
    if tangent is None:
        return np.zeros((batch,) + root.shape, dtype=root.dtype)
    return tangent
