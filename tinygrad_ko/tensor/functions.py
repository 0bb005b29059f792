"""Composite functions: built from primitives only, so every derivative rule,
forward or reverse, any order, comes from the primitives' rules.

Each is also available as a Tensor method (``x.sigmoid()``).
"""

from __future__ import annotations

from ..backend import array_module
from ..errors import ShapeError
from .chain_rule import apply
from .tensor import P, Tensor


def tensor(data, requires_grad: bool = False, name: str | None = None, dtype=None) -> Tensor:
    """Make a Tensor (the same as ``Tensor(...)``, in the style of ``torch.tensor``)."""
    return Tensor(data, requires_grad=requires_grad, name=name, dtype=dtype)


def absolute(x: Tensor) -> Tensor:
    """|x|, as x where x ≥ 0 else −x.   d|x|/dx = sign(x) (1 at 0)."""
    return x.where(x >= 0, -x)


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e⁻ˣ), to full precision for every x.

    With z = e^(−|x|), which lies in (0, 1] and never overflows,
    σ(x) = 1 / (1 + z) for x ≥ 0 and z / (1 + z) for x < 0 (multiply the top
    and bottom of 1 / (1 + e⁻ˣ) by eˣ). For x < 0 the second form keeps the
    relative precision of e^x, where 1 − σ(−x) would round σ(−40) to 0.
    Both branches are finite everywhere, so ``where`` passes no NaN back in
    any order of derivative; σ'(x) = σ(x)·σ(−x) follows from the primitives."""
    z = (-absolute(x)).exp()
    return (1 / (1 + z)).where(x >= 0, z / (1 + z))


def softplus(x: Tensor) -> Tensor:
    """softplus(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)), which never overflows.

    ``log1p`` keeps the tiny tail e^(−|x|) exact for large |x|.  softplus' = σ.
    max(x, 0) is taken with the same test x ≥ 0 as |x|, so at the kink x = 0 both
    use their right-hand slopes and the derivative comes out σ(0) = 1/2."""
    return x.where(x >= 0, 0.0) + (-absolute(x)).exp().log1p()


def log_sigmoid(x: Tensor) -> Tensor:
    """log σ(x) = −softplus(−x): exact for large positive x (≈ −e⁻ˣ) and large negative x (≈ x).

    (log σ)'(x) = σ(−x)."""
    return -softplus(-x)


def logsumexp(x: Tensor, axis=-1, keepdims: bool = False) -> Tensor:
    """log Σ eˣ along ``axis``, stable for large x: m + log Σ e^(x − m) with m = max x.

    m is a constant shift (its gradient contributions cancel exactly), so it is
    computed from ``x.detach()``: no graph is recorded and no tangent carried.
    Where the maximum is ±∞ the shift is 0 instead (∞ − ∞ would be NaN), so a
    row of −∞ gives log 0 = −∞ and a row holding +∞ gives +∞."""
    shift = x.detach().max(axis, keepdims=True)
    finite = Tensor._from_array(array_module(shift.data).isfinite(shift.data))
    shift = shift.where(finite, 0.0)
    total = (x - shift).exp().sum(axis, keepdims=True)
    out = total.log() + shift
    return out if keepdims else out.reshape(_drop_axis(out.shape, x._axes(axis, "logsumexp")))


def log_softmax(x: Tensor, axis=-1) -> Tensor:
    """log softmax(x) = x − logsumexp(x), stable: one fused primitive (``ops/softmax.py``).

    The one function of this module that is not a composite: the same values as
    ``log_softmax_composite`` below, in one recorded operation instead of seven
    (over several axes at once, or of a 0-d tensor, it is that composite)."""
    axes = x._axes(axis, "log_softmax")
    if x.ndim == 0 or len(axes) != 1:
        return log_softmax_composite(x, axis)
    return apply(P["log_softmax"], x, axis=axes[0])


def log_softmax_composite(x: Tensor, axis=-1) -> Tensor:
    """log softmax(x) = x − logsumexp(x), stable, built from primitives (the lesson's version
    of ``log_softmax``: every step a node of the graph, every derivative from their rules)."""
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


TYPED_COMPOSITES = {"sigmoid": sigmoid}
"""Composite functions a student may type in an expression (``sigmoid(x)``), each
of one Tensor. The primitives a student may type say so in their registry entry
(``Primitive.typed``); the parser and the drawing read both from there."""


# The same functions as methods: x.sigmoid(), x.softmax(axis), ...
Tensor.abs = absolute
Tensor.sigmoid = sigmoid
Tensor.softplus = softplus
Tensor.log_sigmoid = log_sigmoid
Tensor.logsumexp = logsumexp
Tensor.log_softmax = log_softmax
Tensor.softmax = softmax
