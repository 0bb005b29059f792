"""GO-UP against SGD on the digits: does the Ornstein–Uhlenbeck noise add anything?

Methods (all on the MLP 64-64-10, batch 32, same seeds, same batches):

* ``sgd``        θ ← θ − α·g
* ``sgd-noise``  θ ← θ − α·g + s·ε with s fixed at GO-UP's first-step size α·std(θ₀ − g₀)
* ``goup``       θ ← (1 − α)·θ + α·(θ − g + ε·std(θ − g)),  i.e. θ − α·g + α·std(θ − g)·ε
* ``goup-fwd``   the same update with g from K forward-mode passes (no backprop at all)

For each learning rate and method: final test accuracy (mean ± std over seeds),
CPU seconds per run, and for the noisy methods how much the first layer's
weight spread grew, next to GO-UP's no-gradient prediction (1 + α²)^(T/2).
Writes the "goup" section of benchmarks/RESULTS.md and a histogram figure.

    python benchmarks/goup_experiment.py           # the reference setting, ~5 min of CPU
    python benchmarks/goup_experiment.py --quick   # 10 epochs, 2 seeds, ~1 min
"""

import common  # noqa: F401  (first: pins BLAS to one thread)

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko import nn  # noqa: E402
from tinygrad_ko.data import digits  # noqa: E402
from tinygrad_ko.train import fit, plot_gaussian_check, update_parts  # noqa: E402
from tinygrad_ko.optim import build_optimizer  # noqa: E402

METHODS = ("sgd", "sgd-noise", "goup", "goup-fwd")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--lrs", default="0.01,0.03,0.05,0.1,0.5",
                        help="learning rates for sgd, sgd-noise and goup")
    parser.add_argument("--fwd-lrs", default="0.01,0.03", help="learning rates for goup-fwd")
    parser.add_argument("--directions", type=int, default=16, help="K for goup-fwd")
    parser.add_argument("--quick", action="store_true", help="10 epochs, 2 seeds, goup-fwd at 0.01 only")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path(__file__).with_name("figures"),
                        help="folder for the figure (default: benchmarks/figures)")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.seeds, args.fwd_lrs = 10, 2, "0.01"
    args.lrs = [float(x) for x in args.lrs.split(",") if x]
    args.fwd_lrs = [float(x) for x in args.fwd_lrs.split(",") if x]
    return args


def one_run(method, lr, seed, epochs, directions, train_data, test_data, capture_steps=()):
    """Train once; return a dict of what the table needs (and αθ, αg at ``capture_steps``)."""
    model = nn.MLP([64, 64, 10], rng=np.random.default_rng(seed))
    optimizer, gradient = build_optimizer(method, model.parameters(), lr, seed=seed, directions=directions)
    first_weight = model[0].weight
    start_spread = float(first_weight.detach().numpy().std())
    captured = {}

    def before_update(step, model):
        if step in capture_steps:
            captured[step] = update_parts(first_weight, lr)

    cpu_start = time.process_time()
    with np.errstate(all="ignore"):
        history = fit(model, optimizer, train_data, test_data, epochs=epochs, seed=seed,
                      gradient=gradient, progress=False, before_update=before_update)
    seconds = time.process_time() - cpu_start
    diverged = history.diverged_at_step is not None or not np.isfinite(first_weight.detach().numpy()).all()
    return {
        "accuracy": None if diverged else history.test_accuracy[-1],
        "seconds": seconds,
        "steps": len(history.step_loss),
        "spread_growth": None if diverged else float(first_weight.detach().numpy().std()) / start_spread,
        "passes": history.passes,
        "captured": captured,
    }


def accuracy_cell(runs):
    finished = [r["accuracy"] for r in runs if r["accuracy"] is not None]
    diverged = len(runs) - len(finished)
    if not finished:
        return f"diverged ({diverged}/{len(runs)})"
    cell = f"{100 * np.mean(finished):.1f} ± {100 * np.std(finished):.1f}"
    return cell + (f" ({diverged}/{len(runs)} diverged)" if diverged else "")


def spread_cell(runs, method, lr, steps):
    """Median growth of std(W₁) over the run; for GO-UP also the no-gradient prediction."""
    growths = [r["spread_growth"] for r in runs if r["spread_growth"] is not None]
    measured = f"×{np.median(growths):.3g}" if growths else "overflow"
    if method not in ("goup", "goup-fwd"):
        return measured
    return f"{measured} (pred. ×{(1 + lr ** 2) ** (steps / 2):.3g})"


def main():
    args = parse_arguments()
    train_data, test_data = digits("train"), digits("test")
    steps_per_epoch = -(-len(train_data[0]) // 32)
    last_step = args.epochs * steps_per_epoch - 1
    plan = [(m, lr) for lr in args.lrs for m in METHODS[:3]] + [("goup-fwd", lr) for lr in args.fwd_lrs]
    figure_lr = 0.03 if 0.03 in args.lrs else args.lrs[0]
    rows, figure_panels = [], []
    wall_start = time.perf_counter()
    for method, lr in plan:
        runs = []
        for seed in range(args.seeds):
            in_figure = seed == 0 and lr == figure_lr and method in ("sgd", "goup")
            capture = ((0, last_step) if method == "sgd" else (last_step,)) if in_figure else ()
            runs.append(one_run(method, lr, seed, args.epochs, args.directions,
                                train_data, test_data, capture))
            for step, parts in sorted(runs[-1]["captured"].items()):
                when = "at initialisation" if step == 0 else f"after {args.epochs} epochs of {method}"
                figure_panels.append((f"{when} (α = {lr:g})", *parts))
        ms_per_step = 1000 * np.mean([r["seconds"] / max(r["steps"], 1) for r in runs])
        rows.append([method, f"{lr:g}", accuracy_cell(runs), f"{np.mean([r['seconds'] for r in runs]):.1f}",
                     f"{ms_per_step:.2f}", spread_cell(runs, method, lr, last_step + 1)])
        print(" | ".join(rows[-1]), flush=True)
    wall = time.perf_counter() - wall_start

    figure = plot_gaussian_check(figure_panels, args.out / "goup_gaussian_check.png",
                                 "αθ − α·∂L/∂θ for the first layer's weight (seed 0)")
    print(f"wrote {figure}")

    table = common.markdown_table(
        ["method", "lr α", "test accuracy % (mean ± std)", "CPU s / run", "ms / step",
         "std(W₁) growth (GO-UP: predicted (1+α²)^(T/2))"], rows)
    command = "python benchmarks/goup_experiment.py" + (" --quick" if args.quick else "")
    setting = (f"digits (1,347 train / 450 test), MLP 64-64-10 (ReLU, He init), batch 32, "
               f"{args.epochs} epochs ({last_step + 1} steps), seeds 0..{args.seeds - 1}, "
               f"goup-fwd with K = {args.directions} directions; {common.machine_line()}; "
               f"whole run {wall / 60:.1f} min")
    print(table)
    if not args.no_results:
        common.update_results_section(
            "goup", f"## GO-UP vs SGD on the digits\n\n`{command}` — {setting}.\n\n{table}\n\n{READING}")
    return 0


READING = """\
**Reading.** With k = α the GO-UP update is θ − α·g + α·std(θ − g)·ε: an SGD step plus Gaussian
noise whose size is a fixed fraction α of the weights' own spread, with g the ordinary
backpropagated gradient — so "no optimizer, no gradient descent, no backpropagation" does not
describe it. What the noise adds, measured: nothing useful. At α = 0.01 GO-UP equals SGD within
the seed spread (91.4 vs 91.7 %) because the noise is too small to matter; from α = 0.03 on it only
costs accuracy (90.4 vs 95.3 %; 71.8 vs 96.0 at 0.05; 39.9 vs 96.4 at 0.1; overflow at 0.5), while
SGD keeps improving up to α = 0.5 (97.4 %), so GO-UP's best setting is 6 points below SGD's. The
cause is the noise's feedback: each step multiplies std(θ) by √(1 + α²), and the measured growth of
the first layer's weight spread follows the no-gradient prediction (1 + α²)^(T/2) (×5.14 vs ×5.01
at α = 0.05, ×588 vs ×613 at α = 0.1): the gradient does not hold it back. Noise of a fixed size
(sgd-noise, matched to GO-UP's first step) grows only like √T and hurts much less (93.2 % at
α = 0.05), but it never beats plain SGD here either. The post's figure
(`benchmarks/figures/goup_gaussian_check.png`, first layer, α = 0.03): αθ − α·∂L/∂θ is mostly αθ
(std(αg) is 11–14 % of its spread), so the histogram shows the weights' own distribution —
uniform at initialisation (excess kurtosis −1.13), still flat-topped after SGD (−0.53; the KS test
rejects a Gaussian), and Gaussian (+0.05; KS passes) only after GO-UP has been adding Gaussian
noise to the weights: the bell shape is a product of the method, not evidence for it. The
backprop-free version (goup-fwd) makes the slogan literally true — 16 forward-mode passes per
step, zero reverse passes — and reaches 90.8 % at α = 0.01, what GO-UP with exact gradients
reaches at that rate, for about 16× the time per step (13.16 against 0.82 ms). At α = 0.03 it fails (50.6 %): the forward
gradient is itself noisy (‖ĝ‖ ≈ √(n/K)·‖g‖ ≈ 17·‖g‖ for n = 4,810, K = 16), that noise
inflates std(θ − ĝ) and with it GO-UP's own noise, and the weight spread grows ×16 instead of
×1.8."""


if __name__ == "__main__":
    sys.exit(main())
