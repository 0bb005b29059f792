"""Jacobians in ONE vectorised pass, batched through the function itself.

``jacfwd_per_column`` and ``jacrev_per_row`` run one pass per basis vector: n
JVPs or m VJPs. Real systems (``jax.vmap``, ``torch.func.vmap``) push the whole
identity matrix through in one pass instead, with a batch axis in front, and
so do the public ``jacfwd`` and ``jacrev`` (the engine's rules run with a batch
axis: ``tinygrad_ko/tensor/batched.py``). The number of operations is the same
— the algorithm has not changed — but each operation works on a whole batch,
so the per-operation overhead is paid once.

The two functions here are the older lesson on the same idea, with no help
from the engine: the batch comes from the function itself. f must map a batch
of inputs row by row, (B,) + x.shape → (B,) + f(x).shape, as every built-in
example does. Then

* forward: X = n copies of x, Ẋ = I (row j is eⱼ); one ``jvp`` gives row j of
  the output tangent = J eⱼ, the j-th column of J;
* reverse: X = m copies of x, one ``vjp`` pullback with seed I gives row i of
  the input adjoint = eᵢᵀ J, the i-th row of J.

The price: the primal is evaluated on n (or m) copies of x. For the forward
loop that is no extra work (each JVP pass re-evaluates f anyway); for reverse
mode the loop evaluates f once, the batched version m times, and keeps m
copies of the tape.
"""

from __future__ import annotations

from math import prod
from typing import Callable

from ...autodiff import jvp, vjp
from ...autodiff.inputs import as_tensor, output_tensor
from ...backend import array_module
from ...errors import ShapeError
from ...tensor.graph import no_grad
from ...tensor.tensor import Tensor


def _copies(x: Tensor, count: int) -> Tensor:
    """``count`` copies of x along a new first axis (a broadcast view: no new memory)."""
    xp = array_module(x.data)
    return Tensor._from_array(xp.broadcast_to(x.data, (count,) + x.shape))


def _identity(count: int, shape: tuple, like: Tensor) -> Tensor:
    """The identity matrix, each row reshaped to ``shape``: (count,) + shape."""
    xp = array_module(like.data)
    return Tensor._from_array(xp.eye(count, dtype=like.dtype).reshape((count,) + shape))


def _check_batched(out: Tensor, count: int, transform: str) -> None:
    if out.ndim == 0 or out.shape[0] != count:
        raise ShapeError(
            f"{transform}: f returned shape {out.shape} for a batch of {count} inputs; "
            "the vectorised Jacobian needs an f that maps a batch (B, ...) row by row to (B, ...)")


def jacfwd_vectorized(f: Callable, x) -> Tensor:
    """The Jacobian of f at x by forward mode, all n tangents in one pass."""
    x = as_tensor(x)
    n = x.size
    out, tangents_out = jvp(f, (_copies(x, n),), (_identity(n, x.shape, x),))
    _check_batched(output_tensor(out, "jacfwd_vectorized"), n, "jacfwd_vectorized")
    out_shape = out.shape[1:]
    columns = tangents_out.reshape(n, prod(out_shape))   # row j is J eⱼ
    return columns.T.reshape(out_shape + x.shape)


def jacrev_vectorized(f: Callable, x, out_shape: tuple | None = None) -> Tensor:
    """The Jacobian of f at x by reverse mode, all m cotangents in one backward pass.

    ``out_shape`` is f(x)'s shape; without it f is evaluated once more to find it."""
    x = as_tensor(x)
    if out_shape is None:
        with no_grad():
            out_shape = output_tensor(f(x), "jacrev_vectorized").shape
    out_shape = tuple(out_shape)
    m = prod(out_shape)
    out, pullback = vjp(f, _copies(x, m))
    _check_batched(output_tensor(out, "jacrev_vectorized"), m, "jacrev_vectorized")
    (rows,) = pullback(_identity(m, out_shape, out))      # row i is eᵢᵀ J
    return rows.reshape(out_shape + x.shape)
