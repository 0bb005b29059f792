"""Reverse mode as function transforms, with JAX's names and argument order.

``grad(f)(x)`` is ∂f/∂x for a scalar f; ``value_and_grad`` returns f(x) too;
``vjp(f, *xs)`` returns f(xs) and a function u ↦ uᵀ ∂f/∂xs.

Each call records its own graph and differentiates it; when an argument comes
from an outer recorded computation, the gradient is recorded too, so
``grad(grad(f))`` works to any order.
"""

from __future__ import annotations

from typing import Callable

from ..backend import array_module
from ..errors import GradError
from ..tensor.chain_rule import backpropagate, make_seed
from ..tensor.graph import enable_grad
from ..tensor.tensor import Tensor
from .inputs import differentiable_input, normalise_argnums, output_tensor


def _adjoints_for(out: Tensor, inputs: list[Tensor], seed, *, create_graph: bool) -> tuple:
    """∂out/∂input · seed for each input (zeros where out does not depend on it)."""
    found = {}
    if out.requires_grad:
        if seed is not None and not isinstance(seed, Tensor):
            seed = Tensor(seed, dtype=out.dtype)
        pairs = backpropagate(out, make_seed(out, seed), create_graph=create_graph,
                              retain_graph=True, stop_at=inputs)
        found = {id(tensor): adjoint for tensor, adjoint in pairs}
    adjoints = []
    for x in inputs:
        adjoint = found.get(id(x))
        if adjoint is None:
            adjoint = Tensor._from_array(array_module(x.data).zeros_like(x.data))
        adjoints.append(adjoint)
    return tuple(adjoints)


def backward(root: Tensor, seed=None, *, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """``backward(root)`` is ``root.backward()``: add ∂root/∂leaf · seed to every leaf's ``.grad``."""
    root.backward(seed, retain_graph=retain_graph, create_graph=create_graph)


def _records_outer_graph(args) -> bool:
    """True when some argument is part of an enclosing recorded computation."""
    return any(isinstance(a, Tensor) and a.requires_grad for a in args)


def value_and_grad(f: Callable, argnums=0) -> Callable:
    """Return a function computing ``(f(*args), ∂f/∂args[argnums])`` for scalar f."""
    def value_and_gradient(*args):
        positions = normalise_argnums(argnums, len(args))
        args = list(args)
        create_graph = _records_outer_graph(args)
        with enable_grad():
            for position in positions:
                args[position] = differentiable_input(args[position])
            out = scalar_output(f(*args), "grad")
        gradients = _adjoints_for(out, [args[p] for p in positions], None, create_graph=create_graph)
        return out, gradients[0] if isinstance(argnums, int) else gradients
    return value_and_gradient


def scalar_output(out, transform: str) -> Tensor:
    """Check that a function to take the gradient of returned a one-element Tensor."""
    out = output_tensor(out, transform)
    if out.size != 1:
        raise GradError(
            f"{transform}: the function returned shape {out.shape}; {transform} needs a single number. "
            "Use jacrev or vjp with a seed for a vector output")
    return out


def gradients_with_graph(f: Callable, leaves, transform: str) -> tuple:
    """∂f/∂leaf for each of ``leaves`` (tensors from ``differentiable_input``), scalar f,
    with the gradient's own computation recorded (``create_graph``), so that it can be
    differentiated again or have a tangent pushed over it (``hvp``)."""
    with enable_grad():
        out = scalar_output(f(*leaves), transform)
    return _adjoints_for(out, list(leaves), None, create_graph=True)


def grad(f: Callable, argnums=0) -> Callable:
    """Return a function computing ∂f/∂args[argnums] for scalar-valued f."""
    compute = value_and_grad(f, argnums)

    def gradient(*args):
        return compute(*args)[1]
    return gradient


def vjp(f: Callable, *primals):
    """Return ``(f(*primals), pullback)``; ``pullback(u)`` gives uᵀ·∂f/∂primalᵢ for each i.

    The pullback may be called many times (``jacrev`` calls it once per output)."""
    create_graph = _records_outer_graph(primals)
    with enable_grad():
        inputs = [differentiable_input(p) for p in primals]
        out = output_tensor(f(*inputs), "vjp")

    def pullback(cotangent):
        return _adjoints_for(out, inputs, cotangent, create_graph=create_graph)
    return out, pullback
