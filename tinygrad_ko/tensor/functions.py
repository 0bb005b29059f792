"""Composite functions: built from primitives only, so every derivative rule,
forward or reverse, any order, comes from the primitives' rules.

Each is also available as a Tensor method (``x.sigmoid()``).
"""

from __future__ import annotations

from ..errors import ShapeError
from .graph import apply
from .tensor import P, Tensor


def tensor(data, requires_grad: bool = False, name: str | None = None, dtype=None) -> Tensor:
    """Make a Tensor (the same as ``Tensor(...)``, in the style of ``torch.tensor``)."""
    return Tensor(data, requires_grad=requires_grad, name=name, dtype=dtype)


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e⁻ˣ), computed as (tanh(x/2) + 1) / 2, which never overflows.

    σ'(x) = σ(x)(1 − σ(x)) follows from tanh's rule."""
    return (x * 0.5).tanh() * 0.5 + 0.5


def logsumexp(x: Tensor, axis=-1, keepdims: bool = False) -> Tensor:
    """log Σ eˣ along ``axis``, stable for large x: m + log Σ e^(x − m) with m = max x.

    m is a constant shift (its gradient contributions cancel exactly), so it is
    computed from ``x.detach()``: no graph is recorded and no tangent carried."""
    shift = x.detach().max(axis, keepdims=True)
    total = (x - shift).exp().sum(axis, keepdims=True)
    out = total.log() + shift
    return out if keepdims else out.reshape(_drop_axis(out.shape, x._axes(axis, "logsumexp")))


def log_softmax(x: Tensor, axis=-1) -> Tensor:
    """log softmax(x) = x − logsumexp(x), stable."""
    return x - logsumexp(x, axis, keepdims=True)


def softmax(x: Tensor, axis=-1) -> Tensor:
    """softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ, computed as exp(log_softmax(x)) for stability."""
    return log_softmax(x, axis).exp()


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ShapeError("concatenate: needs at least one tensor")
    ndim = tensors[0].ndim
    if ndim == 0:
        raise ShapeError("concatenate: scalars have no axis to join along; use stack")
    axis = axis % ndim
    for t in tensors[1:]:
        if t.ndim != ndim or t.shape[:axis] + t.shape[axis + 1:] != tensors[0].shape[:axis] + tensors[0].shape[axis + 1:]:
            shapes = ", ".join(str(t.shape) for t in tensors)
            raise ShapeError(f"concatenate: shapes {shapes} differ outside axis {axis}")
    if len(tensors) == 1:
        return tensors[0]
    return apply(P["concatenate"], *tensors, axis=axis)


def stack(tensors, axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ShapeError("stack: needs at least one tensor")
    shape = tensors[0].shape
    for t in tensors[1:]:
        if t.shape != shape:
            shapes = ", ".join(str(t.shape) for t in tensors)
            raise ShapeError(f"stack: all tensors need the same shape, got {shapes}")
    axis = axis % (len(shape) + 1)
    expanded = [t.reshape(shape[:axis] + (1,) + shape[axis:]) for t in tensors]
    return concatenate(expanded, axis)


def where(condition, x, y) -> Tensor:
    """x where ``condition`` holds, else y (NumPy's argument order)."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return x.where(condition, y)


def _drop_axis(shape, axes) -> tuple:
    return tuple(n for i, n in enumerate(shape) if i not in axes)


# The same functions as methods: x.sigmoid(), x.softmax(axis), ...
Tensor.sigmoid = sigmoid
Tensor.logsumexp = logsumexp
Tensor.log_softmax = log_softmax
Tensor.softmax = softmax
