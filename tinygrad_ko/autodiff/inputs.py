"""Preparing the arguments of a function about to be differentiated."""

from __future__ import annotations

from ..errors import GradError
from ..ops import PRIMITIVES
from ..tensor.chain_rule import apply, differentiation_leaf
from ..tensor.tensor import Tensor


def as_tensor(value) -> Tensor:
    """A Tensor for ``value`` (Tensors pass through unchanged)."""
    return value if isinstance(value, Tensor) else Tensor(value)


def differentiable_input(value) -> Tensor:
    """A tensor to differentiate with respect to, standing for ``value``.

    A tensor already recorded by an outer computation gets a new ``identity``
    node, so an inner pass can stop there while the outer one still reaches
    through it (grad of grad). Anything else becomes a fresh leaf. Forward-mode
    tangents are kept either way (that is how ``hvp`` works)."""
    tensor = as_tensor(value)
    if tensor.dtype.kind != "f":
        raise GradError(f"cannot differentiate with respect to a {tensor.dtype} tensor")
    if tensor.requires_grad:
        return apply(PRIMITIVES["identity"], tensor)
    return differentiation_leaf(tensor)   # numpy() on it would silently cut the derivative: refused


def normalise_argnums(argnums, count: int) -> tuple[int, ...]:
    """``argnums`` as a tuple of valid positions, with a clear error otherwise."""
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for position in positions:
        if not -count <= position < count:
            raise GradError(f"argnums {argnums} does not fit a call with {count} argument(s)")
    return tuple(position % count for position in positions)


def output_tensor(out, transform: str) -> Tensor:
    """Check that a differentiated function returned a single floating Tensor."""
    if not isinstance(out, Tensor):
        raise GradError(
            f"{transform}: the function must return a Tensor, not {type(out).__name__}; "
            "build the result from its Tensor arguments")
    return out
