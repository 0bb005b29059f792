"""The fused LSTM cell as a registry entry: its rules run on Tensors, or on arrays.

ops/lstm.py writes the cell's forward and its four rules once, for any
``math`` with +, −, ×, slicing, tanh and a join. A rule is handed Tensors and
must give a Tensor that can be differentiated again, so it evaluates its
formula on them (``TensorMath``: every step recorded and carrying tangents,
like any rule in the registry). When nobody will differentiate the rule's
result — no graph is being recorded, no forward-mode level is open, no cost
counter is watching — it evaluates the same formula on the raw arrays
(``ArrayMath``): one NumPy pass instead of some thirty graph-free Tensor
operations. That is what makes the fused cell cheaper than the composite in a
first-order backward pass (benchmarks/dni_recurrent.py --profile measures it).

The entry is registered here, not in ops/, because that choice reads the
engine's switches and builds a Tensor: both stand on this floor, above the
registry, and the registry never imports them.
"""

from __future__ import annotations

from ..ops import Kind, Primitive, lstm, register
from .functions import concatenate
from .graph import STATE
from .tensor import Tensor


class TensorMath:
    """The formulas' two operations beyond + − × and slicing, on Tensors."""

    @staticmethod
    def tanh(x: Tensor) -> Tensor:
        return x.tanh()

    @staticmethod
    def join(blocks) -> Tensor:
        return concatenate(blocks, axis=-1)


def on_tensors_or_arrays(formula):
    """The rule for ``formula(math, *args)``: on raw arrays when its result will not be
    differentiated, else on the Tensors themselves."""
    def rule(*tensors):
        if STATE.grad_enabled or STATE.open_levels or STATE.observers:
            return formula(TensorMath, *tensors)
        return Tensor._from_array(formula(lstm.ArrayMath, *[t.data for t in tensors]))

    rule.__doc__ = formula.__doc__
    return rule


lstm_cell = register(Primitive(
    name="lstm_cell",
    doc="[h', c'] = [o ⊙ tanh(c'), c'] with c' = f ⊙ c + i ⊙ g and [i, f, g, o] = [σ, σ, tanh, σ](z).   "
        "δc' = ḡ_c + ḡ_h ⊙ o ⊙ (1 − tanh² c');  ∂L/∂z = δc' ⊙ [g i(1−i), c f(1−f), i(1−g²)] | ḡ_h tanh c' o(1−o);  "
        "∂L/∂c = δc' ⊙ f",
    kind=Kind.FUSED,
    forward=lstm.forward,
    vjp=(on_tensors_or_arrays(lstm.vjp_z), on_tensors_or_arrays(lstm.vjp_c)),
    jvp=(on_tensors_or_arrays(lstm.jvp_z), on_tensors_or_arrays(lstm.jvp_c)),
    flops=lstm.flops,
))
