"""jacfwd and jacrev, side by side with JAX and torch.func, in one run.

    python benchmarks/bench_jacobians.py            # n, m in {10, 100, 1000}; writes RESULTS.md
    python benchmarks/bench_jacobians.py --quick    # n, m in {10, 100}; RESULTS.md left alone

The functions are the built-in examples of ``tinygrad_ko.tools.cost.examples``
(dense layer stack n -> 64 -> m, elementwise chain, the generalised Olah
expression), float32, rebuilt in JAX and PyTorch from the same parameter
arrays. Every peer's Jacobian is checked against ours before it is timed.

Measured (process CPU time, one thread, best-effort medians; see common.py):

* tinygrad_ko, loop — ``jacfwd_per_column`` / ``jacrev_per_row``: one pass per basis vector
  (the public ``jacfwd`` / ``jacrev`` batch them: see bench_core.py's Jacobian table);
* tinygrad_ko, vectorised — ``jacfwd_vectorized`` / ``jacrev_vectorized``:
  all basis vectors in one pass through the batched function;
* JAX eager — ``jax.jacfwd(f)`` / ``jax.jacrev(f)`` (vmap inside, op by op);
* JAX jit — the same under ``jax.jit`` (compiled once, before timing);
* torch.func — ``torch.func.jacfwd`` / ``jacrev`` (vmap inside).

A peer that is not installed is reported as "not installed". Cells of the
elementwise example whose batched intermediates would hold more than 2·10⁷
numbers (batch × m × n, the batch being n for jacfwd and m for jacrev) are
skipped: at n = m = 1000 that is 10⁹ floats (4 GB) per array.
"""

from __future__ import annotations

import common  # first: pins BLAS/OpenMP to one thread before NumPy, torch or JAX load

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko.autodiff import jacfwd_per_column, jacrev_per_row  # noqa: E402
from tinygrad_ko.tools.cost import jacfwd_vectorized, jacrev_vectorized, make_example  # noqa: E402

EXAMPLES = ("dense", "elementwise", "olah")
DTYPE = np.float32
TIME_PER_CELL = 0.5   # seconds of timing per (system, function, n, m, mode), at most


def skipped(name: str, n: int, m: int, mode: str) -> bool:
    batch = n if mode == "fwd" else m
    return name == "elementwise" and batch * m * n > 2 * 10**7


# --------------------------------------------------------------- the peers' functions
def jax_function(example):
    import jax.numpy as jnp

    p = {k: jnp.asarray(v) for k, v in example.params.items()}
    if example.name == "dense":
        layers = len(p) // 2

        def f(x):
            for i in range(layers):
                x = jnp.tanh(x @ p[f"W{i}"] + p[f"b{i}"])
            return x
    elif example.name == "elementwise":
        def f(x):
            u = x[..., None, :] + p["c"][:, None]
            return jnp.tanh(u * jnp.sin(u)).sum(-1)
    else:
        def f(x):
            a, b = x[..., p["a_index"]], x[..., p["b_index"]]
            return (a + b) * (b + 1)
    return f


def torch_function(example):
    import torch

    p = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in example.params.items()}
    if example.name == "dense":
        layers = len(p) // 2

        def f(x):
            for i in range(layers):
                x = torch.tanh(x @ p[f"W{i}"] + p[f"b{i}"])
            return x
    elif example.name == "elementwise":
        def f(x):
            u = x[..., None, :] + p["c"][:, None]
            return torch.tanh(u * torch.sin(u)).sum(-1)
    else:
        def f(x):
            a, b = x[..., p["a_index"]], x[..., p["b_index"]]
            return (a + b) * (b + 1)
    return f


# ------------------------------------------------------------------- the systems
def ours_loop(example, mode):
    transform = jacfwd_per_column if mode == "fwd" else jacrev_per_row
    return lambda: transform(example.function)(example.point).numpy()


def ours_vectorised(example, mode):
    if mode == "fwd":
        return lambda: jacfwd_vectorized(example.function, example.point).numpy()
    return lambda: jacrev_vectorized(example.function, example.point, (example.m,)).numpy()


def jax_eager(example, mode):
    import jax

    transform = jax.jacfwd if mode == "fwd" else jax.jacrev
    jacobian, x = transform(jax_function(example)), jax.numpy.asarray(example.point)
    return lambda: np.asarray(jacobian(x).block_until_ready())


def jax_jit(example, mode):
    import jax

    transform = jax.jacfwd if mode == "fwd" else jax.jacrev
    jacobian, x = jax.jit(transform(jax_function(example))), jax.numpy.asarray(example.point)
    return lambda: np.asarray(jacobian(x).block_until_ready())


def torch_func(example, mode):
    import torch
    import torch.func

    torch.set_num_threads(1)
    transform = torch.func.jacfwd if mode == "fwd" else torch.func.jacrev
    jacobian, x = transform(torch_function(example)), torch.from_numpy(example.point)
    return lambda: jacobian(x).numpy()


SYSTEMS = {  # name -> (builder, module it needs)
    "ours, loop": (ours_loop, None),
    "ours, vectorised": (ours_vectorised, None),
    "JAX": (jax_eager, "jax"),
    "JAX jit": (jax_jit, "jax"),
    "torch.func": (torch_func, "torch"),
}
PEERS = ("JAX", "JAX jit", "torch.func")


def installed(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def cpu_seconds(run) -> float:
    """Median CPU time of ``run()``, repeated to fill about TIME_PER_CELL seconds (3 to 20 times)."""
    start = time.process_time()
    run()                                   # warm-up: JIT compilation, caches
    first = max(time.process_time() - start, 1e-6)
    repeats = int(min(20, max(3, TIME_PER_CELL / first)))
    if first > 2 * TIME_PER_CELL:
        repeats = 1
    return common.cpu_time_median(run, repeats=repeats, warmup=0)


def measure_cell(example, mode, available):
    """Times (seconds) per system for one function, (n, m) and mode; checks every Jacobian."""
    reference = None
    times = {}
    for system, (builder, module) in SYSTEMS.items():
        if not available[system]:
            continue
        run = builder(example, mode)
        jacobian = np.asarray(run()).reshape(example.m, example.n)
        if reference is None:
            reference = jacobian
        scale = max(1.0, float(np.abs(reference).max()))
        if not np.allclose(jacobian, reference, atol=1e-4 * scale, rtol=1e-4):
            raise SystemExit(f"{system} disagrees with tinygrad_ko on {example.name} n={example.n} "
                             f"m={example.m} {mode}: largest gap {np.abs(jacobian - reference).max():.3g}")
        times[system] = cpu_seconds(run)
    return times


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e3:.3g}"


def ratio(ours: float | None, peer: float | None) -> str:
    return "—" if ours is None or peer is None else f"{ours / peer:.3g}×"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="n, m in {10, 100}; RESULTS.md left alone")
    args = parser.parse_args()
    sizes = (10, 100) if args.quick else (10, 100, 1000)
    available = {system: installed(module) for system, (_, module) in SYSTEMS.items()}
    versions = [f"NumPy {np.__version__}"]
    for module in ("jax", "torch"):
        versions.append(f"{module} {__import__(module).__version__}" if installed(module)
                        else f"{module}: not installed")
    print(common.machine_line(), "|", ", ".join(versions), file=sys.stderr)

    header = (["function", "n", "m", "mode"] + [f"{s} ms" for s in SYSTEMS]
              + [f"ours ÷ {peer} (loop / vectorised)" for peer in PEERS])
    rows = []
    for name in EXAMPLES:
        for n in sizes:
            for m in sizes:
                example = make_example(name, n, m, dtype=DTYPE)
                for mode in ("fwd", "rev"):
                    label = f"jac{mode}"
                    if skipped(name, n, m, mode):
                        rows.append([name, n, m, label] + ["skipped"] * len(SYSTEMS) + ["—"] * len(PEERS))
                        continue
                    times = measure_cell(example, mode, available)
                    cells = []
                    for system in SYSTEMS:
                        cells.append(ms(times.get(system)) if available[system] else "not installed")
                    for peer in PEERS:
                        cells.append(f"{ratio(times.get('ours, loop'), times.get(peer))} / "
                                     f"{ratio(times.get('ours, vectorised'), times.get(peer))}")
                    rows.append([name, n, m, label] + cells)
                    print(" | ".join(str(c) for c in rows[-1]), file=sys.stderr)

    table = common.markdown_table(header, rows)
    text = (f"## Jacobians: jacfwd and jacrev beside JAX and torch.func\n\n"
            f"`python benchmarks/bench_jacobians.py` — {common.machine_line()}; {', '.join(versions)}. "
            f"float32, process CPU time per Jacobian (median), milliseconds. Functions: "
            f"`tinygrad_ko.tools.cost.examples` (dense n→64→m tanh stack; elementwise chain "
            f"f_j = Σ_i tanh(u sin u), u = x_i + c_j; Olah e = (a+b)(b+1) on gathered inputs). "
            f"'ours, loop' runs one pass per basis vector (n JVPs or m VJPs); 'ours, vectorised' pushes "
            f"the identity through the batched function in one pass, as the peers' vmap does. Ratios: "
            f"our time ÷ the peer's (loop / vectorised); above 1 means we are slower.\n\n{table}\n")
    print(text)
    if not args.quick:
        common.update_results_section("jacobians", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
