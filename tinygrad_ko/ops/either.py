"""The few functions a rule needs beyond ``+ - * / @ ** ==``, for a Tensor or an array alike.

A rule such as ``g * y`` or ``-g * z / y`` reads the same on Tensors (where it
is recorded and can be differentiated again) and on raw arrays (the engine's
first-order fast path and the batched Jacobian sweeps, where nothing will be).
Where a rule needs more — a selection, a cosine, a transpose — it calls one of
these: on a NumPy or CuPy array the array function, otherwise the Tensor's own
method. So each derivative is written once, in the registry, and runs on both.

The registry never imports the Tensor class (tests/test_floors.py): a value
that is not an array is taken to be a Tensor and asked for its method.
"""

from __future__ import annotations

import functools

import numpy as np

from ..backend import array_module
from ..backend.device import device_of, move


def is_array(value) -> bool:
    """True for a NumPy or CuPy array (or NumPy scalar), False for a Tensor."""
    return isinstance(value, (np.ndarray, np.generic)) or type(value).__module__.startswith("cupy")


def values(value):
    """The raw array of a Tensor, or the array itself."""
    return value if is_array(value) else value.data


def all_finite(value) -> bool:
    """True when no entry of ``value`` is ±∞ or NaN."""
    if type(value) is np.ndarray:  # the common case, without asking which module owns it
        return bool(np.isfinite(value).all())
    array = values(value)
    return bool(array_module(array).isfinite(array).all())


def select(condition, a, other):
    """``a`` where ``condition`` holds, else ``other`` (a Tensor's ``a.where(condition, other)``)."""
    if is_array(a):
        return array_module(a).where(condition, a, other)
    return a.where(condition, other)


def exp(x):
    """eˣ."""
    return array_module(x).exp(x) if is_array(x) else x.exp()


def log(x):
    """ln x."""
    return array_module(x).log(x) if is_array(x) else x.log()


def sin(x):
    """sin x."""
    return array_module(x).sin(x) if is_array(x) else x.sin()


def cos(x):
    """cos x."""
    return array_module(x).cos(x) if is_array(x) else x.cos()


def matrix_transpose(a):
    """Aᵀ for a matrix, or each matrix of a stack: the last two axes swapped (a Tensor's ``a.mT``)."""
    return a.swapaxes(-1, -2) if is_array(a) else a.mT


def matrix_product(a, b):
    """``a @ b``. On arrays where one side is a stack of matrices and the other one matrix
    (a batch of Jacobian columns against a weight), as ONE matrix product: NumPy would
    multiply the stack one matrix at a time."""
    if not is_array(a) or not is_array(b):
        return a @ b
    if b.ndim == 2 and a.ndim > 2:    # (..., m, k) @ (k, n): the stack's rows, one after another
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + (b.shape[-1],))
    if a.ndim == 2 and b.ndim > 2:    # (m, k) @ (..., k, n) = ((..., n, k) @ (k, m))ᵀ
        b_rows = b.swapaxes(-1, -2)
        product = b_rows.reshape(-1, b_rows.shape[-1]) @ a.T
        return product.reshape(b_rows.shape[:-1] + (a.shape[0],)).swapaxes(-1, -2)
    return a @ b


def broadcast_to(a, shape):
    """``a`` repeated to ``shape`` by broadcasting (on an array, a read-only view)."""
    return array_module(a).broadcast_to(a, shape) if is_array(a) else a.broadcast_to(shape)


def sum_to(a, shape):
    """``a`` summed down to ``shape`` over the axes broadcasting added or stretched (undoes broadcast_to)."""
    return sum_to_shape(a, tuple(shape)) if is_array(a) else a.sum_to(shape)


def cast(a, dtype):
    """``a`` converted to ``dtype``."""
    return a.astype(dtype, copy=False) if is_array(a) else a.cast(dtype)


def to_device(a, device):
    """``a`` on ``device``."""
    return move(a, device) if is_array(a) else a.to(device)


def which_device(a) -> str:
    """The device ``a`` lives on: "cpu" or "cuda"."""
    return device_of(a) if is_array(a) else a.device


def scatter(a, shape, index):
    """A zero array (or Tensor) of ``shape`` with ``a`` added in at ``index`` (repeats add up)."""
    return scatter_array(a, shape, index) if is_array(a) else a.scatter(shape, index)


def is_basic_index(index) -> bool:
    """True when ``index`` holds only ints, slices, None and Ellipsis (no arrays).

    Basic indexing never selects one element twice, so its adjoint can be
    written by assignment; an integer-array index may repeat elements and needs
    an accumulating scatter (``np.add.at``).
    """
    return all(isinstance(part, (int, slice, type(None), type(Ellipsis))) for part in index)


def scatter_array(g, shape, index):
    """A zero array of ``shape`` with ``g`` added in at ``index``.

    One integer array per leading axis, each element picked once per row (a
    cross-entropy's ``logits[rows, labels]``: ``rows`` is 0, 1, …, n−1), writes
    by assignment too; only an index that may pick one element twice needs
    the slower accumulating scatter."""
    xp = array_module(g)
    out = xp.zeros(shape, dtype=g.dtype)
    if is_basic_index(index) or _picks_each_once(index):
        out[index] = g
    elif xp is np:
        np.add.at(out, index, g)
    else:
        import cupyx

        cupyx.scatter_add(out, index, g)
    return out


def _picks_each_once(index) -> bool:
    """True when the first part of ``index`` is ``arange(n)`` (one row each) and every
    other part is one integer per row: then no element is picked twice."""
    if len(index) < 2 or not all(is_array(part) and part.ndim == 1 and part.dtype.kind in "iu" for part in index):
        return False
    rows = index[0]
    n = rows.shape[0]
    if any(part.shape[0] != n for part in index[1:]):
        return False
    return bool((rows == array_module(rows).arange(n)).all())


def sum_to_shape(array, shape: tuple):
    """Sum ``array`` down to ``shape`` over the axes broadcasting added or stretched.

    Broadcasting adds leading axes and stretches axes of length 1: the leading
    ones are summed away, the stretched ones summed to length 1. Raises
    ValueError when ``shape`` does not broadcast to the array's shape."""
    if array.shape == shape:
        return array
    axes, stretched = summed_axes(array.shape, shape)
    if stretched:
        return array.sum(axis=axes, keepdims=True).reshape(shape)
    return array.sum(axis=axes)


@functools.lru_cache(maxsize=1024)
def summed_axes(have: tuple, shape: tuple) -> tuple[tuple, bool]:
    """The axes ``sum_to_shape`` sums to take shape ``have`` down to ``shape``, and whether
    some of them are stretched axes (kept, as length 1, before the reshape to ``shape``).

    Cached: backward sums the same shapes (a bias's adjoint, say) at every step."""
    extra = len(have) - len(shape)
    if extra < 0:
        raise ValueError(f"shape {have} cannot be summed down to {shape}")
    stretched = []
    for i, n in enumerate(shape):
        if n == 1 and have[extra + i] != 1:
            stretched.append(extra + i)
        elif n != have[extra + i] and n != 1:
            raise ValueError(f"shape {have} cannot be summed down to {shape}")
    return tuple(range(extra)) + tuple(stretched), bool(stretched)
