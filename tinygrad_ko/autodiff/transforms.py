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
from ..tensor.batched import batch_allowed, pull_back_batch, push_forward, push_forward_batch, rules_take_arrays
from ..tensor.functions import concatenate, stack
from ..tensor.graph import enable_grad
from ..tensor.tensor import Tensor
from .forward import jvp
from .functional import grad, gradients_with_graph, vjp
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

    Forward-over-reverse: H·v is the derivative of the gradient along v,
    d/ds ∇f(x + s·v) at s = 0, so v is pushed forward through the computation
    of ∇f. Costs a small constant times one gradient, whatever the size of H.
    Returns a tensor for one primal, a tuple (one per primal) for several.

    Where nothing will differentiate H·v (``batch_allowed``), ∇f is computed
    once with its own graph recorded, and v is pushed over that graph on arrays
    (``tensor.batched.push_forward``): the same tangent rules, without a Tensor
    or a dual level per rule. Where H·v will be differentiated (inside a
    gradient, an open dual level, the cost counter watching) it is
    ``hvp_forward_over_reverse``: v on dual numbers, differentiable again."""
    primals, tangents = _checked_hvp_arguments(primals, tangents)
    if not batch_allowed(primals + tangents):
        return hvp_forward_over_reverse(f, primals, tangents)
    return _per_primal(_hvp_over_recorded_gradient(f, primals, tangents), primals)


def hvp_forward_over_reverse(f: Callable, primals, tangents):
    """H·v as the lesson writes it: ``jvp(grad(f), primals, tangents)``.

    v rides on dual numbers through every rule of the gradient, so the product
    is itself differentiable (a third derivative is ``grad`` of it). The same
    numbers as ``hvp``, more slowly: every rule of the gradient makes Tensors at
    two levels."""
    primals, tangents = _checked_hvp_arguments(primals, tangents)
    _, flat_product = jvp(_flat_gradient(f, len(primals)), primals, tangents)
    return _per_primal(flat_product, primals)


def _checked_hvp_arguments(primals, tangents) -> tuple[tuple, tuple]:
    """The primals and tangents as Tensors, one tangent of the primal's shape each."""
    primals = tuple(as_tensor(p) for p in primals)
    tangents = tuple(as_tensor(t) for t in tangents)
    if len(primals) != len(tangents):
        raise GradError(f"hvp: {len(primals)} primal(s) but {len(tangents)} tangent(s)")
    for primal, tangent in zip(primals, tangents):
        if tangent.shape != primal.shape:
            raise ShapeError(f"hvp: the tangent has shape {tangent.shape} but the primal has shape {primal.shape}")
    return primals, tangents


def _flattened(gradients: tuple) -> Tensor:
    """One gradient as it is; several flattened and joined into one vector."""
    if len(gradients) == 1:
        return gradients[0]
    return concatenate([g.reshape(-1) for g in gradients])


def _flat_gradient(f: Callable, count: int) -> Callable:
    """xs ↦ ∂f/∂xs, laid out by ``_flattened``."""
    gradient = grad(f, tuple(range(count)))

    def flat_gradient(*xs):
        return _flattened(gradient(*xs))
    return flat_gradient


def _hvp_over_recorded_gradient(f: Callable, primals: tuple, tangents: tuple) -> Tensor:
    """Record ∇f's graph once (the gradient's rules recorded as they run, laid out by
    ``_flattened``), then push v forward over that graph on arrays (``push_forward``)."""
    with enable_grad():
        leaves = [differentiable_input(p) for p in primals]
        gradient = _flattened(gradients_with_graph(f, leaves, "hvp"))
    vs = [t.data.astype(p.dtype, copy=False) for p, t in zip(primals, tangents)]
    product = push_forward(gradient, leaves, vs)
    if product.base is not None or any(product is v for v in vs):
        product = product.copy()   # a view, or v itself (a rule that passes t on): the result owns its memory
    return Tensor._from_array(product)


def _per_primal(product: Tensor, primals: tuple):
    """Split a product laid out by ``_flattened`` into one tensor per primal."""
    if len(primals) == 1:
        return product
    products, start = [], 0
    for primal in primals:
        products.append(product[start:start + primal.size].reshape(primal.shape))
        start += primal.size
    return tuple(products)
