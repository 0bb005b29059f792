"""An MLP training step on the GPU: tinygrad_ko beside PyTorch CUDA eager and raw CuPy.

    python benchmarks/bench_gpu_mlp.py            # full run, writes the "gpu-mlp" section of RESULTS.md
    python benchmarks/bench_gpu_mlp.py --quick    # small net, few rounds; RESULTS.md left alone
    python benchmarks/bench_gpu_mlp.py --cpu      # dry run of this script's code on the CPU

The step: a 4096-4096-4096-10 MLP with ReLU, batch 1024, float32, softmax cross-entropy
(mean over the batch), SGD with momentum 0.9 (v ← 0.9·v + g, θ ← θ − lr·v: torch.optim.SGD's
rule). Every contender starts from the same weights and trains on the same batch, which is
already on the GPU:

    tinygrad_ko, fused update   nn.MLP on "cuda", nn.cross_entropy, optim.SGD, which updates
                                each parameter with one CUDA kernel (kernels/optim.cu)
    tinygrad_ko, plain update   the same with the fused kernels switched off: the update runs
                                as CuPy array expressions, a kernel and a temporary per operation
    torch eager                 F.linear, F.relu, F.cross_entropy, torch.optim.SGD (its default,
                                multi-tensor "foreach" update on CUDA)
    raw CuPy, fused update      forward and backward written by hand (reference_forward and
                                reference_backward below: no graph, no bookkeeping), our SGD kernel
    raw CuPy, plain update      the same, with the update in three in-place CuPy operations

Raw CuPy with the fused update is the floor: the same matrix products and elementwise passes
with nothing around them. The two raw rows pair with our two rows, so each difference is the
engine's own cost. Matrix products run in full float32 everywhere (torch's matmul precision is
set to "highest"; CuPy uses TF32 only when CUPY_TF32=1, which the header reports).

Before timing, every contender takes two steps, and after each its weights are compared with
raw CuPy's (fused update): the change θ_after − θ_start must agree to 1e-3 of its largest entry,
plus float32 rounding of θ. A failed check exits with 1.

Timing is wall clock with the device drained (synchronised) before and after each block of
steps; warm-up steps first, then rounds in which the contenders take turns (the order rotates
every round), median per step. The forward / backward / update split times each part alone,
drained before and after, so the parts add up to more than a pipelined step.

Without CuPy or a CUDA device the script prints one line saying so and exits 0, leaving
RESULTS.md alone; torch without CUDA only drops the torch row. ``--cpu`` runs the same code on
the CPU (NumPy arrays, torch on the CPU, the kernels' NumPy twins in place of the CUDA kernels,
the --quick sizes): a check of the script, whose times say nothing about a GPU.
"""

from __future__ import annotations

import common  # first: pins BLAS/OpenMP to one thread before NumPy or torch load

import argparse
import dataclasses
import importlib.util
import os
import pathlib
import platform
import statistics
import sys
import time
from typing import Callable

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko import Tensor, nn  # noqa: E402
from tinygrad_ko.backend import kernel_reference  # noqa: E402
from tinygrad_ko.optim import SGD  # noqa: E402

LEARNING_RATE, MOMENTUM = 0.01, 0.9
SECTION = "gpu-mlp"


@dataclasses.dataclass(frozen=True)
class Size:
    layers: tuple[int, ...]   # layer widths, input first, classes last
    batch: int
    warmup: int               # untimed steps per contender before timing
    rounds: int               # rounds of taking turns
    steps: int                # steps per timed block (one block per contender per round)
    split_steps: int          # steps per contender per round for the forward/backward/update split


FULL = Size(layers=(4096, 4096, 4096, 10), batch=1024, warmup=5, rounds=15, steps=10, split_steps=2)
QUICK = Size(layers=(256, 256, 256, 10), batch=64, warmup=2, rounds=3, steps=5, split_steps=1)


# --------------------------------------------------------------------- data
@dataclasses.dataclass
class Problem:
    x: np.ndarray          # (batch, layers[0]) inputs
    labels: np.ndarray     # (batch,) int64 class indices
    params: list           # [W1, b1, W2, b2, ...]; W_k of shape (n_in, n_out), as in nn.Linear

    @property
    def layers(self) -> list[int]:
        return [self.params[0].shape[0]] + [W.shape[1] for W in self.params[0::2]]


def mlp_problem(layers, batch: int, seed: int = 0, dtype=np.float32) -> Problem:
    """Standard-normal inputs, uniform random labels, He-initialised weights, small random biases."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, layers[0])).astype(dtype)
    labels = rng.integers(0, layers[-1], batch)
    params = []
    for n_in, n_out in zip(layers[:-1], layers[1:]):
        params.append((rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)).astype(dtype))
        params.append((rng.standard_normal(n_out) * 0.1).astype(dtype))
    return Problem(x, labels, params)


def parameter_names(layer_count: int) -> list[str]:
    """["W1", "b1", "W2", "b2", ...] for ``layer_count`` Linear layers."""
    return [f"{kind}{k}" for k in range(1, layer_count + 1) for kind in ("W", "b")]


def matmul_flops(layers, batch: int) -> int:
    """Multiply-adds × 2 of the step's matrix products: x W forward, hᵀd for every ∂W, and d Wᵀ
    for every layer but the first (nobody needs ∂loss/∂x)."""
    products = [n_in * n_out for n_in, n_out in zip(layers[:-1], layers[1:])]
    return 2 * batch * (2 * sum(products) + sum(products[1:]))


# ------------------------------------------ the step by hand, for any array module xp
def reference_forward(xp, params, x, rows, labels):
    """The loss and what backward needs, with ``xp`` (numpy or cupy) and no graph.

    h₀ = x;  z_k = h_{k−1} W_k + b_k;  h_k = max(z_k, 0) for the hidden layers; the last z are
    the logits.  log p = z − logsumexp(z) per row (shifted by the row's max so exp cannot
    overflow);  loss = −mean_i log p[i, y_i].  ``rows`` is arange(batch)."""
    activations = [x]
    last = len(params) // 2 - 1
    for k in range(last + 1):
        z = activations[-1] @ params[2 * k] + params[2 * k + 1]
        if k < last:
            activations.append(xp.maximum(z, 0))
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, labels].mean()
    return loss, (activations, log_probs)


def reference_backward(xp, params, rows, labels, saved):
    """∂loss/∂θ for [W1, b1, W2, b2, ...], by the chain rule written out layer by layer.

    At the logits d = ∂loss/∂z = (softmax(z) − onehot(y)) / batch.  Then for layer k, going
    down:  ∂loss/∂W_k = h_{k−1}ᵀ d,  ∂loss/∂b_k = Σ_rows d,  and the next d, ∂loss/∂z_{k−1},
    is (d W_kᵀ) · [h_{k−1} > 0]  (ReLU passes the gradient where its output is positive)."""
    activations, log_probs = saved
    d = xp.exp(log_probs)
    d[rows, labels] -= 1
    d /= d.shape[0]
    grads = [None] * len(params)
    for k in reversed(range(len(params) // 2)):
        h = activations[k]
        grads[2 * k] = h.T @ d
        grads[2 * k + 1] = d.sum(axis=0)
        if k > 0:
            d = d @ params[2 * k].T
            d *= h > 0
    return grads


def sgd_momentum_in_place(theta, velocity, grad, *, lr: float, momentum: float) -> None:
    """v ← momentum·v + g;  θ ← θ − lr·v, in place (v starts at zero, so v₁ = g, as in torch)."""
    velocity *= momentum
    velocity += grad
    theta -= lr * velocity


def reference_step(xp, params, velocities, x, rows, labels, *, lr: float, momentum: float,
                   update=sgd_momentum_in_place):
    """One training step on raw arrays: forward, backward, ``update`` every parameter in place.
    Returns the loss (before the update)."""
    loss, saved = reference_forward(xp, params, x, rows, labels)
    for theta, velocity, grad in zip(params, velocities, reference_backward(xp, params, rows, labels, saved)):
        update(theta, velocity, grad, lr=lr, momentum=momentum)
    return loss


# ------------------------------------------------------------------ backends
class PlainSGD(SGD):
    """optim.SGD with the fused kernels switched off: on CuPy arrays as on NumPy ones the update
    runs as array expressions (a kernel launch and a temporary per operation)."""

    @staticmethod
    def fused_kernels_for(theta):
        return None


class ReferenceKernelSGD(SGD):
    """optim.SGD on its fused path, with the kernels' NumPy twins (the CPU dry run)."""

    @staticmethod
    def fused_kernels_for(theta):
        return kernel_reference


@dataclasses.dataclass
class Backend:
    """Where the contenders run: the GPU, or the CPU for a dry run of the script."""
    device: str                              # "cuda", or "cpu"
    xp: object                               # cupy or numpy
    array_name: str                          # "CuPy" or "NumPy"
    synchronize: Callable[[], None]          # wait until the device has finished all queued work
    to_host: Callable                        # an array of xp -> a NumPy copy
    fused_update: Callable                   # sgd_momentum_in_place's signature, one kernel
    fused_sgd: type                          # the optim.SGD class that takes the fused path
    torch_device: str | None                 # None: no torch for this device
    torch_note: str                          # torch's version, or why it is left out


def torch_for(device: str) -> tuple[str | None, str]:
    """(torch's device, or None when torch cannot run there; a note saying which torch, or why not)."""
    if importlib.util.find_spec("torch") is None:
        return None, "torch is not installed"
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        return None, f"torch {torch.__version__} has no CUDA"
    cuda = f" (CUDA {torch.version.cuda})" if device == "cuda" else ""
    return device, f"torch {torch.__version__}{cuda}"


def gpu_unavailable() -> str | None:
    """None when CuPy can use a CUDA device; otherwise why not, in a few words."""
    if importlib.util.find_spec("cupy") is None:
        return "CuPy is not installed"
    try:
        import cupy

        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # a missing driver or runtime raises CuPy's own error types
        return f"CuPy finds no CUDA device ({str(error).splitlines()[0] if str(error) else type(error).__name__})"
    return None if count > 0 else "CuPy finds no CUDA device"


def gpu_backend() -> Backend:
    import cupy

    from tinygrad_ko.backend import kernels

    def fused_update(theta, velocity, grad, *, lr, momentum):
        kernels.sgd_momentum_update(theta, velocity, cupy.ascontiguousarray(grad),
                                    lr=lr, momentum=momentum, weight_decay=0.0)

    torch_device, torch_note = torch_for("cuda")
    return Backend("cuda", cupy, "CuPy", cupy.cuda.Device().synchronize, cupy.asnumpy,
                   fused_update, SGD, torch_device, torch_note)


def cpu_backend() -> Backend:
    def fused_update(theta, velocity, grad, *, lr, momentum):
        kernel_reference.sgd_momentum_update(theta, velocity, grad, lr=lr, momentum=momentum,
                                             weight_decay=0.0)

    torch_device, torch_note = torch_for("cpu")
    return Backend("cpu", np, "NumPy", lambda: None, lambda array: np.array(array, copy=True),
                   fused_update, ReferenceKernelSGD, torch_device, torch_note)


# ---------------------------------------------------------------- contenders
@dataclasses.dataclass
class Contender:
    """One way of taking the training step, in three parts that can be timed apart."""
    forward: Callable[[], object]           # the loss (with whatever backward needs)
    backward: Callable[[object], None]      # gradients from forward's result
    update: Callable[[], None]              # SGD with momentum in place; gradients cleared
    weights: Callable[[], list]             # NumPy copies of [W1, b1, ...] in Problem's layout

    def step(self) -> None:
        self.backward(self.forward())
        self.update()


def tinygrad_ko_contender(problem: Problem, device: str, sgd_class: type) -> Contender:
    """Our engine as a user writes it: nn.MLP moved to ``device``, nn.cross_entropy, optim.SGD."""
    model = nn.MLP(problem.layers, rng=np.random.default_rng(0), dtype=problem.x.dtype)
    names = [name for name, _ in model.named_parameters()]
    model.load_state_dict(dict(zip(names, problem.params)))
    model.to(device)
    optimizer = sgd_class(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    x = Tensor(problem.x).to(device)
    labels = problem.labels  # NumPy: cross_entropy checks them on the host, indexing moves them

    def forward():
        return nn.cross_entropy(model(x), labels)

    def update():
        optimizer.step()
        optimizer.zero_grad()

    return Contender(forward, lambda loss: loss.backward(), update,
                     lambda: [np.array(p.detach().numpy(), copy=True) for p in model.parameters()])


def torch_contender(problem: Problem, device: str) -> Contender:
    """PyTorch eager as its users write it; W is kept in torch's (out, in) layout for F.linear."""
    import torch
    import torch.nn.functional as F

    def on_device(array):
        return torch.tensor(np.ascontiguousarray(array), device=device)  # always a copy

    weights = [on_device(W.T).requires_grad_() for W in problem.params[0::2]]
    biases = [on_device(b).requires_grad_() for b in problem.params[1::2]]
    optimizer = torch.optim.SGD([p for pair in zip(weights, biases) for p in pair],
                                lr=LEARNING_RATE, momentum=MOMENTUM)
    x, labels = on_device(problem.x), on_device(problem.labels)
    last = len(weights) - 1

    def forward():
        h = x
        for k, (W, b) in enumerate(zip(weights, biases)):
            h = F.linear(h, W, b)
            if k < last:
                h = F.relu(h)
        return F.cross_entropy(h, labels)

    def update():
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    def read_weights():
        arrays = []
        for W, b in zip(weights, biases):
            arrays += [W.detach().cpu().numpy().T.copy(), b.detach().cpu().numpy().copy()]
        return arrays

    return Contender(forward, lambda loss: loss.backward(), update, read_weights)


def raw_contender(problem: Problem, backend: Backend, fused: bool) -> Contender:
    """The hand-written step (reference_forward / reference_backward) on ``backend.xp`` arrays,
    updated by the fused kernel or by sgd_momentum_in_place."""
    xp = backend.xp
    params = [xp.array(p) for p in problem.params]          # copies
    velocities = [xp.zeros_like(p) for p in params]
    x, labels = xp.asarray(problem.x), xp.asarray(problem.labels)
    rows = xp.arange(len(problem.labels))
    update_rule = backend.fused_update if fused else sgd_momentum_in_place
    gradients = []

    def forward():
        return reference_forward(xp, params, x, rows, labels)

    def backward(result):
        gradients[:] = reference_backward(xp, params, rows, labels, result[1])

    def update():
        for theta, velocity, grad in zip(params, velocities, gradients):
            update_rule(theta, velocity, grad, lr=LEARNING_RATE, momentum=MOMENTUM)
        gradients.clear()

    return Contender(forward, backward, update, lambda: [backend.to_host(p) for p in params])


OURS_FUSED, OURS_PLAIN, TORCH = "tinygrad_ko, fused update", "tinygrad_ko, plain update", "torch eager"


def raw_names(backend: Backend) -> tuple[str, str]:
    """(fused, plain) row names of the hand-written step; the fused one is the floor."""
    return f"raw {backend.array_name}, fused update", f"raw {backend.array_name}, plain update"


def build_contenders(problem: Problem, backend: Backend) -> dict[str, Contender]:
    raw_fused, raw_plain = raw_names(backend)
    contenders = {
        OURS_FUSED: tinygrad_ko_contender(problem, backend.device, backend.fused_sgd),
        OURS_PLAIN: tinygrad_ko_contender(problem, backend.device, PlainSGD),
    }
    if backend.torch_device is not None:
        contenders[TORCH] = torch_contender(problem, backend.torch_device)
    contenders[raw_fused] = raw_contender(problem, backend, fused=True)
    contenders[raw_plain] = raw_contender(problem, backend, fused=False)
    return contenders


# -------------------------------------------------------------------- checks
def update_gap(start, got, expected, rtol: float = 1e-3) -> float:
    """How far ``got`` moved the array ``start`` from where ``expected`` moved it, as a fraction
    of what float32 arithmetic allows: at most 1 passes (NaN fails).

    The updates (got − start, expected − start) are compared, not the weights: an update is small
    beside the weights, and an error in it would hide inside a tolerance relative to them.
    Allowed for element i: ``rtol`` of the largest entry of the expected update, plus 4 units in
    the last place of weight i (each step rounds θ − lr·v to the weights' precision, and each
    framework rounds its own way)."""
    eps = np.finfo(np.asarray(start).dtype).eps
    start, got, expected = (np.asarray(a, dtype=np.float64) for a in (start, got, expected))
    moved = expected - start
    allowed = rtol * np.max(np.abs(moved)) + 4 * eps * np.abs(expected)
    allowed = np.maximum(allowed, np.finfo(np.float64).tiny)
    return float(np.max(np.abs((got - start) - moved) / allowed))


def cross_check(contenders: dict, reference: str, start: list, steps: int = 2):
    """Take ``steps`` steps with every contender; after each, compare its weights with those of
    ``reference`` (update_gap). Returns (failures, worst): failure messages (empty when all
    agree) and, per contender, its largest update_gap."""
    after = {}
    for name, contender in contenders.items():
        after[name] = []
        for _ in range(steps):
            contender.step()
            after[name].append(contender.weights())
    names = parameter_names(len(start) // 2)
    failures, worst = [], {}
    for name in contenders:
        if name == reference:
            continue
        worst[name] = 0.0
        for step, (got, expected) in enumerate(zip(after[name], after[reference]), start=1):
            for parameter, s, g, e in zip(names, start, got, expected):
                gap = update_gap(s, g, e)
                if not gap <= 1:  # NaN fails too
                    failures.append(f"{name}, step {step}, {parameter}: its update differs from "
                                    f"{reference}'s by {gap:.3g}× the float32 tolerance")
                worst[name] = max(worst[name], gap)
    return failures, worst


# -------------------------------------------------------------------- timing
def rotated(names: list, by: int) -> list:
    by %= len(names)
    return names[by:] + names[:by]


def seconds_per_step(contender: Contender, synchronize, steps: int) -> float:
    """Wall-clock seconds per step over ``steps`` steps, the device drained before and after."""
    synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        contender.step()
    synchronize()
    return (time.perf_counter() - start) / steps


def step_times(contenders: dict, synchronize, size: Size) -> dict[str, float]:
    """Median seconds per step of each contender over ``size.rounds`` rounds of taking turns."""
    samples = {name: [] for name in contenders}
    for round_number in range(size.rounds):
        for name in rotated(list(contenders), round_number):
            samples[name].append(seconds_per_step(contenders[name], synchronize, size.steps))
    return {name: statistics.median(values) for name, values in samples.items()}


def phase_times(contenders: dict, synchronize, size: Size) -> dict[str, tuple[float, float, float]]:
    """Median seconds of (forward, backward, update), each part timed alone between two
    synchronisations; ``size.rounds`` × ``size.split_steps`` steps per contender, taking turns."""
    samples = {name: ([], [], []) for name in contenders}
    for round_number in range(size.rounds):
        for name in rotated(list(contenders), round_number):
            contender, (forwards, backwards, updates) = contenders[name], samples[name]
            for _ in range(size.split_steps):
                synchronize()
                start = time.perf_counter()
                result = contender.forward()
                synchronize()
                forwarded = time.perf_counter()
                contender.backward(result)
                synchronize()
                backwarded = time.perf_counter()
                contender.update()
                synchronize()
                updated = time.perf_counter()
                forwards.append(forwarded - start)
                backwards.append(backwarded - forwarded)
                updates.append(updated - backwarded)
    return {name: tuple(statistics.median(part) for part in parts) for name, parts in samples.items()}


# -------------------------------------------------------------------- report
def device_line(backend: Backend) -> str:
    """The device and library versions, for the report's header."""
    if backend.device == "cpu":
        device = f"CPU dry run on {platform.machine()} (NumPy {np.__version__})"
    else:
        import cupy

        properties = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
        name = properties["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        runtime = cupy.cuda.runtime.runtimeGetVersion()
        device = (f"{name}, CUDA runtime {runtime // 1000}.{runtime % 1000 // 10}, CuPy {cupy.__version__} "
                  f"(CUPY_TF32={os.environ.get('CUPY_TF32', 'unset')}), NumPy {np.__version__}")
    return f"{device}; {backend.torch_note}; Python {platform.python_version()}"


def ratio(value: float, base: float | None) -> str:
    return "—" if base is None else f"{value / base:.2f}"


def report(backend: Backend, size: Size, steps: dict, phases: dict, worst: dict, quick: bool) -> str:
    """The markdown section: header, table, verdict, notes."""
    floor, _ = raw_names(backend)
    torch_step = steps.get(TORCH)
    flops = matmul_flops(size.layers, size.batch)
    rows = []
    for name, seconds in steps.items():
        forward, backward, update = phases[name]
        rows.append([name, f"{seconds * 1e3:.3f}", ratio(seconds, steps[floor]), ratio(seconds, torch_step),
                     f"{flops / seconds / 1e12:.3g}", f"{forward * 1e3:.3f}", f"{backward * 1e3:.3f}",
                     f"{update * 1e3:.3f}"])
    table = common.markdown_table(
        ["contender", "step, ms", f"× {floor}", "× torch eager", "TFLOP/s (matrix products)",
         "forward, ms", "backward, ms", "update, ms"], rows)

    ours = steps[OURS_FUSED]
    if torch_step is None:
        verdict = (f"Torch is left out ({backend.torch_note}), so the target (our step not slower than "
                   "PyTorch eager) is not judged in this run.")
    else:
        met = "met" if ours <= torch_step else "missed"
        verdict = (f"Target — our step (fused update) not slower than PyTorch eager: {met} "
                   f"({ours * 1e3:.3f} ms against {torch_step * 1e3:.3f} ms, {ours / torch_step:.2f}×).")
    raw_fused, raw_plain = raw_names(backend)
    engine_cost = (f"Our engine's own cost per step (our step − the raw {backend.array_name} step with the "
                   f"same update): {(ours - steps[raw_fused]) * 1e3:.3f} ms with the fused update, "
                   f"{(steps[OURS_PLAIN] - steps[raw_plain]) * 1e3:.3f} ms with the plain one.")
    worst_text = ", ".join(f"{name} {fraction:.2f}" for name, fraction in worst.items())
    layers = "-".join(str(n) for n in size.layers)
    command = "python benchmarks/bench_gpu_mlp.py" + (" --cpu" if backend.device == "cpu" else
                                                       " --quick" if quick else "")
    torch_name = "PyTorch CUDA eager" if backend.device == "cuda" else "PyTorch eager"
    return f"""## GPU: an MLP training step, tinygrad_ko beside {torch_name} and raw {backend.array_name}

`{command}` — {device_line(backend)}.
MLP {layers}, batch {size.batch}, float32, ReLU, softmax cross-entropy, SGD lr {LEARNING_RATE} with
momentum {MOMENTUM}; inputs and labels already on the device; matrix products in full float32
(torch's matmul precision "highest"). Wall clock with the device synchronised
around each timed block: {size.warmup} warm-up steps per contender, then medians of {size.rounds} rounds
of taking turns (order rotated each round), {size.steps} steps per block.

Before timing, each contender took two steps from the same weights, and its updates agreed with
{floor}'s after both (largest gap as a fraction of the float32 tolerance: {worst_text}).

{table}

{verdict}
{engine_cost}
"TFLOP/s" counts the step's matrix products only ({flops / 1e9:.3g} GFLOP per step). The parts
(forward = loss, backward = gradients, update = SGD step and clearing the gradients) are each
timed alone between two synchronisations, so they add up to more than a step in which the host
queues work while the device computes. "plain update" rows update with array expressions (a
kernel and a temporary per operation); "fused update" rows with one kernel per parameter
(kernels/optim.cu; torch.optim.SGD uses its multi-tensor foreach kernels). Our engine copies the
labels (and the row indices) to the device in every step: nn.cross_entropy checks labels on
the host.
"""


# ---------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a small net and few rounds, for a smoke test; RESULTS.md is left unchanged")
    parser.add_argument("--cpu", action="store_true",
                        help="dry run of this script on the CPU (NumPy, CPU torch); RESULTS.md is left unchanged")
    args = parser.parse_args(argv)

    if args.cpu:
        backend, size = cpu_backend(), QUICK
    else:
        reason = gpu_unavailable()
        if reason is not None:
            _, torch_note = torch_for("cuda")
            print(f"bench_gpu_mlp: not run, {reason} ({torch_note}); nothing measured, "
                  "benchmarks/RESULTS.md left unchanged")
            return 0
        backend, size = gpu_backend(), QUICK if args.quick else FULL
    if backend.torch_device is not None:
        import torch

        torch.set_float32_matmul_precision("highest")  # full float32 products, as CuPy's
    else:
        print(f"torch eager left out: {backend.torch_note}")

    problem = mlp_problem(size.layers, size.batch)
    contenders = build_contenders(problem, backend)
    floor, _ = raw_names(backend)
    failures, worst = cross_check(contenders, floor, problem.params)
    if failures:
        print("CROSS-CHECK FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"cross-check passed: after each of two steps every contender's weights agree with {floor}'s")

    for contender in contenders.values():
        for _ in range(size.warmup):
            contender.step()
    steps = step_times(contenders, backend.synchronize, size)
    phases = phase_times(contenders, backend.synchronize, size)

    text = report(backend, size, steps, phases, worst, args.quick)
    print(text)
    if backend.device == "cuda" and not args.quick:
        common.update_results_section(SECTION, text)
        print(f"wrote the '{SECTION}' section of {common.RESULTS}")
    else:
        print("(quick or CPU dry run: benchmarks/RESULTS.md left unchanged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
