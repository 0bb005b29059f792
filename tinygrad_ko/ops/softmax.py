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
from .either import exp, is_array, values
from .primitive import Kind, Primitive, register


def _shifted(x, axis):
    """x − max(x) along ``axis`` (an array), the maximum taken as 0 where it is ±∞: the stable
    argument of exp for the log softmax and the cross-entropy (the shift cancels in both)."""
    xp = array_module(x)
    shift = x.max(axis=axis, keepdims=True)
    if not xp.isfinite(shift).all():
        shift = xp.where(xp.isfinite(shift), shift, 0)
    return x - shift


def _forward(x, axis):
    shifted = _shifted(x, axis)
    xp = array_module(x)
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


# ------------------------------------------------------------------ softmax cross-entropy
def log_softmax_of(x, axis):
    """log softmax along ``axis`` of an array (the forward above) or of a Tensor (its method,
    recorded: so a rule written with it can be differentiated again)."""
    return _forward(x, axis) if is_array(x) else x.log_softmax(axis)


def _one_hot(z, labels):
    """An array of z's shape, dtype and device: 1 at (row, labels[row]), else 0."""
    array = values(z)
    xp = array_module(array)
    hot = xp.zeros(array.shape, dtype=array.dtype)
    hot[xp.arange(array.shape[0]), labels] = 1
    return hot


def _cross_entropy_forward(z, labels):
    """(1/N) Σₙ logsumexp(zₙ) − zₙ,yₙ, both terms after the shift by each row's maximum (it cancels).

    ``.sum() / N`` rather than ``.mean()``: NumPy's mean is Python code around a sum."""
    xp = array_module(z)
    shifted = _shifted(z, 1)
    log_sums = xp.log(xp.exp(shifted).sum(axis=1))
    return (log_sums.sum() - shifted[xp.arange(z.shape[0]), labels].sum()) / z.shape[0]


def _cross_entropy_vjp(g, out, z, labels):
    """z̄ = (softmax(z) − onehot(y)) · ḡ / N.

    On Tensors the softmax is e^(log softmax z), recorded, so the rule can be
    differentiated again; on arrays (nothing will be) the same numbers in four
    NumPy passes, in place: e^(z − max), divided by the row sums, 1 taken off
    at each label, scaled by ḡ / N."""
    if not is_array(z):
        return (exp(log_softmax_of(z, 1)) - _one_hot(z, labels)) * (g / z.shape[0])
    xp = array_module(z)
    share = xp.exp(_shifted(z, 1))
    share /= share.sum(axis=1, keepdims=True)
    share[xp.arange(z.shape[0]), labels] -= 1
    share *= g / z.shape[0]
    return share


def _cross_entropy_jvp(t, out, z, labels):
    """L̇ = Σ (softmax(z) − onehot(y)) · ż / N."""
    return ((exp(log_softmax_of(z, 1)) - _one_hot(z, labels)) * t).sum() / z.shape[0]


def _cross_entropy_flops(out, z, labels) -> int:
    """The log softmax, then one pick per row and their mean (N additions and a division)."""
    return _flops(None, z, 1) + int(z.shape[0]) + 1


softmax_cross_entropy = register(Primitive(
    name="softmax_cross_entropy",
    doc="L = (1/N) Σₙ logsumexp(zₙ) − zₙ,yₙ  (logits z of shape (N, classes), labels y).   "
        "∂L/∂z = (softmax(z) − onehot(y)) · ḡ / N",
    kind=Kind.FUSED,
    forward=_cross_entropy_forward,
    vjp=(_cross_entropy_vjp,),
    jvp=(_cross_entropy_jvp,),
    flops=_cross_entropy_flops,
    on_arrays=True,
))
