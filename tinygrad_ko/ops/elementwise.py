"""Elementwise primitives. Binary ones broadcast like NumPy.

Notation: z is the output, g = ∂L/∂z the adjoint arriving from above, t the
tangent of the input whose rule it is.
"""

import numpy as np

from ..backend.device import move
from .either import all_finite, cast as cast_to, cos as cos_of, is_array, log as log_of, select, sin as sin_of, to_device as moved, values, which_device
from .primitive import BROADCASTS, Kind, Primitive, elementwise_flops, no_flops, register

add = register(Primitive(
    name="add",
    doc="z = x + y.   ∂z/∂x = 1,  ∂z/∂y = 1",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1", "y": "1"},
    symbol="+",
    typed="+",
    forward=lambda x, y: x + y,
    vjp=(lambda g, z, x, y: g,
         lambda g, z, x, y: g),
    jvp=(lambda t, z, x, y: t,
         lambda t, z, x, y: t),
    flops=elementwise_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

sub = register(Primitive(
    name="sub",
    doc="z = x − y.   ∂z/∂x = 1,  ∂z/∂y = −1",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1", "y": "-1"},
    symbol="-",
    typed="-",
    forward=lambda x, y: x - y,
    vjp=(lambda g, z, x, y: g,
         lambda g, z, x, y: -g),
    jvp=(lambda t, z, x, y: t,
         lambda t, z, x, y: -t),
    flops=elementwise_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

mul = register(Primitive(
    name="mul",
    doc="z = x · y.   ∂z/∂x = y,  ∂z/∂y = x",
    kind=Kind.ELEMENTWISE,
    partials={"x": "y", "y": "x"},
    symbol="*",
    typed="*",
    forward=lambda x, y: x * y,
    vjp=(lambda g, z, x, y: g * y,
         lambda g, z, x, y: g * x),
    jvp=(lambda t, z, x, y: t * y,
         lambda t, z, x, y: x * t),
    flops=elementwise_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

div = register(Primitive(
    name="div",
    doc="z = x / y.   ∂z/∂x = 1/y,  ∂z/∂y = −x/y² = −z/y",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1/y", "y": "-z/y"},
    symbol="/",
    typed="/",
    forward=lambda x, y: x / y,
    vjp=(lambda g, z, x, y: g / y,
         lambda g, z, x, y: -g * z / y),
    jvp=(lambda t, z, x, y: t / y,
         lambda t, z, x, y: -t * z / y),
    flops=elementwise_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

def _any_zero(t) -> bool:
    """True when some entry of ``t`` (a tensor or an array) is exactly 0."""
    return bool((values(t) == 0).any())


def _is_constant_two(y) -> bool:
    """True when exponent ``y`` is the single number 2 and nothing differentiates with respect
    to it: an array, or a tensor that needs no gradient and carries no tangent."""
    number = values(y)
    if number.size != 1 or number.reshape(()) != 2:
        return False
    if is_array(y):
        return True               # arrays: the first-order sweeps, where nothing is differentiated
    return not y.requires_grad and not y.node.tangents


def _pow_base_partial(x, y):
    """∂(xʸ)/∂x = y · x^(y−1), and exactly 0 where y = 0 (x⁰ is the constant 1).

    Written naively, y = 0 at x = 0 gives 0 · 0⁻¹ = 0 · ∞ = NaN. The exponent is
    replaced by 1 at exactly those points (y = 0 and x = 0) *before* the power
    is taken, so no ∞ is ever formed and the rule's own derivatives (which apply
    this rule again to x^(y−1)) stay exact too: x² has third derivative 0 at
    x = 0. Everywhere else y is kept, so ∂/∂y of this partial is still right.
    Without such a point the guard selects y everywhere, so it is left out
    (the same values and derivatives, four operations fewer). A square with a
    constant exponent (``x ** 2``, the commonest power) is 2 · x: no power taken."""
    if _is_constant_two(y):
        return y * x
    exponent = y
    if _any_zero(y) and _any_zero(x):
        exponent = select(y != 0, y, select(x != 0, y, 1.0))
    return y * x ** (exponent - 1)


def _pow_exponent_partial(z, x):
    """∂(xʸ)/∂y = xʸ · log x, and 0 where x = 0 (0ʸ is constantly 0 for y > 0, as in torch).

    log 0 = −∞ would give 0 · (−∞) = NaN; log is taken of x with its zeros
    replaced by 1, so the factor is log 1 = 0 there and stays finite when
    differentiated again. (No zero in x: nothing to replace.)"""
    if _any_zero(x):
        x = select(x != 0, x, 1.0)
    return z * log_of(x)


pow = register(Primitive(
    name="pow",
    doc="z = x ** y.   ∂z/∂x = y · x^(y−1),  ∂z/∂y = z · log x  "
        "(exactly 0 at y = 0 and at x = 0 respectively)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "y · x^(y-1)", "y": "z · log x"},
    symbol="**",
    typed="**",
    forward=lambda x, y: x ** y,
    vjp=(lambda g, z, x, y: g * _pow_base_partial(x, y),
         lambda g, z, x, y: g * _pow_exponent_partial(z, x)),
    jvp=(lambda t, z, x, y: t * _pow_base_partial(x, y),
         lambda t, z, x, y: t * _pow_exponent_partial(z, x)),
    flops=elementwise_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

neg = register(Primitive(
    name="neg",
    doc="z = −x.   ∂z/∂x = −1",
    kind=Kind.ELEMENTWISE,
    partials={"x": "-1"},
    symbol="-",
    typed="-",
    forward=lambda x: -x,
    vjp=(lambda g, z, x: -g,),
    jvp=(lambda t, z, x: -t,),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

exp = register(Primitive(
    name="exp",
    doc="z = eˣ.   ∂z/∂x = eˣ = z",
    kind=Kind.ELEMENTWISE,
    partials={"x": "z"},
    typed="exp",
    forward=np.exp,
    vjp=(lambda g, z, x: g * z,),
    jvp=(lambda t, z, x: t * z,),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

log = register(Primitive(
    name="log",
    doc="z = ln x.   ∂z/∂x = 1/x",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1/x"},
    typed="log",
    forward=np.log,
    vjp=(lambda g, z, x: g / x,),
    jvp=(lambda t, z, x: t / x,),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

log1p = register(Primitive(
    name="log1p",
    doc="z = ln(1 + x).   ∂z/∂x = 1/(1 + x)  "
        "(a primitive: ln(1 + x) computed as written loses every digit of a tiny x)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1/(1 + x)"},
    forward=np.log1p,
    vjp=(lambda g, z, x: g / (1 + x),),
    jvp=(lambda t, z, x: t / (1 + x),),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

sin = register(Primitive(
    name="sin",
    doc="z = sin x.   ∂z/∂x = cos x",
    kind=Kind.ELEMENTWISE,
    partials={"x": "cos x"},
    typed="sin",
    forward=np.sin,
    vjp=(lambda g, z, x: g * cos_of(x),),
    jvp=(lambda t, z, x: t * cos_of(x),),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

cos = register(Primitive(
    name="cos",
    doc="z = cos x.   ∂z/∂x = −sin x",
    kind=Kind.ELEMENTWISE,
    partials={"x": "-sin x"},
    typed="cos",
    forward=np.cos,
    vjp=(lambda g, z, x: -g * sin_of(x),),
    jvp=(lambda t, z, x: -t * sin_of(x),),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

sqrt = register(Primitive(
    name="sqrt",
    doc="z = √x.   ∂z/∂x = 1 / (2√x) = 0.5 / z",
    kind=Kind.ELEMENTWISE,
    partials={"x": "0.5 / z"},
    typed="sqrt",
    forward=np.sqrt,
    vjp=(lambda g, z, x: g * 0.5 / z,),
    jvp=(lambda t, z, x: t * 0.5 / z,),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

tanh = register(Primitive(
    name="tanh",
    doc="z = tanh x.   ∂z/∂x = 1 − tanh² x = 1 − z²  (a primitive: stable, and one pass)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1 - z²"},
    typed="tanh",
    forward=np.tanh,
    vjp=(lambda g, z, x: g * (1 - z * z),),
    jvp=(lambda t, z, x: t * (1 - z * z),),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

def _where_positive(g, x):
    """g where x > 0, else 0: g · 1[x > 0], the relu's chain rule.

    Multiplying by the mask is several times faster than selecting, and equal
    to it unless g holds ±∞ or NaN, where ∞ · 0 would be NaN (a base-0 power
    such as relu(x) ** 0.5 passes ∞ back); then the values are selected."""
    if all_finite(g):
        return g * (x > 0)
    return select(x > 0, g, 0.0)


relu = register(Primitive(
    name="relu",
    doc="z = max(x, 0).   ∂z/∂x = 1 where x > 0, else 0  "
        "(an infinite g is passed to x > 0 only, never multiplied by 0)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1 where x > 0, else 0"},
    typed="relu",
    forward=lambda x: np.maximum(x, 0),
    vjp=(lambda g, z, x: _where_positive(g, x),),
    jvp=(lambda t, z, x: _where_positive(t, x),),
    flops=elementwise_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

where = register(Primitive(
    name="where",
    doc="z = x where c else y.   ∂z/∂x = c,  ∂z/∂y = not c  (c is not differentiable)",
    kind=Kind.ELEMENTWISE,
    partials={"c": None, "x": "c", "y": "not c"},
    forward=lambda c, x, y: np.where(c, x, y),
    vjp=(None,
         lambda g, z, c, x, y: select(c, g, 0.0),
         lambda g, z, c, x, y: select(~c, g, 0.0)),
    jvp=(None,
         lambda t, z, c, x, y: select(c, t, 0.0),
         lambda t, z, c, x, y: select(~c, t, 0.0)),
    flops=no_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))

cast = register(Primitive(
    name="cast",
    doc="z = x converted to another float dtype.   ∂z/∂x = 1 (converted back)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1 (converted back)"},
    forward=lambda x, dtype: x.astype(dtype),
    vjp=(lambda g, z, x, dtype: cast_to(g, x.dtype),),
    jvp=(lambda t, z, x, dtype: cast_to(t, dtype),),
    flops=no_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

identity = register(Primitive(
    name="identity",
    doc="z = x.   ∂z/∂x = 1  (a new graph node that shares x's value)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1"},
    forward=lambda x: x,
    vjp=(lambda g, z, x: g,),
    jvp=(lambda t, z, x: t,),
    flops=no_flops,
    on_arrays=True,
    batching=BROADCASTS,
))

to_device = register(Primitive(
    name="to_device",
    doc="z = x copied to another device.   ∂z/∂x = 1 (the adjoint is copied back)",
    kind=Kind.ELEMENTWISE,
    partials={"x": "1 (the adjoint is copied back)"},
    forward=lambda x, device: move(x, device),
    vjp=(lambda g, z, x, device: moved(g, which_device(x)),),
    jvp=(lambda t, z, x, device: moved(t, device),),
    flops=no_flops,
    on_arrays=True,
    batching=BROADCASTS,
))
