"""Jacobians and Hessians built from the two modes.

For f: Rⁿ → Rᵐ the Jacobian J (m × n) can be built

* column by column with forward mode — n JVP passes (``jacfwd``), or
* row by row with reverse mode — m VJP passes (``jacrev``).

Which is cheaper depends on n versus m; ``tinygrad_ko.tools.cost`` measures it.
The Jacobian of an output of shape S with respect to an input of shape T has
shape S + T (JAX's convention).
"""

from __future__ import annotations

from typing import Callable

from ..backend import array_module
from ..tensor.functions import concatenate, stack
from ..tensor.tensor import Tensor
from .forward import jvp
from .functional import grad, vjp
from .inputs import as_tensor, normalise_argnums, output_tensor


def _basis(like: Tensor, index: int) -> Tensor:
    """The one-hot tensor with ``like``'s shape and dtype, 1 at flat position ``index``."""
    xp = array_module(like.data)
    one_hot = xp.zeros(like.size, dtype=like.dtype)
    one_hot[index] = 1
    return Tensor._from_array(one_hot.reshape(like.shape))


def _with_argument(f: Callable, args: tuple, position: int) -> Callable:
    """f as a function of its argument at ``position`` only, the others fixed."""
    def of_one_argument(x):
        full = list(args)
        full[position] = x
        return f(*full)
    return of_one_argument


def _per_argument(build_one: Callable, f: Callable, argnums) -> Callable:
    """Apply a one-argument Jacobian builder to each position in ``argnums``."""
    def jacobian(*args):
        args = tuple(as_tensor(a) for a in args)
        positions = normalise_argnums(argnums, len(args))
        results = tuple(build_one(_with_argument(f, args, p), args[p]) for p in positions)
        return results[0] if isinstance(argnums, int) else results
    return jacobian


def _jacobian_by_columns(f: Callable, x: Tensor) -> Tensor:
    """n forward passes: column j is J·eⱼ."""
    columns = []
    out = None
    for j in range(x.size):
        out, column = jvp(f, (x,), (_basis(x, j),))
        columns.append(column.reshape(-1))
    return stack(columns, axis=-1).reshape(out.shape + x.shape)


def _jacobian_by_rows(f: Callable, x: Tensor) -> Tensor:
    """m reverse passes over one recorded graph: row i is eᵢᵀ·J."""
    out, pullback = vjp(f, x)
    out = output_tensor(out, "jacrev")
    rows = [pullback(_basis(out, i))[0].reshape(-1) for i in range(out.size)]
    return stack(rows, axis=0).reshape(out.shape + x.shape)


def jacfwd(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by forward mode: one JVP pass per input element."""
    return _per_argument(_jacobian_by_columns, f, argnums)


def jacrev(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by reverse mode: one VJP pass per output element."""
    return _per_argument(_jacobian_by_rows, f, argnums)


def hessian(f: Callable, argnums=0) -> Callable:
    """The Hessian of scalar f, forward-over-reverse: jacfwd(jacrev(f))."""
    return jacfwd(jacrev(f, argnums), argnums)


def hvp(f: Callable, primals, tangents):
    """The Hessian-vector product H·v of scalar f, without forming H.

    Forward-over-reverse: push the tangent v through the gradient computation,
    ``jvp(grad(f), primals, tangents)``. Costs a small constant times one
    gradient, whatever the size of H. Returns a tensor for one primal, a tuple
    (one per primal) for several."""
    primals = tuple(as_tensor(p) for p in primals)
    gradient = grad(f, tuple(range(len(primals))))

    def flat_gradient(*xs):
        return concatenate([g.reshape(-1) for g in gradient(*xs)])

    _, flat_product = jvp(flat_gradient, primals, tangents)
    products, start = [], 0
    for primal in primals:
        products.append(flat_product[start:start + primal.size].reshape(primal.shape))
        start += primal.size
    return products[0] if len(products) == 1 else tuple(products)
