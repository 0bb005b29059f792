"""The LSTM cell's elementwise part as one primitive: the math of its forward and of its rules.

An LSTM step is a matmul z = [x, h] W + b followed by about twenty elementwise
operations. Recorded one by one, those twenty are twenty graph nodes, and
Python's cost per node — not the arithmetic on a batch of 16 — is what a small
LSTM spends its time on. Here they are one node, with the chain rule worked
out by hand (the lesson: a "fused kernel" is a primitive whose derivative
someone derived once).

Inputs: z (N, 4H), the gate pre-activations in the order i, f, g, o, and the
cell state c (N, H). Output: the new packed state s' = [h', c'] (N, 2H)::

    i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
    c' = f ⊙ c + i ⊙ g
    h' = o ⊙ tanh(c')

Reverse mode, for an adjoint [ḡ_h, ḡ_c] of s' (with u = tanh(c'))::

    δc'  = ḡ_c + ḡ_h ⊙ o ⊙ (1 − u²)          (c' reaches the loss directly and through h')
    ∂L/∂z_i = δc' ⊙ g ⊙ i(1 − i)      ∂L/∂z_f = δc' ⊙ c ⊙ f(1 − f)
    ∂L/∂z_g = δc' ⊙ i ⊙ (1 − g²)      ∂L/∂z_o = ḡ_h ⊙ u ⊙ o(1 − o)
    ∂L/∂c   = δc' ⊙ f

Forward mode, for tangents ż and ċ::

    ċ' = i(1 − i) ż_i ⊙ g + i ⊙ (1 − g²) ż_g + f(1 − f) ż_f ⊙ c + f ⊙ ċ
    ḣ' = o(1 − o) ż_o ⊙ u + o ⊙ (1 − u²) ⊙ ċ'

Each formula is written once, for "something with +, −, ×, slicing, tanh and
a join" (a ``math``): the forward evaluates it on arrays (``ArrayMath``); the
rules evaluate it on Tensors, like every rule in the registry, so they can be
differentiated again (Hessians of an LSTM need nothing more), or on the raw
arrays when nobody will differentiate their result. This module is that math,
on arrays and on whatever a rule is handed; the registry entry ``lstm_cell``
and the choice between Tensors and arrays are in tensor/lstm_cell.py, on the
floor of the Tensor class and the engine's switches that the choice reads.

σ is computed as (tanh(x/2) + 1)/2, which never overflows.
"""

import numpy as np

# elementwise operations per hidden unit in the forward: three σ (4 each: ×½, tanh, ×½, +½),
# tanh(z_g), c' = f·c + i·g (3), tanh(c') and o·tanh(c') (1 each)
FLOPS_PER_UNIT = 3 * 4 + 1 + 3 + 1 + 1


class ArrayMath:
    """The formulas' two operations beyond + − × and slicing, on plain arrays."""

    tanh = staticmethod(np.tanh)

    @staticmethod
    def join(blocks):
        return np.concatenate(blocks, axis=-1)


def _gates(z, H, math):
    """The four gates (i, f, g, o) from the pre-activations z."""
    squashed = math.tanh(z * 0.5) * 0.5 + 0.5     # σ of every column; the g block is taken from tanh below
    return squashed[:, :H], squashed[:, H:2 * H], math.tanh(z[:, 2 * H:3 * H]), squashed[:, 3 * H:]


def forward(z, c):
    """[h', c'] on arrays."""
    H = c.shape[-1]
    i, f, g, o = _gates(z, H, ArrayMath)
    c_new = f * c + i * g
    return ArrayMath.join([o * np.tanh(c_new), c_new])


def _cell_adjoint(grad, out, z, c, math):
    """(δc', ḡ_h, u = tanh c', gates): the adjoint reaching c', and what both rules share."""
    H = c.shape[-1]
    i, f, g, o = _gates(z, H, math)
    u = math.tanh(out[:, H:])
    grad_h = grad[:, :H]
    delta_c = grad[:, H:] + grad_h * o * (1 - u * u)
    return delta_c, grad_h, u, (i, f, g, o)


def vjp_z(math, grad, out, z, c):
    """∂L/∂z, the four gate blocks side by side."""
    delta_c, grad_h, u, (i, f, g, o) = _cell_adjoint(grad, out, z, c, math)
    return math.join([delta_c * g * i * (1 - i), delta_c * c * f * (1 - f),
                      delta_c * i * (1 - g * g), grad_h * u * o * (1 - o)])


def vjp_c(math, grad, out, z, c):
    """∂L/∂c = δc' ⊙ f."""
    delta_c, _, _, (_, f, _, _) = _cell_adjoint(grad, out, z, c, math)
    return delta_c * f


def _state_tangent(tangent_c, tangent_o, out, o, math):
    """[ḣ', ċ'] from ċ' and the output gate's own tangent ȯ (None when it has none)."""
    H = o.shape[-1]
    u = math.tanh(out[:, H:])
    tangent_h = o * (1 - u * u) * tangent_c
    if tangent_o is not None:
        tangent_h = tangent_h + tangent_o * u
    return math.join([tangent_h, tangent_c])


def jvp_z(math, t, out, z, c):
    """[ḣ', ċ'] for a tangent ż of the pre-activations."""
    H = c.shape[-1]
    i, f, g, o = _gates(z, H, math)
    tangent_c = (i * (1 - i) * t[:, :H] * g + f * (1 - f) * t[:, H:2 * H] * c
                 + i * (1 - g * g) * t[:, 2 * H:3 * H])
    return _state_tangent(tangent_c, o * (1 - o) * t[:, 3 * H:], out, o, math)


def jvp_c(math, t, out, z, c):
    """[ḣ', ċ'] for a tangent ċ of the cell state."""
    _, f, _, o = _gates(z, c.shape[-1], math)
    return _state_tangent(f * t, None, out, o, math)


def flops(out, z, c) -> int:
    """FLOPS_PER_UNIT for each hidden unit of each row."""
    return int(FLOPS_PER_UNIT * c.size)
