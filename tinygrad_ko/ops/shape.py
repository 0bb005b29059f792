"""Primitives that move data without arithmetic: reshape, transpose, broadcast,
indexing and its adjoint (scatter), and concatenation."""

import numpy as np

from ..backend import array_module
from .primitive import Kind, PerInput, Primitive, no_flops, register

reshape = register(Primitive(
    name="reshape",
    doc="z = x with a new shape.   The adjoint is reshaped back.",
    kind=Kind.SHAPE,
    forward=lambda x, shape: x.reshape(shape),
    vjp=(lambda g, z, x, shape: g.reshape(x.shape),),
    jvp=(lambda t, z, x, shape: t.reshape(shape),),
    flops=no_flops,
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
))

broadcast_to = register(Primitive(
    name="broadcast_to",
    doc="z = x repeated to a larger shape.   Each copy's adjoint flows back: "
        "the adjoint is summed to x's shape",
    kind=Kind.SHAPE,
    forward=lambda x, shape: np.broadcast_to(x, shape),
    vjp=(lambda g, z, x, shape: g.sum_to(x.shape),),
    jvp=(lambda t, z, x, shape: t.broadcast_to(shape),),
    flops=no_flops,
))


def is_basic_index(index) -> bool:
    """True when ``index`` holds only ints, slices, None and Ellipsis (no arrays).

    Basic indexing never selects one element twice, so its adjoint can be
    written by assignment; an integer-array index may repeat elements and needs
    an accumulating scatter (``np.add.at``).
    """
    return all(isinstance(part, (int, slice, type(None), type(Ellipsis))) for part in index)


def scatter_forward(g, shape, index):
    """A zero array of ``shape`` with ``g`` added in at ``index``."""
    xp = array_module(g)
    out = xp.zeros(shape, dtype=g.dtype)
    if is_basic_index(index):
        out[index] = g
    elif xp is np:
        np.add.at(out, index, g)
    else:
        import cupyx

        cupyx.scatter_add(out, index, g)
    return out


getitem = register(Primitive(
    name="getitem",
    doc="z = x[index].   Each selected element's adjoint goes back to where it was "
        "taken from; repeated picks add up (scatter-add)",
    kind=Kind.SHAPE,
    forward=lambda x, index: x[index],
    vjp=(lambda g, z, x, index: g.scatter(x.shape, index),),
    jvp=(lambda t, z, x, index: t[index],),
    flops=no_flops,
))

scatter = register(Primitive(
    name="scatter",
    doc="z = zeros(shape) with x added at index (the adjoint of getitem).   "
        "The adjoint of z is read back at index",
    kind=Kind.SHAPE,
    forward=scatter_forward,
    vjp=(lambda g, z, x, shape, index: g[index],),
    jvp=(lambda t, z, x, shape, index: t.scatter(shape, index),),
    flops=lambda out, x, shape, index: int(x.size),
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
    return t.scatter(z.shape, _slice_of_input(position, inputs, axis))


concatenate = register(Primitive(
    name="concatenate",
    doc="z = [x₀, x₁, …] joined along axis.   Each input's adjoint is its own slice of g",
    kind=Kind.SHAPE,
    forward=lambda *xs, axis: np.concatenate(xs, axis=axis),
    vjp=PerInput(_concatenate_vjp),
    jvp=PerInput(_concatenate_jvp),
    flops=no_flops,
))

