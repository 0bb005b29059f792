"""Jacobians and Hessians built from the two modes.

For f: Rⁿ → Rᵐ the Jacobian J (m × n) can be built

* column by column with forward mode — n JVPs J·eⱼ (``jacfwd``), or
* row by row with reverse mode — m VJPs eᵢᵀ·J (``jacrev``).

Which is cheaper depends on n versus m; ``tinygrad_ko.tools.cost`` measures it.

The public ``jacfwd`` and ``jacrev`` push all n basis tangents (or all m basis
cotangents) through ONE pass, stacked along a batch axis in front
(``tensor/batched.py``: the same rules, each run once on the whole batch, as
``jax.vmap`` does). The number of rule applications is the same as for one
vector, so the engine's per-operation bookkeeping is paid once instead of n or
m times. The batch is on raw arrays, which nothing differentiates: where the
Jacobian itself will be differentiated (an argument that is part of a recorded
computation, an open dual level — ``hessian`` is ``jacfwd(jacrev(f))`` — or the
cost counter watching), they build it one vector at a time instead, with
``jacfwd_per_column`` and ``jacrev_per_row``: one pass per basis vector, each
pass itself differentiable. Those two are also the ones the cost lessons
count passes of.

The Jacobian of an output of shape S with respect to an input of shape T has
shape S + T (JAX's convention).
"""

from __future__ import annotations

from typing import Callable

from ..backend import array_module
from ..errors import GradError, ShapeError
from ..tensor.batched import batch_allowed, pull_back_batch, push_forward_batch, rules_take_arrays
from ..tensor.functions import concatenate, stack
from ..tensor.graph import enable_grad
from ..tensor.tensor import Tensor
from .forward import jvp
from .functional import grad, vjp
from .inputs import as_tensor, differentiable_input, normalise_argnums, output_tensor


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


def _jacobian_by_batched_columns(f: Callable, x: Tensor) -> Tensor:
    """One sweep: the n tangents eⱼ as rows of the identity, (n,) + x.shape, pushed through
    the recorded graph of one evaluation together; row j of the result is J·eⱼ."""
    with enable_grad():
        leaf = differentiable_input(x)
        out = output_tensor(f(leaf), "jacfwd")
    if not rules_take_arrays(out):
        return _jacobian_by_columns(f, x)
    identity = array_module(x.data).eye(x.size, dtype=x.dtype).reshape((x.size,) + x.shape)
    columns = push_forward_batch(out, leaf, identity)              # (n,) + out.shape
    jacobian = columns.reshape(x.size, out.size).T        # (m, n): a view, copied only if a reshape needs it
    return Tensor._from_array(jacobian.reshape(out.shape + x.shape))


def _jacobian_by_batched_rows(f: Callable, x: Tensor) -> Tensor:
    """One backward walk: the m cotangents eᵢ as rows of the identity, (m,) + out.shape,
    pulled back together; row i of the result is eᵢᵀ·J."""
    with enable_grad():
        leaf = differentiable_input(x)
        out = output_tensor(f(leaf), "jacrev")
    if not rules_take_arrays(out):
        return _jacobian_by_rows(f, x)
    identity = array_module(out.data).eye(out.size, dtype=out.dtype).reshape((out.size,) + out.shape)
    if out.requires_grad:
        rows = pull_back_batch(out, identity, leaf)                 # (m,) + x.shape
    else:
        rows = array_module(x.data).zeros((out.size,) + x.shape, dtype=x.dtype)
    return Tensor._from_array(rows.reshape(out.shape + x.shape))


def _batched_or_per_vector(batched: Callable, per_vector: Callable, f: Callable, argnums) -> Callable:
    """The batched builder where nothing will differentiate the Jacobian, else the per-vector one."""
    def jacobian(*args):
        args = tuple(as_tensor(a) for a in args)
        build = batched if batch_allowed(args) else per_vector
        return _per_argument(build, f, argnums)(*args)
    return jacobian


def jacfwd(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by forward mode: all n basis tangents through one pass, as a batch."""
    return _batched_or_per_vector(_jacobian_by_batched_columns, _jacobian_by_columns, f, argnums)


def jacrev(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by reverse mode: all m basis cotangents through one backward pass, as a batch."""
    return _batched_or_per_vector(_jacobian_by_batched_rows, _jacobian_by_rows, f, argnums)


def jacfwd_per_column(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by forward mode, one JVP pass per input element (n passes; differentiable)."""
    return _per_argument(_jacobian_by_columns, f, argnums)


def jacrev_per_row(f: Callable, argnums=0) -> Callable:
    """The Jacobian of f by reverse mode, one VJP pass per output element (m passes; differentiable)."""
    return _per_argument(_jacobian_by_rows, f, argnums)


def hessian(f: Callable, argnums=0) -> Callable:
    """The Hessian of scalar f, forward-over-reverse: jacfwd(jacrev(f))."""
    return jacfwd(jacrev(f, argnums), argnums)


def hvp(f: Callable, primals, tangents):
    """The Hessian-vector product H·v of scalar f, without forming H.

    Forward-over-reverse: push the tangent v through the gradient computation,
    ``jvp(grad(f), primals, tangents)``. Costs a small constant times one
    gradient, whatever the size of H. Returns a tensor for one primal, a tuple
    (one per primal) for several.

    Where nothing will differentiate H·v (``batch_allowed``), the tangent is
    pushed through the gradient's *recorded* graph on raw arrays
    (``_hvp_over_recorded_gradient``) instead of riding along on dual numbers
    through every rule: the same tangent rules, without a Tensor per rule."""
    primals = tuple(as_tensor(p) for p in primals)
    tangents = tuple(as_tensor(t) for t in tangents)
    if len(primals) != len(tangents):
        raise GradError(f"hvp: {len(primals)} primal(s) but {len(tangents)} tangent(s)")
    for primal, tangent in zip(primals, tangents):
        if tangent.shape != primal.shape:
            raise ShapeError(f"hvp: the tangent has shape {tangent.shape} but the primal has shape {primal.shape}")
    if batch_allowed(primals + tangents):
        flat_product = _hvp_over_recorded_gradient(f, primals, tangents)
    else:
        flat_product = _hvp_by_dual_numbers(f, primals, tangents)
    products, start = [], 0
    for primal in primals:
        products.append(flat_product[start:start + primal.size].reshape(primal.shape))
        start += primal.size
    return products[0] if len(products) == 1 else tuple(products)


def _flat_gradient(f: Callable, count: int) -> Callable:
    """xs ↦ ∂f/∂xs, all gradients flattened into one vector."""
    gradient = grad(f, tuple(range(count)))

    def flat_gradient(*xs):
        return concatenate([g.reshape(-1) for g in gradient(*xs)])
    return flat_gradient


def _hvp_by_dual_numbers(f: Callable, primals: tuple, tangents: tuple) -> Tensor:
    """``jvp(grad f)``: v rides on dual numbers through every rule of the gradient (differentiable)."""
    _, flat_product = jvp(_flat_gradient(f, len(primals)), primals, tangents)
    return flat_product


def _hvp_over_recorded_gradient(f: Callable, primals: tuple, tangents: tuple) -> Tensor:
    """Record ∇f's graph once (``grad`` with the primals as recorded leaves), then push v
    forward over that graph on arrays (``push_forward_batch`` with a batch of one)."""
    with enable_grad():
        leaves = [differentiable_input(p) for p in primals]
        flat = _flat_gradient(f, len(leaves))(*leaves)
    batch = [t.data.astype(p.dtype, copy=False)[None] for p, t in zip(primals, tangents)]
    return Tensor._from_array(push_forward_batch(flat, leaves, batch)[0])
