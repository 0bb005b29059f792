"""Check derivatives against central finite differences, in float64.

``gradcheck(f, *inputs)`` compares, for every input element and output element,

    numeric  (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h      (error O(h²))
    analytic  the Jacobian from forward mode (jacfwd) and/or reverse mode (jacrev)

and raises ``GradcheckError`` naming the mode, the order, the input and the
element where they disagree. With ``order=2`` it then checks the derivative
functions themselves the same way — a random-direction JVP (forward mode) and
a random-cotangent VJP (reverse mode) — which tests every rule's own rules.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import GradError
from ..tensor.functions import concatenate
from ..tensor.graph import no_grad
from ..tensor.tensor import Tensor
from .forward import jvp
from .functional import vjp
from .inputs import output_tensor
from .transforms import jacfwd, jacrev


class GradcheckError(GradError, AssertionError):
    """An analytic derivative disagrees with finite differences.

    Besides the message it keeps where, as data (for ``exercises.check_rule``):
    ``mode`` ("fwd" or "rev"), ``order``, ``position`` (which input), ``entry``
    ((output element, input element), flat) and the two numbers, ``analytic`` and
    ``numeric``."""

    def __init__(self, message: str, *, mode=None, order=None, position=None, entry=None,
                 analytic=None, numeric=None):
        super().__init__(message)
        self.mode, self.order, self.position, self.entry = mode, order, position, entry
        self.analytic, self.numeric = analytic, numeric


_JACOBIANS = {"fwd": jacfwd, "rev": jacrev}


def numeric_jacobian(f: Callable, inputs: list[np.ndarray], position: int, step: float) -> np.ndarray:
    """∂f/∂inputs[position] by central differences, shape (output size, input size)."""
    x = inputs[position]
    columns = []
    for j in range(x.size):
        shifted = []
        for sign in (+1, -1):
            moved = x.copy().reshape(-1)
            moved[j] += sign * step
            args = [Tensor(a) for a in inputs]
            args[position] = Tensor(moved.reshape(x.shape))
            with no_grad():
                shifted.append(output_tensor(f(*args), "gradcheck").detach().numpy().reshape(-1))
        columns.append((shifted[0] - shifted[1]) / (2 * step))
    return np.stack(columns, axis=-1)


def _compare(analytic, numeric, *, mode, order, position, atol, rtol):
    error = np.abs(analytic - numeric)
    bad = error > atol + rtol * np.abs(numeric)
    if np.any(bad):
        row, column = np.argwhere(bad)[0]
        raise GradcheckError(
            f"gradcheck: {'forward' if mode == 'fwd' else 'reverse'} mode, order {order}, input {position}: "
            f"∂out[{row}]/∂in[{column}] is {analytic[row, column]:.8g} analytically but "
            f"{numeric[row, column]:.8g} by finite differences "
            f"({int(bad.sum())} of {bad.size} entries differ; largest gap {error.max():.3g})",
            mode=mode, order=order, position=position, entry=(int(row), int(column)),
            analytic=float(analytic[row, column]), numeric=float(numeric[row, column]))


def _derivative_function(f: Callable, mode: str, inputs: list[np.ndarray], rng) -> Callable:
    """A function of the same inputs whose output is one directional derivative of f."""
    if mode == "fwd":
        directions = [Tensor(rng.standard_normal(x.shape)) for x in inputs]

        def along_tangent(*xs):
            return jvp(f, xs, directions)[1]
        return along_tangent

    with no_grad():
        out_shape = output_tensor(f(*[Tensor(x) for x in inputs]), "gradcheck").shape
    cotangent = Tensor(rng.standard_normal(out_shape))

    def against_cotangent(*xs):
        _, pullback = vjp(f, *xs)
        return concatenate([g.reshape(-1) for g in pullback(cotangent)])
    return against_cotangent


def gradcheck(f: Callable, *inputs, modes=("fwd", "rev"), order: int = 1,
              step: float = 1e-6, atol: float = 1e-6, rtol: float = 1e-5, seed: int = 0) -> bool:
    """Check f's derivatives in each mode up to ``order`` against finite differences.

    Inputs are converted to float64. Returns True, or raises GradcheckError."""
    for mode in modes:
        if mode not in _JACOBIANS:
            raise GradError(f"gradcheck: unknown mode {mode!r}; use 'fwd' and/or 'rev'")
    arrays = [np.array(Tensor(x).numpy(), dtype=np.float64) for x in inputs]
    _check(f, arrays, modes, order, order, step, atol, rtol, np.random.default_rng(seed))
    return True


def _check(f, arrays, modes, order, top_order, step, atol, rtol, rng):
    current = top_order - order + 1
    for position in range(len(arrays)):
        numeric = numeric_jacobian(f, arrays, position, step)
        for mode in modes:
            jacobian = _JACOBIANS[mode](f, argnums=position)(*[Tensor(a) for a in arrays])
            analytic = jacobian.detach().numpy().reshape(numeric.shape)
            _compare(analytic, numeric, mode=mode, order=current, position=position, atol=atol, rtol=rtol)
    if order > 1:
        for mode in modes:
            derivative = _derivative_function(f, mode, arrays, rng)
            _check(derivative, arrays, modes, order - 1, top_order, step, atol, rtol, rng)
