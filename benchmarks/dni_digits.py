"""DNI on digits: FCNs of 4–7 layers (3–6 hidden + the output layer) trained by No Bprop, Bprop, DNI and cDNI.

Depth is counted the paper's way: ``n layers`` = n − 1 hidden layers + the output
layer. Writes the "dni-digits" section of benchmarks/RESULTS.md (test error %, mean
over seeds, beside the PyTorch reference of RESEARCH.md §4) and figures under
benchmarks/figures/ (``dni_digits_{n}layers.png``).

    python benchmarks/dni_digits.py                    # default: a few minutes of CPU
    python benchmarks/dni_digits.py --steps 3000 --seeds 3 --jobs 2   # what RESULTS.md reports
    python benchmarks/dni_digits.py --dataset mnist --data-root DIR  # when MNIST's IDX files are there

Also runs the asynchronous-update experiment (each layer updates with
probability p at each step) for cDNI and Bprop at the smallest depth.
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import pathlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko.data import load_dataset  # noqa: E402
from tinygrad_ko.dni import FeedForwardConfig, train_feedforward  # noqa: E402
from tinygrad_ko.dni.plots import plot_feedforward  # noqa: E402

FIGURES = pathlib.Path(__file__).with_name("figures")

# What RESULTS.md says about the paper: its table is for MNIST and CIFAR-10, not digits.
PAPER_NOTE = """\
The paper's Table 1 (MNIST, CIFAR-10; RESEARCH.md §5) is quoted beside our Fashion-MNIST grid in
the dni-feedforward section; on digits the comparison that stands is with the PyTorch reference of
RESEARCH.md §4 (last column): same data, same settings."""

# RESEARCH.md §4: PyTorch reference on the same digits split, 3,000 steps, 3 seeds; its L hidden
# layers are L + 1 layers counted the paper's way (the keys here).
# Columns: Bprop, DNI with an MLP gradient model, DNI linear, cDNI linear.
REFERENCE = {4: (1.3, 1.8, 1.6, 1.1), 5: (1.0, 4.7, 1.9, 1.0), 6: (0.9, 5.7, 2.8, 1.3), 7: (1.4, 11.3, 4.1, 1.2)}


def variant(result) -> str:
    """The method, with "-mlp" when its gradient models are MLPs ("dni-mlp")."""
    config = result.config
    return config.method + ("-mlp" if config.predictor == "mlp" and config.method in ("dni", "cdni") else "")


def run_one(job):
    config, dataset, root = job
    data = load_dataset(dataset, "train", root=root) + load_dataset(dataset, "test", root=root)
    return train_feedforward(config, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="4,5,6,7",
                        help="depths counted the paper's way: n − 1 hidden layers + the output layer")
    parser.add_argument("--methods", default="no-bprop,bprop,dni,cdni",
                        help="any of no-bprop, bprop, dni, cdni; a -mlp suffix (dni-mlp) uses an MLP gradient model")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--predictor", default="linear", choices=("linear", "mlp"))
    parser.add_argument("--probabilities", default="1.0,0.5,0.2",
                        help="update probabilities for the asynchronous experiment ('' to skip)")
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--data-root", type=pathlib.Path, default=None)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--section", default=None, help="RESULTS.md section (default: dni-DATASET)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md and the figures alone")
    args = parser.parse_args()
    layers = [int(n) for n in args.layers.split(",")]
    methods = args.methods.split(",")
    probabilities = [float(p) for p in args.probabilities.split(",") if p]

    jobs = []
    for L in layers:
        for method in methods:
            for seed in range(args.seeds):
                jobs.append(FeedForwardConfig(method=method.removesuffix("-mlp"), layers=L,
                                              steps=args.steps, seed=seed,
                                              predictor="mlp" if method.endswith("-mlp") else args.predictor,
                                              eval_every=max(args.steps // 10, 1),
                                              probe_every=max(args.steps // 30, 1) if seed == 0 else 0))
    async_jobs = []
    for p in probabilities:
        for method in ("bprop", "cdni"):
            for seed in range(args.seeds):
                async_jobs.append(FeedForwardConfig(method=method, layers=layers[0], steps=args.steps,
                                                    seed=seed, update_probability=p,
                                                    eval_every=max(args.steps // 10, 1)))
    start = time.time()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_one, [(c, args.dataset, args.data_root) for c in jobs + async_jobs]))
    wall = time.time() - start
    main_results, async_results = results[:len(jobs)], results[len(jobs):]
    section = args.section or f"dni-{args.dataset}"
    suffix = section.removeprefix(f"dni-{args.dataset}")
    cpu = sum(r.cpu_seconds for r in results)

    def cell(rs):
        errors = [r.final_test_error for r in rs]
        return f"{np.mean(errors):.1f}" + (f" ± {np.std(errors):.1f}" if len(errors) > 1 else "")

    rows = []
    for L in layers:
        row = [L]
        for method in methods:
            row.append(cell([r for r in main_results if r.config.layers == L and variant(r) == method]))
        if args.dataset == "digits" and L in REFERENCE:
            reference = REFERENCE[L]
            row.append(" / ".join(str(value) for value in reference))
        rows.append(row)
    names = {"no-bprop": "No Bprop", "bprop": "Bprop", "dni": "DNI", "cdni": "cDNI", "dni-mlp": "DNI, MLP M", "cdni-mlp": "cDNI, MLP M"}
    header = ["layers"] + [names[m] for m in methods]
    if args.dataset == "digits":
        header.append("PyTorch ref.: Bprop / DNI-MLP / DNI / cDNI")
    async_rows = []
    for p in probabilities:
        row = [p]
        for method in ("bprop", "cdni"):
            row.append(cell([r for r in async_results if r.config.update_probability == p and r.config.method == method]))
        async_rows.append(row)

    FIGURES.mkdir(exist_ok=True)
    figures = []
    for L in layers if not args.no_write else []:
        seed0 = [r for r in main_results if r.config.layers == L and r.config.seed == 0]
        figures.append(plot_feedforward(seed0, FIGURES / f"dni_{args.dataset}_{L}layers{suffix.replace('-', '_')}.png",
                                        title=f"{args.dataset}: {L} layers ({L - 1} hidden × 256), {args.steps} steps"))
    cosine_rows = []
    for r in main_results:
        if r.config.seed == 0 and r.config.method in ("dni", "cdni") and r.true_cosine:
            cosines = np.array(r.true_cosine)
            early, late = cosines[:max(len(cosines) // 5, 1)].mean(axis=0), cosines[-5:].mean(axis=0)
            cells = [f"{a:.2f} → {b:.2f}" for a, b in zip(early, late)] + [""] * (max(layers) - 1 - len(early))
            cosine_rows.append([r.config.layers, variant(r)] + cells)
    cosine_header = ["layers", "method"] + [f"layer {i}" for i in range(1, max(layers))]

    asynchronous = "" if not probabilities else f"""Asynchronous updates ({layers[0]} layers): every hidden layer, with its gradient model,
takes part in a step only with probability p (independently per layer and step):

{common.markdown_table(["p", "Bprop", "cDNI"], async_rows)}
"""
    command = "python benchmarks/dni_digits.py " + " ".join(sys.argv[1:])
    title = ", ".join(names[m] for m in methods)      # two sections on one dataset differ by their methods
    markdown = f"""## DNI on {args.dataset} ({title}): test error (%) of FCNs of n layers (n − 1 hidden × 256 + the output layer)

`{command}` — {common.machine_line()}; {len(results)} runs, {cpu:.0f} s CPU in all ({wall:.0f} s wall).
Adam {FeedForwardConfig.lr:g} for the layers, {FeedForwardConfig.predictor_lr:g} for the gradient models
(linear unless marked MLP: one hidden layer of 256 with batch norm; last layer zero-initialised), batch {FeedForwardConfig.batch_size}, {args.steps} steps, batch norm,
summed cross-entropy; a synthetic gradient after every hidden layer, bootstrapped below the top.
Mean ± std over {args.seeds} seed(s); the test set has 450 images (one image = 0.22 points).

{common.markdown_table(header, rows)}

{PAPER_NOTE}

Cosine between each layer's synthetic gradient ĝ and the true ∂L/∂h from a full Bprop, on 256
held-out images (on training batches the loss soon all but vanishes, and with it the true gradient);
seed 0, "first fifth of training → last five probes":

{common.markdown_table(cosine_header, cosine_rows)}

{asynchronous}
Figures: {", ".join(f"`{f.relative_to(FIGURES.parent)}`" for f in figures)}.
"""
    print(markdown)
    if not args.no_write:
        common.update_results_section(section, markdown)


if __name__ == "__main__":
    main()
