"""Primitives that move data without arithmetic: reshape, transpose, broadcast,
indexing and its adjoint (scatter), and concatenation."""

import numpy as np

from .either import broadcast_to as broadcast, is_basic_index, scatter as scattered, scatter_array, sum_to
from .primitive import Kind, PerInput, Primitive, no_flops, register
from .reduce import shifted


def batched_index(index):
    """``index`` for an array with a batch axis in front, or None where NumPy would move that axis.

    Integer arrays that are not next to each other put their axes first, in
    front of the batch axis; such an index is left to the row-by-row sweep."""
    if not is_basic_index(index):
        advanced = [i for i, part in enumerate(index) if not isinstance(part, (slice, type(None), type(Ellipsis)))]
        if advanced != list(range(advanced[0], advanced[-1] + 1)):
            return None
    return (slice(None), *index)


def _batched_getitem(batch, index):
    """getitem's parameters with a batch axis in front (None: run it row by row)."""
    batched = batched_index(index)
    return None if batched is None else {"index": batched}


def _batched_scatter(batch, shape, index):
    """scatter's parameters with a batch axis in front: the zero array gets the batch axis too."""
    batched = batched_index(index)
    return None if batched is None else {"shape": (batch, *shape), "index": batched}


reshape = register(Primitive(
    name="reshape",
    doc="z = x with a new shape.   The adjoint is reshaped back.",
    kind=Kind.SHAPE,
    forward=lambda x, shape: x.reshape(shape),
    vjp=(lambda g, z, x, shape: g.reshape(x.shape),),
    jvp=(lambda t, z, x, shape: t.reshape(shape),),
    flops=no_flops,
    on_arrays=True,
    batching=lambda batch, shape: {"shape": (batch, *shape)},
))


def inverse_permutation(axes):
    """The axes that undo ``transpose(axes)``."""
    return tuple(int(i) for i in np.argsort(axes))


transpose = register(Primitive(
    name="transpose",
    doc="z = x with its axes permuted.   The adjoint is permuted back.",
    kind=Kind.SHAPE,
    forward=lambda x, axes: x.transpose(axes),
    vjp=(lambda g, z, x, axes: g.transpose(inverse_permutation(axes)),),
    jvp=(lambda t, z, x, axes: t.transpose(axes),),
    flops=no_flops,
    on_arrays=True,
    batching=lambda batch, axes: {"axes": (0, *shifted(axes))},
))

broadcast_to = register(Primitive(
    name="broadcast_to",
    doc="z = x repeated to a larger shape.   Each copy's adjoint flows back: "
        "the adjoint is summed to x's shape",
    kind=Kind.SHAPE,
    forward=lambda x, shape: np.broadcast_to(x, shape),
    vjp=(lambda g, z, x, shape: sum_to(g, x.shape),),
    jvp=(lambda t, z, x, shape: broadcast(t, shape),),
    flops=no_flops,
    broadcasts=True,
    on_arrays=True,
    batching=lambda batch, shape: {"shape": (batch, *shape)},
))


getitem = register(Primitive(
    name="getitem",
    doc="z = x[index].   Each selected element's adjoint goes back to where it was "
        "taken from; repeated picks add up (scatter-add)",
    kind=Kind.SHAPE,
    forward=lambda x, index: x[index],
    vjp=(lambda g, z, x, index: scattered(g, x.shape, index),),
    jvp=(lambda t, z, x, index: t[index],),
    flops=no_flops,
    on_arrays=True,
    batching=_batched_getitem,
))

scatter = register(Primitive(
    name="scatter",
    doc="z = zeros(shape) with x added at index (the adjoint of getitem).   "
        "The adjoint of z is read back at index",
    kind=Kind.SHAPE,
    forward=scatter_array,
    vjp=(lambda g, z, x, shape, index: g[index],),
    jvp=(lambda t, z, x, shape, index: scattered(t, shape, index),),
    flops=lambda out, x, shape, index: int(x.size),
    on_arrays=True,
    batching=_batched_scatter,
))


def _slice_of_input(position, inputs, axis):
    """The index of input ``position``'s block inside the concatenated output."""
    start = 0
    for earlier in inputs[:position]:
        start += earlier.shape[axis]
    stop = start + inputs[position].shape[axis]
    return (slice(None),) * axis + (slice(start, stop),)


def _concatenate_vjp(position, g, z, *inputs, axis):
    """Input ``position``'s adjoint: its own slice of g along ``axis``."""
    return g[_slice_of_input(position, inputs, axis)]


def _concatenate_jvp(position, t, z, *inputs, axis):
    """Input ``position``'s tangent, placed at its slice of a zero output."""
    return scattered(t, z.shape, _slice_of_input(position, inputs, axis))


concatenate = register(Primitive(
    name="concatenate",
    doc="z = [x₀, x₁, …] joined along axis.   Each input's adjoint is its own slice of g",
    kind=Kind.SHAPE,
    forward=lambda *xs, axis: np.concatenate(xs, axis=axis),
    vjp=PerInput(_concatenate_vjp),
    jvp=PerInput(_concatenate_jvp),
    flops=no_flops,
    on_arrays=True,
    batching=lambda batch, axis: {"axis": axis + 1},
))

