"""Core-engine speed, side by side with raw NumPy and the peers, in one run.

    python benchmarks/bench_core.py            # full run, writes the "core" section of RESULTS.md
    python benchmarks/bench_core.py --quick    # smoke run: few repeats, RESULTS.md left alone

What is measured (process CPU time, one thread, medians; see common.py):

1. MLP training step, 784-256-256-10, batch 64, float32, softmax cross-entropy,
   SGD: written the same way in every framework (matmul + bias, ReLU, the
   framework's own softmax cross-entropy — ours ``nn.cross_entropy``, torch's
   ``F.cross_entropy``, mygrad's ``softmax_crossentropy``; autograd has none, so
   log-softmax, pick the label's entry, mean —, backward, in-place update). Raw NumPy is the same step with the gradient written by
   hand; every ratio is to it. Also the gradient/forward time ratio (the
   cheap-gradient principle: a gradient costs a small constant times the
   function; we aim at <= 3).
2. Per-operation overhead on tiny inputs: the Olah expression
   e = (a + b) * (b + 1) (build the graph and run backward, per call), and a
   1,000-operation scalar chain (per operation).
3. Hessian-vector product of the Rosenbrock function, n = 1000, float64.
4. The MLP step traced once and replayed (``tinygrad_ko.jit``), beside the eager step.

Before timing anything, every framework's gradients are checked against the
hand-written NumPy ones (and the HVPs against the exact Hessian), so the
frameworks are compared on the same computation. A failed check exits with 1.
"""

from __future__ import annotations

import common  # first: pins BLAS/OpenMP to one thread before NumPy or torch load

import argparse
import importlib.metadata
import importlib.util
import os
import pathlib
import statistics
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import tinygrad_ko as tg  # noqa: E402
from tinygrad_ko.nn import cross_entropy  # noqa: E402
from tinygrad_ko.optim import SGD  # noqa: E402

BATCH, SIZES, CLASSES = 64, (784, 256, 256), 10
LEARNING_RATE = 0.01
CHAIN_LENGTH = 1000
ROSENBROCK_N = 1000

# The peers are optional (`pip install -e .[peers]`); a missing one is left out and named.
PEER_MODULES = {"torch eager": "torch", "mygrad": "mygrad", "autograd": "autograd",
                "micrograd": "micrograd"}


def installed(framework: str) -> bool:
    module = PEER_MODULES.get(framework)
    return module is None or importlib.util.find_spec(module) is not None


# Figures from /work/shared/RESEARCH.md section 1, for the reader to compare with.
REFERENCE = {
    "MLP step": {"raw NumPy": "1.00", "torch eager": "1.15", "mygrad": "1.22", "autograd": "2.4"},
    "grad/forward": {"raw NumPy": "2.27", "torch eager": "2.58", "mygrad": "2.38", "autograd": "4.8"},
    "Olah": {"torch eager": "46", "mygrad": "46", "autograd": "95", "micrograd": "7.8"},
    "chain": {"torch eager": "4.9", "mygrad": "39", "autograd": "10.7", "micrograd": "2.4"},
    "HVP": {"torch double backward": "0.30", "autograd": "0.52"},
}


# --------------------------------------------------------------------- data
def mlp_problem(seed: int = 0, hidden: int = SIZES[1]):
    """Inputs, labels and He-initialised float32 parameters [W1, b1, W2, b2, W3, b3]
    of the 784-hidden-hidden-10 MLP."""
    rng = np.random.default_rng(seed)
    sizes = (SIZES[0], hidden, hidden)
    x = rng.standard_normal((BATCH, sizes[0])).astype(np.float32)
    labels = rng.integers(0, CLASSES, BATCH)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:] + (CLASSES,)):
        params.append((rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)).astype(np.float32))
        params.append((rng.standard_normal(n_out) * 0.1).astype(np.float32))
    return x, labels, params


# ------------------------------------------------------ MLP, one per framework
# Each builder returns (forward, gradient, step, read_gradients):
#   forward()        the loss, recorded for differentiation where the framework records;
#   gradient()       forward + backward, gradients left in place, no update;
#   step()           forward + backward + in-place SGD update (the training step);
#   read_gradients() runs gradient() once and returns the 6 gradients as arrays.

def numpy_mlp(x, labels, initial):
    """The step written by hand: forward, then the chain rule layer by layer."""
    params = [p.copy() for p in initial]
    rows = np.arange(len(labels))

    def forward_pass():
        W1, b1, W2, b2, W3, b3 = params
        z1 = x @ W1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ W3 + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, labels].mean()
        return loss, (z1, h1, z2, h2, log_probs)

    def gradient():
        W1, b1, W2, b2, W3, b3 = params
        loss, (z1, h1, z2, h2, log_probs) = forward_pass()
        d_logits = np.exp(log_probs)              # softmax
        d_logits[rows, labels] -= 1               # ∂loss/∂logits = (softmax − onehot) / batch
        d_logits /= len(labels)
        d_h2 = d_logits @ W3.T
        d_z2 = d_h2 * (z2 > 0)
        d_h1 = d_z2 @ W2.T
        d_z1 = d_h1 * (z1 > 0)
        return [x.T @ d_z1, d_z1.sum(axis=0), h1.T @ d_z2, d_z2.sum(axis=0),
                h2.T @ d_logits, d_logits.sum(axis=0)]

    def step():
        for p, g in zip(params, gradient()):
            p -= LEARNING_RATE * g

    return (lambda: forward_pass()[0]), gradient, step, gradient


def tinygrad_ko_mlp(x, labels, initial):
    """Our engine, Tensor operations directly, and its SGD (in place, no temporaries)."""
    params = [tg.Tensor(p.copy(), requires_grad=True) for p in initial]
    inputs = tg.Tensor(x)
    optimizer = SGD(params, lr=LEARNING_RATE)

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = (inputs @ W1 + b1).relu()
        h = (h @ W2 + b2).relu()
        logits = h @ W3 + b3
        return cross_entropy(logits, labels)

    def gradient():
        for p in params:
            p.grad = None
        forward().backward()

    def step():
        forward().backward()
        optimizer.step()
        optimizer.zero_grad()

    def read_gradients():
        gradient()
        return [p.grad.numpy() for p in params]

    return forward, gradient, step, read_gradients


def update_alone(x, labels, initial):
    """The SGD update on its own, on gradients computed once: ours (``optim.SGD.step``)
    and raw NumPy's (``p -= lr * g``). The step minus the gradient is not a measure of it:
    the two are timed apart, and their difference mixes in every other cost that moves."""
    _, numpy_gradient, _, _ = numpy_mlp(x, labels, initial)
    arrays, gradients = [p.copy() for p in initial], numpy_gradient()
    params = [tg.Tensor(p.copy(), requires_grad=True) for p in initial]
    for p, g in zip(params, gradients):
        p.grad = tg.Tensor(g.copy())
    optimizer = SGD(params, lr=LEARNING_RATE)

    def numpy_update():
        for p, g in zip(arrays, gradients):
            p -= LEARNING_RATE * g

    updates = {"raw NumPy": numpy_update, "tinygrad_ko": optimizer.step}
    return updates, arrays, params


def torch_mlp(x, labels, initial):
    import torch

    params = [torch.tensor(p, requires_grad=True) for p in initial]
    inputs = torch.tensor(x)
    picks = torch.tensor(labels)

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = (inputs @ W1 + b1).relu()
        h = (h @ W2 + b2).relu()
        logits = h @ W3 + b3
        return torch.nn.functional.cross_entropy(logits, picks)

    def gradient():
        for p in params:
            p.grad = None
        forward().backward()

    def step():
        forward().backward()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
                p.grad = None

    def read_gradients():
        gradient()
        return [p.grad.numpy() for p in params]

    return forward, gradient, step, read_gradients


def mygrad_mlp(x, labels, initial):
    import mygrad as mg
    from mygrad.nnet import relu
    from mygrad.nnet.losses import softmax_crossentropy

    params = [mg.tensor(p.copy()) for p in initial]

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = relu(x @ W1 + b1)
        h = relu(h @ W2 + b2)
        logits = h @ W3 + b3
        return softmax_crossentropy(logits, labels)

    def gradient():
        forward().backward()

    def step():
        forward().backward()
        for p in params:
            p.data -= LEARNING_RATE * p.grad
            p.null_grad()

    def read_gradients():
        gradient()
        return [np.asarray(p.grad) for p in params]

    return forward, gradient, step, read_gradients


def autograd_mlp(x, labels, initial):
    import autograd
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp

    params = [p.copy() for p in initial]
    rows = np.arange(len(labels))

    def relu(z):  # anp.maximum(z, 0) works too, but its VJP makes autograd's step 2x slower
        return z * (z > 0)

    def loss(params):
        W1, b1, W2, b2, W3, b3 = params
        h = relu(anp.dot(x, W1) + b1)
        h = relu(anp.dot(h, W2) + b2)
        logits = anp.dot(h, W3) + b3
        log_probs = logits - logsumexp(logits, axis=1, keepdims=True)
        return -anp.mean(log_probs[rows, labels])

    gradient_of_loss = autograd.grad(loss)

    def gradient():
        return gradient_of_loss(params)

    def step():
        for p, g in zip(params, gradient_of_loss(params)):
            p -= LEARNING_RATE * g

    return (lambda: loss(params)), gradient, step, gradient


MLP_FRAMEWORKS = {
    "raw NumPy": numpy_mlp,
    "tinygrad_ko": tinygrad_ko_mlp,
    "torch eager": torch_mlp,
    "mygrad": mygrad_mlp,
    "autograd": autograd_mlp,
}


# ------------------------------------------------ tiny graphs: per-op overhead
# Each builder returns (olah, chain): olah() builds e = (a+b)(b+1) from fresh
# leaves a=2, b=1 and runs backward, returning (∂e/∂a, ∂e/∂b); chain() builds
# CHAIN_LENGTH operations x ← x·c, x ← x + d alternately and returns ∂out/∂x.
MULTIPLIER, SHIFT = 0.999, 0.001


def tinygrad_ko_tiny():
    def olah():
        a = tg.Tensor(2.0, requires_grad=True)
        b = tg.Tensor(1.0, requires_grad=True)
        e = (a + b) * (b + 1)
        e.backward()
        return a.grad.item(), b.grad.item()

    def chain():
        x = tg.Tensor(1.0, requires_grad=True)
        y = x
        for _ in range(CHAIN_LENGTH // 2):
            y = y * MULTIPLIER + SHIFT
        y.backward()
        return x.grad.item()

    return olah, chain


def olah_phases() -> dict:
    """Our Olah call cut into growing prefixes, to time where its microseconds go:
    the two leaves; the leaves and the three operations; the whole call (+ backward, grads read)."""
    def leaves():
        return tg.Tensor(2.0, requires_grad=True), tg.Tensor(1.0, requires_grad=True)

    def build():
        a, b = leaves()
        return (a + b) * (b + 1)

    return {"leaves": leaves, "leaves + 3 operations": build, "whole call": tinygrad_ko_tiny()[0]}


def olah_breakdown(rounds: int, repeats: int) -> str:
    """One sentence: how our Olah call's time splits, beside micrograd's whole call."""
    cases = olah_phases()
    if installed("micrograd"):
        cases["micrograd"] = micrograd_tiny()[0]
    samples = interleaved_samples(cases, rounds, repeats, inner=50)
    us = {name: median(values) * 1e6 for name, values in samples.items()}
    operations = us["leaves + 3 operations"] - us["leaves"]
    backward = us["whole call"] - us["leaves + 3 operations"]
    line = (f"Where our Olah call's {us['whole call']:.1f} µs go (medians, timed as growing prefixes of the call): "
            f"{us['leaves']:.1f} µs for the two leaf tensors, {operations:.1f} µs for the three operations "
            f"(recording included), {backward:.1f} µs for backward and reading the two gradients")
    if "micrograd" in us:
        line += (f"; micrograd's whole call takes {us['micrograd']:.1f} µs, so the goal (≤ 1.5 × micrograd) "
                 f"would leave {1.5 * us['micrograd']:.1f} µs for all three parts")
    return line + "."


def torch_tiny():
    import torch

    def olah():
        a = torch.tensor(2.0, requires_grad=True)
        b = torch.tensor(1.0, requires_grad=True)
        e = (a + b) * (b + 1)
        e.backward()
        return a.grad.item(), b.grad.item()

    def chain():
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(CHAIN_LENGTH // 2):
            y = y * MULTIPLIER + SHIFT
        y.backward()
        return x.grad.item()

    return olah, chain


def mygrad_tiny():
    import mygrad as mg

    def olah():
        a, b = mg.tensor(2.0), mg.tensor(1.0)
        e = (a + b) * (b + 1)
        e.backward()
        return float(a.grad), float(b.grad)

    def chain():
        x = mg.tensor(1.0)
        y = x
        for _ in range(CHAIN_LENGTH // 2):
            y = y * MULTIPLIER + SHIFT
        y.backward()
        return float(x.grad)

    return olah, chain


def autograd_tiny():
    import autograd

    olah_gradient = autograd.grad(lambda a, b: (a + b) * (b + 1), argnum=(0, 1))

    def chained(x):
        for _ in range(CHAIN_LENGTH // 2):
            x = x * MULTIPLIER + SHIFT
        return x

    chain_gradient = autograd.grad(chained)
    return (lambda: tuple(olah_gradient(2.0, 1.0))), (lambda: chain_gradient(1.0))


def micrograd_tiny():
    from micrograd.engine import Value

    def olah():
        a, b = Value(2.0), Value(1.0)
        e = (a + b) * (b + 1)
        e.backward()
        return a.grad, b.grad

    def chain():
        x = Value(1.0)
        y = x
        for _ in range(CHAIN_LENGTH // 2):
            y = y * MULTIPLIER + SHIFT
        y.backward()   # recursive topological sort: needs sys.setrecursionlimit (set in main)
        return x.grad

    return olah, chain


TINY_FRAMEWORKS = {
    "tinygrad_ko": tinygrad_ko_tiny,
    "torch eager": torch_tiny,
    "mygrad": mygrad_tiny,
    "autograd": autograd_tiny,
    "micrograd": micrograd_tiny,
}


# --------------------------------------------------- Hessian-vector product
def rosenbrock_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, ROSENBROCK_N), rng.standard_normal(ROSENBROCK_N)


def rosenbrock_hvp_exact(x, v):
    """H·v from the hand-derived (tridiagonal) Hessian of
    f(x) = Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])²."""
    hv = np.zeros_like(x)
    head, tail = x[:-1], x[1:]
    diagonal_head = 1200 * head ** 2 - 400 * tail + 2      # ∂²f/∂x[i]² from term i
    off_diagonal = -400 * head                              # ∂²f/∂x[i]∂x[i+1]
    hv[:-1] += diagonal_head * v[:-1] + off_diagonal * v[1:]
    hv[1:] += 200 * v[1:] + off_diagonal * v[:-1]
    return hv


def rosenbrock(z):
    """Σ 100 (z[i+1] − z[i]²)² + (1 − z[i])², for our Tensors and torch tensors alike."""
    return (100 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2).sum()


def hvp_cases(x, v):
    """name -> function returning H·v as an array (the peers that are installed): our public
    ``hvp`` (v pushed over the recorded gradient on arrays), the lesson's ``jvp(grad f)`` on dual
    numbers, and grad of grad·v written by hand."""
    from tinygrad_ko.autodiff import hvp_forward_over_reverse

    xt, vt = tg.Tensor(x), tg.Tensor(v)

    def ours_forward_over_reverse():
        return tg.hvp(rosenbrock, (xt,), (vt,)).numpy()

    def ours_reverse_over_reverse():
        gradient = tg.grad(rosenbrock)
        return tg.grad(lambda z: (gradient(z) * vt).sum())(xt).numpy()

    def ours_on_dual_numbers():
        return hvp_forward_over_reverse(rosenbrock, (xt,), (vt,)).numpy()

    cases = {
        "tinygrad_ko hvp (forward-over-reverse)": ours_forward_over_reverse,
        "tinygrad_ko hvp_forward_over_reverse (dual numbers)": ours_on_dual_numbers,
        "tinygrad_ko grad of grad·v (reverse-over-reverse)": ours_reverse_over_reverse,
    }
    if installed("torch eager"):
        import torch

        x_torch, v_torch = torch.tensor(x), torch.tensor(v)

        def torch_double_backward():
            z = x_torch.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(rosenbrock(z), z, create_graph=True)
            (hv,) = torch.autograd.grad(g @ v_torch, z)
            return hv.numpy()

        cases["torch double backward"] = torch_double_backward
    if installed("autograd"):
        import autograd
        import autograd.numpy as anp

        def autograd_rosenbrock(z):
            return anp.sum(100 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2)

        autograd_hvp = autograd.hessian_vector_product(autograd_rosenbrock)
        cases["autograd hessian_vector_product"] = lambda: autograd_hvp(x, v)
    return cases


# ------------------------------------------------------------------ timing
def interleaved_samples(cases: dict, rounds: int, repeats: int, inner: int = 1) -> dict:
    """Per round, the median CPU seconds per call of each case: name -> one sample per round.

    The cases take turns within each round, so a busy moment of the shared
    machine slows all of them alike; ratios are then taken round by round."""
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            samples[name].append(common.cpu_time_median(case, repeats=repeats, inner=inner))
    return samples


def median(values) -> float:
    return statistics.median(values)


def ratio_cell(samples: dict, name: str, base: str) -> str:
    """The ratio name / base of each round: "median [min–max]"."""
    ratios = [a / b for a, b in zip(samples[name], samples[base])]
    return f"{median(ratios):.2f} [{min(ratios):.2f}–{max(ratios):.2f}]"


def spread_cell(values, scale: float, digits: int = 2) -> str:
    """Median [min–max] of ``values`` × ``scale``."""
    return f"{median(values) * scale:.{digits}f} [{min(values) * scale:.{digits}f}–{max(values) * scale:.{digits}f}]"


# ------------------------------------------------------------- scaling cases
CHAIN_LENGTHS = (100, 1_000, 10_000, 100_000)
WIDTHS = (256, 1024, 2048)


def chain_case(framework: str, length: int):
    """The scalar chain of ``length`` operations (x·c, x + d alternately) + backward, or None."""
    if framework == "tinygrad_ko":
        def run():
            x = tg.Tensor(1.0, requires_grad=True)
            y = x
            for _ in range(length // 2):
                y = y * MULTIPLIER + SHIFT
            y.backward()
        return run
    if framework == "torch eager" and installed(framework):
        import torch

        def run_torch():
            x = torch.tensor(1.0, requires_grad=True)
            y = x
            for _ in range(length // 2):
                y = y * MULTIPLIER + SHIFT
            y.backward()
        return run_torch
    return None


def jacobian_cases(n: int, m: int) -> dict:
    """tanh(W x), W of shape (m, n): our public jacfwd/jacrev (one batched pass), ours one pass per
    vector (small cells only), and torch.func's (vmap inside); all checked equal first."""
    from tinygrad_ko import jacfwd, jacrev
    from tinygrad_ko.autodiff import jacfwd_per_column, jacrev_per_row

    rng = np.random.default_rng(n + m)
    W = (rng.standard_normal((m, n)) / np.sqrt(n)).astype(np.float32)
    x = rng.standard_normal(n).astype(np.float32)
    W_ours, x_ours = tg.Tensor(W), tg.Tensor(x)

    def f(v):
        return (W_ours @ v).tanh()

    cases = {"ours fwd": lambda: jacfwd(f)(x_ours).numpy(), "ours rev": lambda: jacrev(f)(x_ours).numpy()}
    if n * m <= 10_000:
        cases["ours fwd, per column"] = lambda: jacfwd_per_column(f)(x_ours).numpy()
        cases["ours rev, per row"] = lambda: jacrev_per_row(f)(x_ours).numpy()
    if installed("torch eager"):
        import torch
        from torch.func import jacfwd as torch_jacfwd, jacrev as torch_jacrev

        W_torch, x_torch = torch.tensor(W), torch.tensor(x)

        def g(v):
            return torch.tanh(W_torch @ v)

        cases["torch.func fwd"] = lambda: torch_jacfwd(g)(x_torch).numpy()
        cases["torch.func rev"] = lambda: torch_jacrev(g)(x_torch).numpy()
    expected = cases["ours rev"]()
    for name, case in cases.items():
        if not np.allclose(case(), expected, rtol=1e-4, atol=1e-5):
            raise SystemExit(f"CROSS-CHECK FAILED: Jacobian of tanh(Wx), {name}, (n, m) = ({n}, {m})")
    return cases


# ------------------------------------------------------- traced MLP step (jit)
def traced_mlp(x, labels, initial):
    """Our MLP step traced once by ``tinygrad_ko.jit.trace_gradient`` (the eager step's
    forward and backward, recorded as a tape of array operations), then replayed with no
    Tensor per operation, and the same in-place SGD update as raw NumPy. The labels are
    fixed in this benchmark, so indexing with them may be part of the trace.

    Returns (step, read_gradients), as the MLP builders' last two."""
    from tinygrad_ko.jit import trace_gradient

    params = [tg.Tensor(p.copy(), requires_grad=True) for p in initial]

    def loss(inputs):
        W1, b1, W2, b2, W3, b3 = params
        h = (inputs @ W1 + b1).relu()
        h = (h @ W2 + b2).relu()
        logits = h @ W3 + b3
        return cross_entropy(logits, labels)

    replay = trace_gradient(loss, params, [x])

    def step():
        _, gradients = replay(x)
        for p, g in zip(params, gradients):
            data = p.writable_data()
            data -= LEARNING_RATE * g

    def read_gradients():
        return [np.asarray(g) for g in replay(x)[1]]

    return step, read_gradients


def traced_step_table(rounds: int, repeats: int) -> str:
    """The traced step beside the eager one, raw NumPy and torch eager, in interleaved rounds;
    its gradients are first checked against the hand-written NumPy ones."""
    x, labels, params = mlp_problem()
    step, read_gradients = traced_mlp(x, labels, params)
    expected = numpy_mlp(x, labels, params)[3]()
    for g, e in zip(read_gradients(), expected):
        if not np.allclose(g, e, rtol=1e-4, atol=1e-6):
            raise SystemExit("CROSS-CHECK FAILED: the traced MLP step's gradients differ from NumPy's")
    cases = {"raw NumPy": numpy_mlp(x, labels, params)[2], "tinygrad_ko (eager)": tinygrad_ko_mlp(x, labels, params)[2],
             "tinygrad_ko traced (jit.trace_gradient)": step}
    if installed("torch eager"):
        cases["torch eager"] = torch_mlp(x, labels, params)[2]
    samples = interleaved_samples(cases, rounds, 2 * repeats)
    rows = [[name, f"{median(samples[name]) * 1e3:.3f}", ratio_cell(samples, name, "raw NumPy"),
             ratio_cell(samples, name, "torch eager") if "torch eager" in samples else "—"]
            for name in cases]
    return common.markdown_table(["step", "ms", "× raw NumPy", "× torch eager"], rows)


# ------------------------------------------------------------- peak memory
def step_peak_memory_mib(framework: str, hidden: int, steps: int = 3) -> float:
    """The memory training steps need beyond the model itself, in MiB: the peak resident
    size during ``steps`` steps (Linux VmHWM, reset once the model is built) minus the
    resident size then — gradients, the saved activations, temporaries, optimizer
    buffers. Run in a fresh process per framework (see ``measure_memory``)."""
    x, labels, params = mlp_problem(hidden=hidden)
    step = MLP_FRAMEWORKS[framework](x, labels, params)[2]

    def status(field: str) -> int:
        with open("/proc/self/status", encoding="ascii") as lines:
            for line in lines:
                if line.startswith(field):
                    return int(line.split()[1])
        raise OSError(f"/proc/self/status has no {field}")

    with open("/proc/self/clear_refs", "w", encoding="ascii") as reset:
        reset.write("5")   # the peak resident size starts again from now
    before = status("VmRSS")
    for _ in range(steps):
        step()
    return (status("VmHWM") - before) / 1024


def measure_memory(framework: str, hidden: int):
    """``step_peak_memory_mib`` in a child process (so no framework's allocator cache counts), or None."""
    import subprocess

    if not installed(framework) or not pathlib.Path("/proc/self/clear_refs").exists():
        return None
    run = subprocess.run([sys.executable, __file__, "--memory-probe", framework, str(hidden)],
                         capture_output=True, text=True, timeout=300)
    try:
        return float(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


# ------------------------------------------------------------------ checks
def check_close(what: str, got, expected, rtol: float, atol: float, failures: list) -> None:
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
        gap = np.max(np.abs(got - expected)) if got.shape == expected.shape else "shape"
        failures.append(f"{what}: differs from the reference (largest gap {gap})")


def check_mlp_gradients(builders: dict, failures: list) -> None:
    """Every framework's MLP gradients equal the hand-written NumPy ones (float32 tolerance)."""
    x, labels, params = mlp_problem()
    expected = numpy_mlp(x, labels, params)[3]()
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    for framework, build in builders.items():
        got = build(x, labels, params)[3]()
        for name, g, e in zip(names, got, expected):
            check_close(f"MLP ∂loss/∂{name}, {framework}", g, e, rtol=1e-4, atol=1e-6, failures=failures)


def check_tiny(builders: dict, failures: list) -> None:
    for framework, (olah, chain) in builders.items():
        check_close(f"Olah (∂e/∂a, ∂e/∂b), {framework}", olah(), (2.0, 5.0), 1e-6, 1e-6, failures)
        check_close(f"chain ∂out/∂x, {framework}", chain(), MULTIPLIER ** (CHAIN_LENGTH // 2),
                    1e-4, 1e-6, failures)


# ------------------------------------------------------------------ report
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="few rounds and repeats, no 10^5 chain, for a smoke test; RESULTS.md is left unchanged")
    parser.add_argument("--no-write", action="store_true",
                        help="measure in full but print only; RESULTS.md is left unchanged")
    parser.add_argument("--memory-probe", nargs=2, metavar=("FRAMEWORK", "HIDDEN"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        framework, hidden = args.memory_probe
        if framework == "torch eager":
            import torch

            torch.set_num_threads(1)
        print(f"{step_peak_memory_mib(framework, int(hidden)):.2f}")
        return 0
    rounds, repeats = (2, 3) if args.quick else (7, 9)
    chain_lengths = CHAIN_LENGTHS[:2] if args.quick else CHAIN_LENGTHS
    widths = WIDTHS[:1] if args.quick else WIDTHS
    jacobian_sizes = ((10, 100), (100, 10)) if args.quick else ((10, 1000), (1000, 10), (1000, 1000))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * CHAIN_LENGTH))  # micrograd recurses

    missing = [name for name in PEER_MODULES if not installed(name)]
    mlp_frameworks = {name: build for name, build in MLP_FRAMEWORKS.items() if installed(name)}
    has_torch = installed("torch eager")
    if has_torch:
        import torch

        torch.set_num_threads(1)

    # --- correctness first: the comparison is only fair on equal computations
    failures: list[str] = []
    check_mlp_gradients(mlp_frameworks, failures)
    tiny = {name: build() for name, build in TINY_FRAMEWORKS.items() if installed(name)}
    check_tiny(tiny, failures)
    x, v = rosenbrock_problem()
    hvps = hvp_cases(x, v)
    for name, hvp in hvps.items():
        check_close(f"HVP, {name}", hvp(), rosenbrock_hvp_exact(x, v), 1e-9, 1e-9, failures)
    if failures:
        print("CROSS-CHECK FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("cross-check passed: MLP gradients of every framework equal the hand-written NumPy "
          "gradients (rtol 1e-4); Olah, chain and HVP equal their exact values")

    load_before = os.getloadavg()[0]
    ours, raw, torch_name = "tinygrad_ko", "raw NumPy", "torch eager"

    # --- MLP
    x, labels, params = mlp_problem()
    mlps = {name: build(x, labels, params) for name, build in mlp_frameworks.items()}
    steps = interleaved_samples({n: m[2] for n, m in mlps.items()}, rounds, 2 * repeats)
    forwards = interleaved_samples({n: m[0] for n, m in mlps.items()}, rounds, 2 * repeats)
    gradients = interleaved_samples({n: m[1] for n, m in mlps.items()}, rounds, 2 * repeats)
    mlp_rows = []
    for name in mlps:
        mlp_rows.append([
            name, f"{median(steps[name]) * 1e3:.3f}", ratio_cell(steps, name, raw),
            ratio_cell(steps, name, torch_name) if has_torch else "—",
            REFERENCE["MLP step"].get(name, "—"),
            f"{median(gradients[name]) / median(forwards[name]):.2f}",
            REFERENCE["grad/forward"].get(name, "—"),
        ])
    updates = interleaved_samples(update_alone(x, labels, params)[0], rounds, 2 * repeats)
    extra = {part: median(samples[ours]) - median(samples[raw])
             for part, samples in (("forward", forwards), ("gradient", gradients), ("step", steps),
                                   ("update", updates))}
    where_time_goes = (
        f"Our step costs {extra['step'] * 1e6:.0f} µs more than raw NumPy's (medians): "
        f"{extra['forward'] * 1e6:.0f} µs more in the forward pass, "
        f"{(extra['gradient'] - extra['forward']) * 1e6:.0f} µs in backward (forward + backward minus forward), "
        f"{extra['update'] * 1e6:.0f} µs in the update (`optim.SGD.step` against `p -= lr * g`, "
        "timed on its own); each part is timed separately, so they need not add up to the step.")
    mlp_table = common.markdown_table(
        ["framework", "step, ms", "step × raw NumPy", "step × torch eager", "(RESEARCH.md)",
         "gradient / forward", "(RESEARCH.md)"], mlp_rows)

    # --- MLP width scaling, with the memory of one step
    width_rows = []
    for hidden in widths:
        x, labels, params = mlp_problem(hidden=hidden)
        cases = {name: MLP_FRAMEWORKS[name](x, labels, params)[2]
                 for name in (raw, ours, torch_name) if installed(name)}
        samples = interleaved_samples(cases, max(3, rounds // 2), repeats)
        memory = {name: measure_memory(name, hidden) for name in cases}
        for name in cases:
            width_rows.append([f"784-{hidden}-{hidden}-10", name, f"{median(samples[name]) * 1e3:.2f}",
                               ratio_cell(samples, name, raw),
                               ratio_cell(samples, name, torch_name) if has_torch else "—",
                               "—" if memory[name] is None else f"{memory[name]:.1f}"])
    width_table = common.markdown_table(
        ["MLP", "framework", "step, ms", "× raw NumPy", "× torch eager", "step peak memory, MiB"], width_rows)

    # --- per-op overhead
    olah = interleaved_samples({n: t[0] for n, t in tiny.items()}, rounds, repeats, inner=50)
    chain = interleaved_samples({n: t[1] for n, t in tiny.items()}, rounds, repeats)
    base_tiny = "micrograd" if "micrograd" in tiny else ours
    tiny_rows = [[name, spread_cell(olah[name], 1e6, 1), ratio_cell(olah, name, base_tiny),
                  REFERENCE["Olah"].get(name, "—"),
                  f"{median(chain[name]) / CHAIN_LENGTH * 1e6:.2f}", ratio_cell(chain, name, base_tiny),
                  REFERENCE["chain"].get(name, "—")]
                 for name in tiny]
    tiny_table = common.markdown_table(
        ["framework", "Olah e=(a+b)(b+1), build + backward, µs per call [min–max]", f"× {base_tiny}",
         "(RESEARCH.md)", f"{CHAIN_LENGTH}-op scalar chain, µs per op", f"× {base_tiny}", "(RESEARCH.md)"],
        tiny_rows)
    olah_split = olah_breakdown(rounds, repeats)

    # --- chain length scaling (garbage collector on, as a user has it)
    chain_samples = {}
    for _ in range(max(3, rounds // 2)):
        for length in chain_lengths:
            for name in (ours, torch_name):
                run = chain_case(name, length)
                if run is None:
                    continue
                calls = max(1, 20_000 // length)
                chain_samples.setdefault((name, length), []).append(
                    common.cpu_time_median(run, repeats=3 if length < 100_000 else 1, warmup=1, inner=calls)
                    / length)
    chain_rows = []
    for name in (ours, torch_name):
        if (name, chain_lengths[0]) not in chain_samples:
            continue
        shortest = median(chain_samples[(name, chain_lengths[0])])
        row = [name]
        for length in chain_lengths:
            row.append(spread_cell(chain_samples[(name, length)], 1e6))
        row.append(f"{max(median(chain_samples[(name, n)]) for n in chain_lengths) / shortest:.2f}")
        chain_rows.append(row)
    if has_torch:
        row = ["tinygrad_ko × torch"]
        for length in chain_lengths:
            ratios = [a / b for a, b in zip(chain_samples[(ours, length)], chain_samples[(torch_name, length)])]
            row.append(f"{median(ratios):.2f} [{min(ratios):.2f}–{max(ratios):.2f}]")
        chain_rows.append(row + [""])
    chain_table = common.markdown_table(
        ["framework"] + [f"{n:,} ops, µs/op" for n in chain_lengths] + ["slowest / shortest"], chain_rows)

    # --- Jacobians of tanh(Wx)
    jacobian_rows = []
    for n, m in jacobian_sizes:
        cases = jacobian_cases(n, m)
        samples = interleaved_samples(cases, max(3, rounds // 2), 3)
        for mode in ("fwd", "rev"):
            row = [f"({n}, {m})", mode, f"{median(samples['ours ' + mode]) * 1e3:.3f}"]
            peer = f"torch.func {mode}"
            row.append(ratio_cell(samples, "ours " + mode, peer) if peer in samples else "—")
            loop = "ours fwd, per column" if mode == "fwd" else "ours rev, per row"
            row.append(ratio_cell(samples, loop, peer) if loop in samples and peer in samples else "—")
            jacobian_rows.append(row)
    jacobian_table = common.markdown_table(
        ["(n, m)", "mode", "ours, ms", "ours × torch.func", "one pass per vector × torch.func"], jacobian_rows)

    # --- Hessian-vector product
    hvp_samples = interleaved_samples(hvps, rounds, repeats)
    ours_hvp = "tinygrad_ko hvp (forward-over-reverse)"
    base_hvp = "torch double backward" if "torch double backward" in hvp_samples else ours_hvp
    hvp_rows = [[name, f"{median(seconds) * 1e3:.3f}", ratio_cell(hvp_samples, name, base_hvp),
                 REFERENCE["HVP"].get(name.replace(" hessian_vector_product", ""), "—")]
                for name, seconds in hvp_samples.items()]
    hvp_table = common.markdown_table(
        ["method", f"Rosenbrock n={ROSENBROCK_N} H·v, ms", f"× {base_hvp}", "(RESEARCH.md, ms)"], hvp_rows)

    # --- the traced MLP step (tinygrad_ko/jit.py)
    traced_table = traced_step_table(rounds, repeats)

    try:
        import dezero  # noqa: F401
        dezero_note = "DeZero imported here but is not benchmarked."
    except Exception as error:  # not installed, or its np.int use fails on NumPy >= 1.24
        dezero_note = (f"DeZero is left out: `import dezero` gives {type(error).__name__} here, and "
                       "DeZero 0.0.13 from PyPI does not import on NumPy >= 1.24 anyway (it uses `np.int`).")

    load_after = os.getloadavg()[0]
    versions = []
    for name, module in PEER_MODULES.items():
        if installed(name):
            version = getattr(__import__(module), "__version__", None)
            versions.append(f"{module} {version or importlib.metadata.version(module)}")
    versions = ", ".join(versions)
    if missing:
        dezero_note += f" Not installed here, so left out: {', '.join(missing)}."
    report = f"""## Core engine: tinygrad_ko against raw NumPy and the peers

`python benchmarks/bench_core.py` — {common.machine_line()}; {versions}.
Process CPU time. The systems take turns in each of {rounds} rounds (each sample the median of
{2 * repeats} calls for the MLP, {repeats} otherwise); a ratio is taken within each round and shown as
median [min–max] over the rounds, so a busy moment of the shared machine slows both sides of it.
Load average {load_before:.0f} before and {load_after:.0f} after the run (other work shared the cores).
Every framework's gradients were first checked equal to the hand-written NumPy ones.

### MLP training step (784-256-256-10, batch {BATCH}, float32, softmax cross-entropy, SGD)

{mlp_table}

Each framework's step: forward, backward, SGD update (ours with `optim.SGD`, which updates in place
block by block; raw NumPy and torch with `p -= lr * g`). The goal (issue 17): ≤ 1.10 × raw NumPy and
≤ torch eager in the same run. {where_time_goes}
The RESEARCH.md columns were measured on another machine: compare ratios within one run.

### MLP width scaling and the memory of one step

{width_table}

"step peak memory": how far the resident memory rose, during 3 steps, above its level once the
model was built (gradients, saved activations, temporaries, optimizer buffers), each framework in
a fresh process (Linux `VmHWM` after `clear_refs`).

### Per-operation overhead (tiny inputs: Python bookkeeping, not arithmetic)

{tiny_table}

{olah_split}
The chain alternates `x * {MULTIPLIER}` and `x + {SHIFT}`, then runs backward; micrograd's recursive
topological sort needs `sys.setrecursionlimit` raised to get through it (the script does so).

### Scalar chain length scaling (garbage collector on)

{chain_table}

µs per operation (build + backward) of chains of each length, median [min–max] over the rounds.

### Jacobians of tanh(W x), W of shape (m, n), float32

{jacobian_table}

Ours: the public `jacfwd` / `jacrev` (all n or m basis vectors through one batched pass);
the last column is the one-pass-per-vector `jacfwd_per_column` / `jacrev_per_row` (small cells only).

### Hessian-vector product, Rosenbrock n={ROSENBROCK_N}, float64

{hvp_table}

### Traced MLP step (784-256-256-10, batch {BATCH}): `tinygrad_ko.jit`

{traced_table}

The traced step runs the eager step once with listeners (`jit.trace_gradient`), then replays
its tape of array operations (forward and backward) with no Tensor per operation, and updates
in place as raw NumPy does; its gradients were first checked equal to the hand-written ones.

{dezero_note}
"""
    print(report)
    if args.quick or args.no_write:
        print("(quick or --no-write run: benchmarks/RESULTS.md left unchanged)")
    else:
        common.update_results_section("core", report)
        print(f"wrote the 'core' section of {common.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
