"""Forward versus reverse mode on one function: passes, FLOPs, tape memory, time.

    result = compare_modes(f, x)
    print(result.table())

For f: Rⁿ → Rᵐ the Jacobian (m × n) is built

* by ``jacfwd``: n forward passes, one column J eⱼ each;
* by ``jacrev``: one evaluation, then m backward passes, one row eᵢᵀ J each.

So forward mode costs about n · cost(f) and reverse mode about m · cost(f)
(times a small constant): reverse mode wins when there are many inputs and few
outputs (a loss: m = 1), forward mode when there are few inputs and many outputs.

Each method is run once under ``count_ops`` (the exact counts, and the
Jacobian) and then up to ``repeats`` more times without counting, for the
best wall-clock time (``best_seconds``). Both Jacobians must agree; ``agree`` says whether they do.
With ``vectorized=True`` the one-pass versions (``jacfwd_vectorized``,
``jacrev_vectorized``) are measured too; they need an f that maps a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ...backend.threads import single_blas_thread
from ...autodiff import jacfwd_per_column as jacfwd, jacrev_per_row as jacrev  # one pass per basis vector: what the lessons count
from ...autodiff.inputs import as_tensor, output_tensor
from ...tensor.graph import no_grad
from .batched import jacfwd_vectorized, jacrev_vectorized
from .counter import OpCounts, count_ops
from .format import format_bytes, format_count, format_seconds, text_table
from .timing import best_seconds


@dataclass
class ModeCost:
    """What one way of building the Jacobian cost."""

    method: str
    counts: OpCounts
    seconds: float
    jacobian: np.ndarray

    @property
    def passes(self) -> int:
        """Derivative passes: forward (dual levels) plus backward passes."""
        return self.counts.forward_passes + self.counts.backward_passes

    @property
    def flops(self) -> int:
        return self.counts.total_flops

    @property
    def tape_peak_bytes(self) -> int:
        return self.counts.tape_peak_bytes


@dataclass
class ModeComparison:
    """The costs of each method for one f and x, and whether their Jacobians agree."""

    n: int
    m: int
    costs: dict[str, ModeCost]
    max_difference: float
    tolerance: float

    @property
    def agree(self) -> bool:
        return self.max_difference <= self.tolerance

    @property
    def cheaper_by_flops(self) -> str:
        """Which of jacfwd and jacrev did fewer FLOPs (jacrev on a tie)."""
        return "jacfwd" if self.costs["jacfwd"].flops < self.costs["jacrev"].flops else "jacrev"

    def table(self) -> str:
        header = ["method", "passes", "FLOPs", "primal", "jvp", "vjp", "tape peak", "time"]
        rows = []
        for cost in self.costs.values():
            counts = cost.counts
            rows.append([cost.method, f"{counts.forward_passes} fwd + {counts.backward_passes} bwd",
                         format_count(cost.flops), format_count(counts.flops("primal")),
                         format_count(counts.flops("jvp")), format_count(counts.flops("vjp")),
                         format_bytes(cost.tape_peak_bytes), format_seconds(cost.seconds)])
        verdict = "agree" if self.agree else "DISAGREE"
        return (f"f: R^{self.n} -> R^{self.m}\n" + text_table(header, rows) +
                f"\nJacobians {verdict}: largest difference {self.max_difference:.2e} "
                f"(tolerance {self.tolerance:.0e})")


METHODS: dict[str, Callable] = {
    "jacfwd": lambda f, x, out_shape: jacfwd(f)(x),
    "jacrev": lambda f, x, out_shape: jacrev(f)(x),
    "jacfwd_vectorized": lambda f, x, out_shape: jacfwd_vectorized(f, x),
    "jacrev_vectorized": lambda f, x, out_shape: jacrev_vectorized(f, x, out_shape),
}


def default_tolerance(dtype) -> float:
    """How far two Jacobians may differ (relative to their size, at least 1): 1e-10 in float64."""
    return 1e-10 if np.dtype(dtype).itemsize >= 8 else 1e-4


def measure(method: str, f: Callable, x, *, repeats: int = 5, out_shape=None) -> ModeCost:
    """Count one run of ``method`` ("jacfwd", "jacrev", …) on f at x, then time up to ``repeats`` more."""
    build = METHODS[method]
    with single_blas_thread():
        with count_ops() as counts:
            jacobian = build(f, x, out_shape)
        seconds = best_seconds(lambda: build(f, x, out_shape), repeats)
    return ModeCost(method, counts, seconds, np.array(jacobian.numpy()))


def compare_modes(f: Callable, x, *, repeats: int = 5, vectorized: bool = False,
                  tolerance: float | None = None) -> ModeComparison:
    """Build f's Jacobian at x with jacfwd and with jacrev (and the vectorised
    one-pass versions if asked); count, time and cross-check them.

    ``repeats``: timed runs per method (0: count only, no timing).
    ``tolerance``: the largest difference allowed between the Jacobians; by
    default 1e-10 (float64) or 1e-4 (float32) times max(1, largest |J| entry)."""
    x = as_tensor(x)
    with no_grad():
        out_shape = output_tensor(f(x), "compare_modes").shape
    methods = list(METHODS) if vectorized else ["jacfwd", "jacrev"]
    costs = {method: measure(method, f, x, repeats=repeats, out_shape=out_shape) for method in methods}
    reference = costs["jacfwd"].jacobian
    scale = max(1.0, float(np.max(np.abs(reference), initial=0.0)))
    difference = max(float(np.max(np.abs(cost.jacobian - reference), initial=0.0)) for cost in costs.values())
    if tolerance is None:
        tolerance = default_tolerance(x.dtype) * scale
    n = x.size
    m = int(np.prod(out_shape))
    return ModeComparison(n, m, costs, difference, tolerance)
