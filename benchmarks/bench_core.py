"""Core-engine speed, side by side with raw NumPy and the peers, in one run.

    python benchmarks/bench_core.py            # full run, writes the "core" section of RESULTS.md
    python benchmarks/bench_core.py --quick    # smoke run: few repeats, RESULTS.md left alone

What is measured (process CPU time, one thread, medians; see common.py):

1. MLP training step, 784-256-256-10, batch 64, float32, softmax cross-entropy,
   SGD: written the same way in every framework (matmul + bias, ReLU,
   log-softmax, pick the label's entry with integer arrays, mean, backward,
   in-place update). Raw NumPy is the same step with the gradient written by
   hand; every ratio is to it. Also the gradient/forward time ratio (the
   cheap-gradient principle: a gradient costs a small constant times the
   function; we aim at <= 3).
2. Per-operation overhead on tiny inputs: the Olah expression
   e = (a + b) * (b + 1) (build the graph and run backward, per call), and a
   1,000-operation scalar chain (per operation).
3. Hessian-vector product of the Rosenbrock function, n = 1000, float64.

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
def mlp_problem(seed: int = 0):
    """Inputs, labels and He-initialised float32 parameters [W1, b1, W2, b2, W3, b3]."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    labels = rng.integers(0, CLASSES, BATCH)
    params = []
    for n_in, n_out in zip(SIZES, SIZES[1:] + (CLASSES,)):
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
    """Our engine, Tensor operations directly (no nn/optim modules)."""
    params = [tg.Tensor(p.copy(), requires_grad=True) for p in initial]
    inputs = tg.Tensor(x)
    rows = np.arange(len(labels))

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = (inputs @ W1 + b1).relu()
        h = (h @ W2 + b2).relu()
        logits = h @ W3 + b3
        return -logits.log_softmax(axis=-1)[rows, labels].mean()

    def gradient():
        for p in params:
            p.grad = None
        forward().backward()

    def step():
        forward().backward()
        with tg.no_grad():
            for p in params:
                p.data -= LEARNING_RATE * p.grad.data
                p.grad = None

    def read_gradients():
        gradient()
        return [p.grad.numpy() for p in params]

    return forward, gradient, step, read_gradients


def torch_mlp(x, labels, initial):
    import torch

    params = [torch.tensor(p, requires_grad=True) for p in initial]
    inputs = torch.tensor(x)
    rows, picks = torch.arange(len(labels)), torch.tensor(labels)

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = (inputs @ W1 + b1).relu()
        h = (h @ W2 + b2).relu()
        logits = h @ W3 + b3
        return -logits.log_softmax(dim=-1)[rows, picks].mean()

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
    from mygrad.nnet import logsoftmax, relu

    params = [mg.tensor(p.copy()) for p in initial]
    rows = np.arange(len(labels))

    def forward():
        W1, b1, W2, b2, W3, b3 = params
        h = relu(x @ W1 + b1)
        h = relu(h @ W2 + b2)
        logits = h @ W3 + b3
        return -logsoftmax(logits, axis=-1)[rows, labels].mean()

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
    """name -> function returning H·v as an array (the peers that are installed)."""
    xt, vt = tg.Tensor(x), tg.Tensor(v)

    def ours_forward_over_reverse():
        return tg.hvp(rosenbrock, (xt,), (vt,)).numpy()

    def ours_reverse_over_reverse():
        gradient = tg.grad(rosenbrock)
        return tg.grad(lambda z: (gradient(z) * vt).sum())(xt).numpy()

    cases = {
        "tinygrad_ko hvp (forward-over-reverse)": ours_forward_over_reverse,
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
def interleaved_medians(cases: dict, rounds: int, repeats: int, inner: int = 1) -> dict:
    """Median CPU seconds per call of each case, measured in alternating rounds.

    Taking turns spreads the load of a shared machine over all cases instead of
    penalising whichever ran during a busy moment."""
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            samples[name].append(common.cpu_time_median(case, repeats=repeats, inner=inner))
    return {name: statistics.median(values) for name, values in samples.items()}


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
def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="few repeats, for a smoke test; RESULTS.md is left unchanged")
    args = parser.parse_args(argv)
    rounds, repeats = (1, 3) if args.quick else (7, 15)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * CHAIN_LENGTH))  # micrograd recurses

    missing = [name for name in PEER_MODULES if not installed(name)]
    mlp_frameworks = {name: build for name, build in MLP_FRAMEWORKS.items() if installed(name)}
    if installed("torch eager"):
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

    # --- MLP
    x, labels, params = mlp_problem()
    mlps = {name: build(x, labels, params) for name, build in mlp_frameworks.items()}
    steps = interleaved_medians({n: m[2] for n, m in mlps.items()}, rounds, 2 * repeats)
    forwards = interleaved_medians({n: m[0] for n, m in mlps.items()}, rounds, 2 * repeats)
    gradients = interleaved_medians({n: m[1] for n, m in mlps.items()}, rounds, 2 * repeats)
    base = steps["raw NumPy"]
    mlp_rows = []
    for name in mlps:
        mlp_rows.append([
            name, f"{steps[name] * 1e3:.3f}", ratio(steps[name], base),
            REFERENCE["MLP step"].get(name, "—"),
            ratio(gradients[name], forwards[name]),
            ratio(gradients[name] - forwards[name], forwards[name]),
            REFERENCE["grad/forward"].get(name, "—"),
        ])
    ours, raw = "tinygrad_ko", "raw NumPy"
    extra_forward = forwards[ours] - forwards[raw]
    extra_backward = (gradients[ours] - forwards[ours]) - (gradients[raw] - forwards[raw])
    extra_update = (steps[ours] - gradients[ours]) - (steps[raw] - gradients[raw])
    where_time_goes = (
        f"Our step costs {(steps[ours] - base) * 1e6:.0f} µs more than raw NumPy's: "
        f"{extra_forward * 1e6:.0f} µs in the forward pass, {extra_backward * 1e6:.0f} µs in backward, "
        f"{extra_update * 1e6:.0f} µs in the update (medians, so the parts need not add up exactly). "
        "The arithmetic is the same (the same 8 matrix products and elementwise passes); "
        "the difference is mostly Python bookkeeping per operation (see the overhead table).")
    mlp_table = common.markdown_table(
        ["framework", "step, ms", "step × raw NumPy", "(RESEARCH.md)",
         "gradient / forward", "backward / forward", "(RESEARCH.md)"], mlp_rows)

    # --- per-op overhead
    olah_times = interleaved_medians({n: t[0] for n, t in tiny.items()}, rounds, repeats, inner=50)
    chain_times = interleaved_medians({n: t[1] for n, t in tiny.items()}, rounds, repeats)
    tiny_rows = [[name, f"{olah_times[name] * 1e6:.1f}", REFERENCE["Olah"].get(name, "—"),
                  f"{chain_times[name] / CHAIN_LENGTH * 1e6:.2f}", REFERENCE["chain"].get(name, "—")]
                 for name in tiny]
    tiny_table = common.markdown_table(
        ["framework", "Olah e=(a+b)(b+1), build + backward, µs per call", "(RESEARCH.md)",
         f"{CHAIN_LENGTH}-op scalar chain, µs per op", "(RESEARCH.md)"], tiny_rows)

    # --- Hessian-vector product
    hvp_times = interleaved_medians(hvps, rounds, repeats)
    ours = hvp_times["tinygrad_ko hvp (forward-over-reverse)"]
    hvp_rows = [[name, f"{seconds * 1e3:.3f}", ratio(seconds, ours),
                 REFERENCE["HVP"].get(name.replace(" hessian_vector_product", ""), "—")]
                for name, seconds in hvp_times.items()]
    hvp_table = common.markdown_table(
        ["method", f"Rosenbrock n={ROSENBROCK_N} H·v, ms", "× ours (fwd-over-rev)",
         "(RESEARCH.md, ms)"], hvp_rows)

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
Process CPU time, medians of {rounds} interleaved rounds × {2 * repeats} (MLP) or {repeats} samples;
load average {load_before:.0f} before and {load_after:.0f} after the run (other work shared the cores).
The gradients of every framework were first checked equal to the hand-written NumPy ones.

### MLP training step (784-256-256-10, batch {BATCH}, float32, softmax cross-entropy, SGD)

{mlp_table}

"gradient" is forward + backward (no update); "forward" is the loss alone, recorded for
differentiation where the framework records (autograd traces only inside `grad`, so its
forward is plain NumPy). The target: our step within 1.3× raw NumPy, gradient/forward ≤ 3.
{where_time_goes}
The RESEARCH.md columns were measured on another machine of the same kind: compare ratios
within one run, not across the columns.

### Per-operation overhead (tiny inputs: Python bookkeeping, not arithmetic)

{tiny_table}

The chain alternates `x * {MULTIPLIER}` and `x + {SHIFT}`, then runs backward; micrograd's recursive
topological sort needs `sys.setrecursionlimit` raised to get through it (the script does so).

### Hessian-vector product, Rosenbrock n={ROSENBROCK_N}, float64

{hvp_table}

{dezero_note}
"""
    print(report)
    if args.quick:
        print("(quick run: benchmarks/RESULTS.md left unchanged)")
    else:
        common.update_results_section("core", report)
        print(f"wrote the 'core' section of {common.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
