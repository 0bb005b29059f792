"""Reductions. ``axis`` is always a sorted tuple of non-negative axes here;
``Tensor.sum``/``Tensor.max`` normalise what the user wrote before calling.

The forwards call the array's own method (``x.sum(...)``), the same function as
``np.sum(x, ...)`` without its argument-forwarding layer, which costs more than
the sum itself on small arrays. NumPy and CuPy arrays both have the methods."""

import functools

from .either import broadcast_to
from .primitive import Kind, Primitive, register


@functools.lru_cache(maxsize=1024)
def kept_shape(shape, axis):
    """The output shape with ``keepdims=True``: reduced axes become 1.

    Cached: backward asks for the same shapes at every step."""
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def shifted(axes) -> tuple:
    """Axes counted past a batch axis in front."""
    return tuple(a + 1 for a in axes)


def _batched_reduction(batch, axis, keepdims) -> dict:
    """With a batch axis in front, the reduced axes are one further on."""
    return {"axis": shifted(axis), "keepdims": keepdims}


def _reduction_flops(out, x, **params) -> int:
    """Reducing n numbers to one costs n − 1 additions (or comparisons)."""
    return int(x.size - out.size)


sum = register(Primitive(
    name="sum",
    doc="z = Σ over axis of x.   ∂z/∂x = 1 for every summed element: "
        "the adjoint is copied (broadcast) back to x's shape",
    kind=Kind.REDUCTION,
    forward=lambda x, axis, keepdims: x.sum(axis=axis, keepdims=keepdims),
    vjp=(lambda g, z, x, axis, keepdims:
         broadcast_to(g.reshape(kept_shape(x.shape, axis)), x.shape),),
    jvp=(lambda t, z, x, axis, keepdims: t.sum(axis, keepdims=keepdims),),
    flops=_reduction_flops,
    on_arrays=True,
    batching=_batched_reduction,
))


def _max_share(x, z, axis):
    """∂z/∂x for a max: 1/k at each of the k elements equal to the maximum."""
    is_max = x == z.reshape(kept_shape(x.shape, axis))
    return is_max / is_max.sum(axis, keepdims=True)


max = register(Primitive(
    name="max",
    doc="z = max over axis of x.   ∂z/∂x = 1 at the maximum (shared equally between ties), else 0",
    kind=Kind.REDUCTION,
    forward=lambda x, axis, keepdims: x.max(axis=axis, keepdims=keepdims),
    vjp=(lambda g, z, x, axis, keepdims:
         g.reshape(kept_shape(x.shape, axis)) * _max_share(x, z, axis),),
    jvp=(lambda t, z, x, axis, keepdims:
         (t * _max_share(x, z, axis)).sum(axis, keepdims=keepdims),),
    flops=_reduction_flops,
    on_arrays=True,
    batching=_batched_reduction,
))
