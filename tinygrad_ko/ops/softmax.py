"""log softmax along one axis, fused: one primitive instead of seven steps.

For a row x with output z = log softmax(x) = x − logsumexp(x):

    zᵢ = xᵢ − log Σⱼ e^xⱼ,       ∂zᵢ/∂xₖ = δᵢₖ − softmaxₖ(x) = δᵢₖ − e^zₖ

so with s = e^z (the softmax, read from the output: no second logsumexp)

    VJP:  x̄ = ḡ − s · Σᵢ ḡᵢ          JVP:  ż = ẋ − Σₖ sₖ ẋₖ

Written as a composite (``tensor.functions.log_softmax_composite``: a max,
a subtraction, exp, sum, log, an addition and a subtraction) it is seven
recorded operations and seven rules in backward; on the 784-256-256-10 MLP
their bookkeeping was a measurable share of the step, as it is for PyTorch,
whose ``log_softmax`` is one fused kernel too. The rules are written with
``+ − ×``, ``exp`` and ``.sum`` only, so they run on arrays and on Tensors, and
on Tensors they are differentiable again (they read the output z, which is
itself recorded): gradcheck passes at order 2 like every entry.

The forward subtracts max(x) before exponentiating, so large x never
overflows; where the maximum is ±∞ the shift is 0 instead (∞ − ∞ would be
NaN), as in ``logsumexp``.
"""

from ..backend import array_module
from .either import exp
from .primitive import Kind, Primitive, register


def _forward(x, axis):
    xp = array_module(x)
    shift = x.max(axis=axis, keepdims=True)
    if not xp.isfinite(shift).all():
        shift = xp.where(xp.isfinite(shift), shift, 0)
    shifted = x - shift
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def _vjp(g, z, x, axis):
    """x̄ = ḡ − softmax · Σ ḡ along the axis (softmax = e^z)."""
    return g - exp(z) * g.sum(axis, keepdims=True)


def _jvp(t, z, x, axis):
    """ż = ẋ − Σ softmax · ẋ along the axis."""
    return t - (exp(z) * t).sum(axis, keepdims=True)


def _flops(out, x, axis) -> int:
    """Per element: a comparison (max), a subtraction, exp, an addition (sum), a subtraction;
    per row: one log."""
    return int(5 * x.size + x.size // max(x.shape[axis], 1))


log_softmax = register(Primitive(
    name="log_softmax",
    doc="z = x − logsumexp(x) along axis.   ∂L/∂x = ḡ − e^z · Σ ḡ  (e^z is the softmax)",
    kind=Kind.FUSED,
    forward=_forward,
    vjp=(_vjp,),
    jvp=(_jvp,),
    flops=_flops,
    on_arrays=True,
    batching=lambda batch, axis: {"axis": axis + 1},
))
