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

The rules are the registry's own (``ops``), handed raw arrays; this module
holds no formula, only the two walks. Each entry says how its rules meet a
batch axis (``Primitive.batching``, as JAX's batching rules do): for
``BROADCASTS`` (elementwise, matmul) the batch axis in front of G or T
broadcasts through the rule as it is; otherwise the entry maps its parameters
to those of inputs that carry the batch axis too (``sum``'s ``axis=(0,)``
becomes ``(1,)``), and the sweep gives the inputs and the output that axis (a
broadcast view, no copy) before calling the rule. A primitive without
batching, or whose rules are written with Tensor methods only, is run one
batch row at a time through its rule on Tensors, so every primitive works.
The arrays are not recorded, so these sweeps serve first-order Jacobians only:
``autodiff.transforms`` takes them only when ``batch_allowed``.

``push_forward`` is the forward sweep for ONE tangent, without a batch axis:
the rules get the arrays exactly as the graph saved them, so no entry needs a
batching rule and no view is made. ``hvp`` uses it to push v over the recorded
graph of ∇f.
"""

from __future__ import annotations

import numpy as np

from ..backend import array_module
from ..ops.primitive import BROADCASTS
from .chain_rule import first_order_only, topological_order
from .graph import collector_paused, no_grad


def batch_allowed(args) -> bool:
    """True when a Jacobian of a function of ``args`` may be built by the batched sweeps:
    no argument is part of a recorded computation (no one differentiates the
    result), and no dual level or observer is open (``first_order_only``)."""
    return first_order_only(False) and not any(getattr(a, "requires_grad", False) for a in args)


def rules_take_arrays(root) -> bool:
    """True when every operation recorded below ``root`` has rules that run on arrays
    (``Primitive.on_arrays``). A rule written with Tensor methods only (a student's in
    ``exercises.check_rule``, a convolution's) keeps the engine's checks and messages:
    such a Jacobian is built one vector at a time."""
    return all(tensor._op is None or tensor._op.on_arrays for tensor in topological_order(root))


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


def _aligned(array, ndim: int):
    """``array`` (B,) + S with axes of length 1 after the batch axis, up to 1 + ``ndim`` axes,
    so that broadcasting lines S up with the output's axes, as it does without a batch."""
    missing = ndim - (array.ndim - 1)
    return array.reshape((array.shape[0],) + (1,) * missing + array.shape[1:]) if missing > 0 else array


def _with_batch_axis(array, batch: int, ndim: int):
    """``array`` seen with a batch axis of length ``batch`` in front (a broadcast view), aligned to ``ndim`` axes."""
    return _aligned(np.broadcast_to(array, (batch,) + array.shape), ndim)


def _batched_call(op, rules, position, batch, stack, tensor, arrays, params):
    """Input ``position``'s rule run on ``stack`` (G or T, batch axis in front), or None
    when the entry cannot run it so (the caller then goes row by row)."""
    if not op.on_arrays or op.batching is None:
        return None
    if op.batching == BROADCASTS:
        return rules[position](stack, tensor._data, *arrays, **params)
    batched_params = op.batching(batch, **params)
    if batched_params is None:
        return None
    ndim = tensor.ndim if op.broadcasts else 0
    inputs = [_with_batch_axis(a, batch, ndim) for a in arrays]
    return rules[position](stack, _with_batch_axis(tensor._data, batch, ndim), *inputs, **batched_params)


def _row_by_row(rule, batch, tensor, inputs, params, wrap):
    """A rule run on each batch row, on Tensors (a primitive without batching)."""
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
            for position, parent in enumerate(inputs):
                if not parent.requires_grad:
                    continue
                share = _batched_call(op, op.vjp, position, batch, G, tensor, arrays, params)
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
            total = None
            for position, x in enumerate(inputs):
                T = carried.get(id(x))
                if T is None:
                    continue
                T_in = _aligned(T, tensor.ndim) if op.broadcasts else T
                share = _batched_call(op, op.jvp, position, batch, T_in, tensor, arrays, params)
                if share is None:
                    share = _aligned(_row_by_row(op.jvp[position], T, tensor, inputs, params, tensor._from_array),
                                     tensor.ndim)
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


def push_forward(root, wrt, tangents):
    """``Σₖ ∂root/∂wrtₖ · ẋₖ`` for one tangent ``ẋₖ`` per tensor in ``wrt`` (arrays of
    their shapes), in one sweep over root's recorded graph, inputs first:

        ż = Σᵢ ∂z/∂xᵢ · ẋᵢ        (``op.jvp[i](ẋᵢ, z, x₀, x₁, …)`` on the saved arrays)

    An array of root's shape (zeros if root does not depend on ``wrt``). A rule
    written with Tensor methods only is handed its arguments wrapped."""
    carried = {id(x): t for x, t in zip(wrt, tangents)}
    with collector_paused(), no_grad():
        for tensor in reversed(topological_order(root)):
            op = tensor._op
            if op is None or id(tensor) in carried:
                continue
            inputs, params = tensor._parents, tensor._params
            arrays = [x._data for x in inputs]
            total = None
            for position, x in enumerate(inputs):
                t = carried.get(id(x))
                if t is None:
                    continue
                if op.on_arrays:
                    share = op.jvp[position](t, tensor._data, *arrays, **params)
                else:
                    share = op.jvp[position](tensor._from_array(t), tensor, *inputs, **params)._data
                total = share if total is None else total + share
            if total is not None:
                if total.__class__ is not tensor._data.__class__ or total.shape != tensor.shape \
                        or total.dtype != tensor.dtype:
                    total = _fit_to(total, tensor)   # (most shares already fit: no call)
                carried[id(tensor)] = total
    tangent = carried.get(id(root))
    if tangent is None:
        return np.zeros(root.shape, dtype=root.dtype)
    return tangent


def _fit_to(tangent, tensor):
    """A JVP share as an array of ``tensor``'s shape and dtype (broadcast up where the rule
    answered in a smaller shape; a NumPy scalar made a 0-d array)."""
    if isinstance(tangent, np.generic):
        tangent = np.asarray(tangent)
    if tangent.shape != tensor.shape:
        tangent = array_module(tangent).broadcast_to(tangent, tensor.shape)
    return tangent.astype(tensor.dtype, copy=False)
