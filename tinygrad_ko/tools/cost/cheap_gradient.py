"""The cheap-gradient principle, measured on an MLP.

Reverse mode gives the gradient of a scalar loss with respect to ALL n
parameters for a small constant times the cost of evaluating the loss
(Griewank's bound is 5; for matrix products it is about 3: the forward does
one product per layer, the backward two — ∂L/∂W and ∂L/∂h). Forward mode
needs one pass per parameter: n passes, each a little dearer than the
evaluation.

``cheap_gradient_check()`` measures this for the MLP 784-256-256-10 (ReLU),
batch 64, float32, softmax cross-entropy:

* the forward pass: evaluating the loss without recording;
* the reverse-mode gradient: ``value_and_grad`` with respect to every
  parameter (one evaluation, recorded, and one backward pass);
* the forward-mode gradient: one JVP pass per parameter element. There are
  269,322 of them, so not all are run: for each parameter tensor, one pass with
  a one-hot tangent in it is counted and timed, and multiplied by that
  tensor's size. Every pass through the same tensor does exactly the same
  operations, so the FLOP total is exact; the time is an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...backend.threads import single_blas_thread
from ...autodiff import jvp, value_and_grad
from ...tensor.graph import no_grad
from ...tensor.tensor import Tensor
from .counter import OpCounts, count_ops
from .format import format_bytes, format_count, format_seconds, text_table
from .timing import best_seconds


@dataclass
class MLPProblem:
    """An MLP loss as a function of its parameters, with fixed data."""

    sizes: tuple[int, ...]
    batch: int
    params: list[np.ndarray]
    names: list[str]
    inputs: Tensor
    labels: np.ndarray

    def loss(self, *params: Tensor) -> Tensor:
        """Mean softmax cross-entropy of the MLP (ReLU between layers) on the batch."""
        h = self.inputs
        layers = len(params) // 2
        for i in range(layers):
            h = h @ params[2 * i] + params[2 * i + 1]
            if i < layers - 1:
                h = h.relu()
        log_probabilities = h.log_softmax(axis=-1)
        return -log_probabilities[np.arange(self.batch), self.labels].mean()

    @property
    def parameter_count(self) -> int:
        return sum(p.size for p in self.params)


def make_mlp(sizes=(784, 256, 256, 10), batch: int = 64, dtype=np.float32, seed: int = 0) -> MLPProblem:
    """The MLP with He-initialised weights, zero biases and a random batch."""
    rng = np.random.default_rng(seed)
    params, names = [], []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype))
        params.append(np.zeros(fan_out, dtype=dtype))
        names += [f"W{i + 1}", f"b{i + 1}"]
    inputs = Tensor(rng.random((batch, sizes[0])).astype(dtype))
    labels = rng.integers(0, sizes[-1], size=batch)
    return MLPProblem(tuple(sizes), batch, params, names, inputs, labels)


@dataclass
class Measured:
    """Counts and best time of one way of computing something."""

    name: str
    flops: int
    seconds: float
    passes: str
    tape_peak_bytes: int = 0


@dataclass
class CheapGradientResult:
    """The three measurements; ``forward_mode_per_tensor`` holds, per parameter
    tensor, (name, size, counts of one JVP pass, best time of one pass)."""

    problem: MLPProblem
    forward: Measured
    reverse: Measured
    forward_mode: Measured
    forward_mode_per_tensor: list[tuple[str, int, OpCounts, float]]

    def ratio(self, measured: Measured, what: str) -> float:
        """``measured``'s "flops" or "seconds" divided by the forward pass's."""
        return getattr(measured, what) / getattr(self.forward, what)

    def table(self) -> str:
        problem = self.problem
        header = ["computation", "passes", "FLOPs", "× forward", "time", "× forward", "tape peak"]
        rows = [[m.name, m.passes, format_count(m.flops), f"{self.ratio(m, 'flops'):.3g}",
                 format_seconds(m.seconds), f"{self.ratio(m, 'seconds'):.3g}",
                 format_bytes(m.tape_peak_bytes)]
                for m in (self.forward, self.reverse, self.forward_mode)]
        title = (f"MLP {'-'.join(map(str, problem.sizes))}, batch {problem.batch}, "
                 f"{problem.params[0].dtype}, softmax cross-entropy: "
                 f"{problem.parameter_count:,} parameters")
        note = ("forward-mode time: one pass per parameter tensor, measured, × its size "
                "(estimated; FLOPs exact)")
        return f"{title}\n{text_table(header, rows)}\n{note}"


def cheap_gradient_check(problem: MLPProblem | None = None, repeats: int = 5) -> CheapGradientResult:
    """Measure forward pass, reverse-mode gradient and forward-mode gradient of an MLP loss."""
    with single_blas_thread():
        return _measure_mlp(problem or make_mlp(), repeats)


def _measure_mlp(problem: MLPProblem, repeats: int) -> CheapGradientResult:
    params = [Tensor(p) for p in problem.params]

    def forward():
        with no_grad():
            return problem.loss(*params)

    def reverse():
        return value_and_grad(problem.loss, argnums=tuple(range(len(params))))(*params)

    measured = {}
    for name, run in (("forward", forward), ("reverse", reverse)):
        with count_ops() as counts:
            run()
        measured[name] = (counts, best_seconds(run, repeats))

    per_tensor = []
    for position, (name, value) in enumerate(zip(problem.names, params)):
        one_pass = _one_jvp_pass(problem, params, position)
        with count_ops() as counts:
            one_pass()
        per_tensor.append((name, value.size, counts, best_seconds(one_pass, repeats)))

    forward_counts, forward_seconds = measured["forward"]
    reverse_counts, reverse_seconds = measured["reverse"]
    return CheapGradientResult(
        problem,
        Measured("forward pass (no_grad)", forward_counts.total_flops, forward_seconds, "1 evaluation"),
        Measured("reverse-mode gradient", reverse_counts.total_flops, reverse_seconds,
                 f"1 evaluation + {reverse_counts.backward_passes} backward",
                 reverse_counts.tape_peak_bytes),
        Measured("forward-mode gradient", sum(size * c.total_flops for _, size, c, _ in per_tensor),
                 sum(size * s for _, size, _, s in per_tensor),
                 f"{problem.parameter_count:,} forward",
                 max(c.tape_peak_bytes for _, _, c, _ in per_tensor)),
        per_tensor,
    )


def _one_jvp_pass(problem: MLPProblem, params: list[Tensor], position: int):
    """A function running one forward-mode pass with a one-hot tangent in parameter ``position``."""
    value = params[position]
    one_hot = np.zeros(value.shape, dtype=value.dtype)
    one_hot.flat[0] = 1

    def loss_of_one(p):
        return problem.loss(*params[:position], p, *params[position + 1:])

    def one_pass():
        return jvp(loss_of_one, (value,), (Tensor(one_hot),))
    return one_pass
