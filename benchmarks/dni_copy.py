"""DNI for RNNs: Copy and Repeat Copy with truncated BPTT, with and without a synthetic gradient.

For each task, truncation T and method (bptt, dni, dni-aux) an LSTM trains
under a curriculum on the sequence length for a fixed CPU-time budget; the
table is the longest length solved (error below 0.15 bits per character over
10 episodes). Writes the "dni-copy" section of benchmarks/RESULTS.md and
figures under benchmarks/figures/.

    python benchmarks/dni_copy.py                              # default: a few minutes of CPU
    python benchmarks/dni_copy.py --cpu-seconds 60 --jobs 2    # longer budget per run
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import pathlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko.dni import RecurrentConfig, train_recurrent  # noqa: E402
from tinygrad_ko.dni.plots import plot_recurrent  # noqa: E402

FIGURES = pathlib.Path(__file__).with_name("figures")
METHODS = ("bptt", "dni", "dni-aux")
NAMES = {"bptt": "BPTT", "dni": "DNI", "dni-aux": "DNI + Aux"}

# What RESULTS.md says about the paper. Its numbers could not be checked against a copy of the
# paper, so none are quoted (the ones once written from memory were removed).
PAPER_NOTE = """\
The paper's own numbers are not quoted. Jaderberg et al. (arXiv:1608.05343; §3.1 of the ICML 2017
version) report results on Copy, Repeat Copy (Graves et al. 2014) and character-level Penn Treebank
(bits per character), but we could not check their table against a copy of the paper, so the values
once written here from memory were removed rather than passed on (how the paper counts a Repeat Copy
level is unchecked too; ours is N only). What we test is the claim of its abstract: predicting the
future gradient extends the time over which a truncated RNN can learn."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="copy,repeat-copy")
    parser.add_argument("--truncations", default="2,3,4,5,8")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--cpu-seconds", type=float, default=8.0, help="budget per run")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--predictor-lr", type=float, default=RecurrentConfig.predictor_lr)
    parser.add_argument("--section", default="dni-copy", help="which RESULTS.md section to write")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md and the figures alone")
    args = parser.parse_args()
    tasks = args.tasks.split(",")
    truncations = [int(t) for t in args.truncations.split(",")]
    methods = args.methods.split(",")

    configs = [RecurrentConfig(task=task, method=method, truncation=T, hidden=args.hidden, episodes=10 ** 6,
                               cpu_seconds=args.cpu_seconds, seed=seed, probe_every=25,
                               predictor_lr=args.predictor_lr)
               for task in tasks for method in methods for T in truncations for seed in range(args.seeds)]
    start = time.time()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(train_recurrent, configs))
    wall = time.time() - start
    cpu = sum(r.cpu_seconds for r in results)

    header = ["task", "method"] + [f"T={T}" for T in truncations]
    rows = []
    for task in tasks:
        for method in methods:
            row = [task, NAMES[method]]
            for T in truncations:
                solved = [r.solved for r in results
                          if r.config.task == task and r.config.method == method and r.config.truncation == T]
                row.append("/".join(str(s) for s in solved))
            rows.append(row)
    detail = []
    for r in results:
        late = [c for c in r.true_cosine[-10:] if not np.isnan(c)]
        late_cos = float(np.mean(late)) if late else float("nan")
        reached = r.lengths.index(max(r.lengths)) + 1
        detail.append([r.config.task, NAMES[r.config.method], r.config.truncation, r.config.seed, r.solved,
                       reached, r.episodes_run, f"{np.mean(r.bits[-20:]):.2f}",
                       "—" if np.isnan(late_cos) else f"{late_cos:.2f}"])

    FIGURES.mkdir(exist_ok=True)
    figures = []
    for task in tasks if not args.no_write else []:
        for T in truncations[:2]:
            chosen = [r for r in results if r.config.task == task and r.config.truncation == T and r.config.seed == 0]
            suffix = "" if args.section == "dni-copy" else "_" + args.section.removeprefix("dni-copy-")
            figures.append(plot_recurrent(chosen, FIGURES / f"dni_{task}_T{T}{suffix}.png",
                                          title=f"{task}, T = {T}, {args.cpu_seconds:g} s CPU per run"))

    command = "python benchmarks/dni_copy.py " + " ".join(sys.argv[1:])
    markdown = f"""## DNI for RNNs: longest Copy / Repeat Copy length solved with truncated BPTT

`{command}` — {common.machine_line()}; {len(results)} runs, {cpu:.0f} s CPU in all ({wall:.0f} s wall).
LSTM with {args.hidden} units, 8 symbols, batch 16, Adam 1e-3 (gradient norm clipped at 10); the synthetic
gradient is a linear, zero-initialised model of ∂L/∂[h, c] at each truncation boundary, scaled by 0.1,
bootstrapped, trained with Adam {args.predictor_lr:g}. Curriculum from length 1, up one when the mean error of
10 episodes is below 0.15 bits per target character. Budget: {args.cpu_seconds:g} s of CPU per run
(seeds separated by "/"). Repeat Copy: N symbols, 1–3 repeats, then STOP; the level is N.

{common.markdown_table(header, rows)}

{PAPER_NOTE}

Per run: the episode at which the last level was reached, episodes trained in the budget, mean error of the last 20 episodes (bits), and cos(ĝ, ∂L/∂s)
against full BPTT at the boundaries (mean of the last 10 probes, one every 25 episodes):

{common.markdown_table(["task", "method", "T", "seed", "solved", "last level reached at episode", "episodes",
                        "bits", "cos"], detail)}

Figures: {", ".join(f"`{f.relative_to(FIGURES.parent)}`" for f in figures)}.
"""
    print(markdown)
    if not args.no_write:
        common.update_results_section(args.section, markdown)


if __name__ == "__main__":
    main()
