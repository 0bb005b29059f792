"""Built-in functions f: Rⁿ → Rᵐ whose Jacobians the cost tools compare.

Each builder returns an ``Example``: the function, a point x to differentiate
at, and its parameters as NumPy arrays (so a benchmark can build the very same
function in JAX or PyTorch). Every function also maps a batch row by row,
(B, n) → (B, m), which the vectorised Jacobians use.

* ``dense``       — a stack of dense layers, hᵢ₊₁ = tanh(hᵢ Wᵢ + bᵢ), widths n → 64 → m.
* ``elementwise`` — an elementwise chain g(u) = tanh(u · sin u) applied to every
  uⱼᵢ = xᵢ + cⱼ and summed over i: fⱼ(x) = Σᵢ g(xᵢ + cⱼ). Every output depends
  on every input, and all the arithmetic is elementwise (m·n numbers per step).
* ``olah``        — Olah's e = (a + b)(b + 1), with aⱼ = x[j mod n] and
  bⱼ = x[(j + 1) mod n] for j < m. With n = 2, m = 1 it is exactly the
  classroom graph (a = x₀, b = x₁).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ...tensor.tensor import Tensor
from ..olah import olah as olah_function


@dataclass(frozen=True)
class Example:
    """A function f: Rⁿ → Rᵐ, the point x where its Jacobian is taken, and its parameters."""

    name: str
    n: int
    m: int
    function: Callable[[Tensor], Tensor]
    point: np.ndarray
    formula: str
    params: dict = field(default_factory=dict, repr=False)

    def __call__(self, x):
        return self.function(x)


def dense_stack(n: int, m: int, *, hidden: int = 64, layers: int = 2,
                dtype=np.float64, seed: int = 0) -> Example:
    """``layers`` dense tanh layers n → hidden → … → m (one layer: tanh(x W + b))."""
    rng = np.random.default_rng(seed)
    widths = [n] + [hidden] * (layers - 1) + [m]
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)).astype(dtype)
        params[f"b{i}"] = (0.1 * rng.standard_normal(fan_out)).astype(dtype)
    weights = [(Tensor(params[f"W{i}"]), Tensor(params[f"b{i}"])) for i in range(layers)]

    def dense(x: Tensor) -> Tensor:
        for W, b in weights:
            x = (x @ W + b).tanh()
        return x

    formula = "tanh(x W + b)" if layers == 1 else f"{layers} layers h = tanh(h W + b), widths {widths}"
    return Example("dense", n, m, dense, rng.standard_normal(n).astype(dtype), formula, params)


def elementwise_chain(n: int, m: int, *, dtype=np.float64, seed: int = 0) -> Example:
    """fⱼ(x) = Σᵢ tanh(uⱼᵢ · sin uⱼᵢ) with uⱼᵢ = xᵢ + cⱼ."""
    rng = np.random.default_rng(seed)
    params = {"c": np.linspace(-1.0, 1.0, m).astype(dtype)}
    shifts = Tensor(params["c"].reshape(m, 1))

    def elementwise(x: Tensor) -> Tensor:
        u = x[..., None, :] + shifts          # (…, m, n): every pair (j, i)
        return (u * u.sin()).tanh().sum(-1)   # (…, m)

    return Example("elementwise", n, m, elementwise, rng.standard_normal(n).astype(dtype),
                   "f_j = sum_i tanh(u sin u), u = x_i + c_j", params)


def olah(n: int, m: int, *, dtype=np.float64, seed: int = 0) -> Example:
    """e = (a + b)(b + 1) elementwise, with a = x[j mod n], b = x[(j + 1) mod n]."""
    rng = np.random.default_rng(seed)
    params = {"a_index": np.arange(m) % n, "b_index": (np.arange(m) + 1) % n}

    def olah_expression(x: Tensor) -> Tensor:
        return olah_function(x[..., params["a_index"]], x[..., params["b_index"]])

    return Example("olah", n, m, olah_expression, rng.standard_normal(n).astype(dtype),
                   "e = (a + b)(b + 1), a_j = x[j mod n], b_j = x[(j+1) mod n]", params)


EXAMPLES: dict[str, Callable[..., Example]] = {
    "dense": dense_stack,
    "elementwise": elementwise_chain,
    "olah": olah,
}


def make_example(name: str, n: int, m: int, **options) -> Example:
    """The built-in example ``name`` with n inputs and m outputs."""
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; choose from {', '.join(EXAMPLES)}")
    if n < 1 or m < 1:
        raise ValueError(f"an example needs n >= 1 inputs and m >= 1 outputs, not n={n}, m={m}")
    return EXAMPLES[name](n, m, **options)
