"""DNI for RNNs: Copy and Repeat Copy with truncated BPTT, with and without synthetic gradients.

The paper's Table 2 (Jaderberg et al. 2016; RESEARCH.md §5): the longest sequence length an LSTM
trained by truncated BPTT learns, for T = 2, 3, 4, 5, without (BPTT) and with a synthetic gradient
at every truncation boundary (DNI, DNI + Aux). Each (task, method, T, seed) cell trains for a fixed
number of episodes (one episode = one batch of sequences = one iteration) under the length
curriculum, and is stored in benchmarks/results/dni_recurrent.json the moment it finishes. A rerun
skips the stored cells, so the grid completes over several sessions — to continue it:

    nice -n 19 python benchmarks/dni_recurrent.py       # run the missing cells (one at a time), then the report
    python benchmarks/dni_recurrent.py --tables         # only regenerate RESULTS.md's section from the JSON
    python benchmarks/dni_recurrent.py --profile        # µs per LSTM step, fused cell against the composite
    python benchmarks/dni_recurrent.py --smoke --results-dir /tmp/x    # seconds (CI)

Every cell carries the name of its ``setup`` (SETUPS: the training settings it ran under) in its key,
so cells of an older setup stay in the file, are never mixed into the tables and are never skipped
for a cell of the current one. Before the grid, each task gets one reference cell trained with
untruncated BPTT (T = FULL, longer than any episode): the check that the setup learns at all.
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import math
import pathlib
import sys
import time

import numpy as np
from matplotlib.ticker import MaxNLocator

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from results_store import ResultsStore  # noqa: E402

from tinygrad_ko import Tensor, nn  # noqa: E402
from tinygrad_ko.dni import RECURRENT_METHODS, TASKS as TASK_NAMES, RecurrentConfig, train_recurrent  # noqa: E402
from tinygrad_ko.errors import TinygradKoError  # noqa: E402
from tinygrad_ko.tensor import concatenate  # noqa: E402
from tinygrad_ko.tools.figures import figure_style, finish  # noqa: E402
from tinygrad_ko.validate import integer  # noqa: E402

FIGURE = pathlib.Path(__file__).with_name("figures") / "dni_recurrent.png"
COLOURS = {"bptt": "C0", "dni": "C1", "dni-aux": "C3"}

METHODS = ("bptt", "dni", "dni-aux")
NAMES = {"bptt": "BPTT", "dni": "DNI", "dni-aux": "DNI + Aux"}
TRUNCATIONS = (2, 3, 4, 5)
TASKS = ("copy", "repeat-copy")
KEY = ("task", "method", "T", "seed", "setup")
FULL = 1000            # a truncation longer than every episode (Repeat Copy at N = 60, R = 3: 243 steps)
# The training settings of each setup; a cell stores the name of the one it ran under.
#   v1: the first grid (Adam 1e-3 for the core and for M).
#   v2: Adam 3e-3 for the core, 1e-2 for M — chosen by pilots on Copy, N = 3, T = 2, 3,000 episodes
#       (bits per target step: v1 3.69, v2 3.04, truncated BPTT 5.79; untruncated BPTT passes
#       level 1 / 2–3 / 4–5 in 3,000 episodes at 1e-3 / 3e-3 / 1e-2).
SETUPS = {
    "v1": {"lr": 1e-3, "predictor_lr": 1e-3},
    "v2": {"lr": 3e-3, "predictor_lr": 1e-2},
}
SETUP = "v2"
PAPER_ITERATIONS = 2_500_000
# RESEARCH.md §5, Table 2: longest length successfully modelled, T = 2, 3, 4, 5
PAPER = {
    ("copy", "bptt"): (7, 8, 10, 8), ("copy", "dni"): (16, 14, 18, 18), ("copy", "dni-aux"): (16, 17, 19, 18),
    ("repeat-copy", "bptt"): (7, 5, 19, 23), ("repeat-copy", "dni"): (39, 33, 39, 59),
    ("repeat-copy", "dni-aux"): (39, 59, 67, 59),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default=",".join(TASKS), help="run in this order")
    parser.add_argument("--truncations", default=",".join(map(str, TRUNCATIONS)))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--episodes", type=int, default=20_000, help="iterations per cell")
    parser.add_argument("--hidden", type=int, default=RecurrentConfig.hidden)
    parser.add_argument("--results-dir", default=None, help="where dni_recurrent.json lives (default benchmarks/results)")
    parser.add_argument("--setup", default=SETUP, choices=sorted(SETUPS), help="training settings (SETUPS)")
    parser.add_argument("--tables", "--report", action="store_true", help="train nothing; write the report from the JSON")
    parser.add_argument("--profile", action="store_true", help="measure µs per LSTM step and stop")
    parser.add_argument("--smoke", action="store_true", help="tiny cells (seconds), for CI; never writes RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print the report; leave RESULTS.md alone")
    args = parser.parse_args()
    if args.profile:
        print(profile_lstm_step(hidden=args.hidden))
        return
    try:
        grid = grid_of(args)
    except (TinygradKoError, ValueError) as error:
        parser.error(str(error))
    store = ResultsStore("dni_recurrent.json", key=KEY, directory=args.results_dir)
    settings = {**SETUPS[args.setup], "episodes": args.episodes, "hidden": args.hidden}
    if args.smoke:
        settings.update(smoke_settings())
    if not args.tables:
        for cell in grid:
            if store.has(cell):
                continue
            store.add(run_cell(cell, settings))
            print(f"stored {cell} in {store.path}", flush=True)
    cells = [cell for cell in store.cells() if cell.get("setup") == args.setup]
    markdown = report(cells, others=len(store.cells()) - len(cells))
    print(markdown)
    if not (args.no_write or args.smoke):
        plot_traces(cells, FIGURE)
        common.update_results_section("dni-recurrent", markdown)


def grid_of(args) -> list[dict]:
    """The cells to run, in order: seed, then task (its full-BPTT reference first), then T, then method."""
    integer("--seeds", args.seeds, minimum=1)
    integer("--episodes", args.episodes, minimum=1)
    integer("--hidden", args.hidden, minimum=1)
    tasks, methods = args.tasks.split(","), args.methods.split(",")
    for name, given, allowed in (("--tasks", tasks, TASK_NAMES), ("--methods", methods, RECURRENT_METHODS)):
        unknown = [value for value in given if value not in allowed]
        if unknown:
            raise ValueError(f"{name}: unknown {', '.join(unknown)}; choose among {', '.join(allowed)}")
    try:
        truncations = [int(T) for T in args.truncations.split(",")]
    except ValueError:
        raise ValueError(f"--truncations must be integers separated by commas, got {args.truncations!r}") from None
    for T in truncations:
        integer("--truncations", T, minimum=1)
    grid = []
    for seed in range(args.seeds):
        for task in tasks:
            if seed == 0 and not args.smoke:
                grid.append(dict(task=task, method="bptt", T=FULL, seed=seed, setup=args.setup))
            grid += [dict(task=task, method=method, T=T, seed=seed, setup=args.setup)
                     for T in truncations for method in methods]
    return grid


def smoke_settings() -> dict:
    """Tiny cells (the setup's learning rates kept)."""
    return {"episodes": 4, "hidden": 4, "batch_size": 2, "bits": 2, "probe_every": 2}


def run_cell(cell: dict, settings: dict) -> dict:
    """Train one cell; return it with its measurements, ready to store."""
    options = dict(settings)
    options.setdefault("probe_every", 500)
    config = RecurrentConfig(task=cell["task"], method=cell["method"], truncation=cell["T"], seed=cell["seed"],
                             **options)
    result = train_recurrent(config)
    late_cosines = [c for c in result.true_cosine[-5:] if not math.isnan(c)]
    return {**cell, "metric": result.solved, "steps": result.episodes_run, "cpu_s": round(result.cpu_seconds, 1),
            "trace": [list(level_and_episode) for level_and_episode in result.passed],
            "final_length": result.lengths[-1], "final_bits": round(float(np.mean(result.bits[-100:])), 3),
            "cosine": round(float(np.mean(late_cosines)), 3) if late_cosines else None,
            "hidden": config.hidden, "batch_size": config.batch_size, "bits": config.bits,
            "lr": config.lr, "predictor_lr": config.predictor_lr, "sg_scale": config.sg_scale,
            "machine": common.machine_line()}


# ------------------------------------------------------------------------------------------- report
def report(cells: list[dict], others: int = 0) -> str:
    """The RESULTS.md section: the paper's Table 2 beside ours, every cell, and the trend.

    ``cells`` are those of one setup; ``others`` counts the stored cells of other setups (not shown)."""
    if not cells:
        return "## DNI for RNNs: Copy / Repeat Copy\n\nNo cell has finished yet."
    first = cells[0]
    cpu = sum(cell["cpu_s"] for cell in cells)
    budgets = sorted({cell["steps"] for cell in cells})
    setup = first.get("setup", "?")
    command = f"python benchmarks/dni_recurrent.py --setup {setup} --episodes {budgets[-1]}"
    grid = [c for c in cells if c["T"] != FULL]
    lines = [
        "## DNI for RNNs: longest Copy / Repeat Copy length solved with truncated BPTT (paper Table 2)",
        "",
        f"`nice -n 19 {command}` — {first['machine']}; setup `{setup}`: {len(grid)} grid cells and "
        f"{len(cells) - len(grid)} full-BPTT reference cells in `benchmarks/results/dni_recurrent.json` "
        f"(a full seed is {len(TASKS) * len(METHODS) * len(TRUNCATIONS)}; seeds run: "
        f"{', '.join(str(seed) for seed in sorted({c['seed'] for c in grid}))}), {cpu:.0f} s CPU in all"
        + (f"; {others} cells of other setups are stored beside them and not shown" if others else "")
        + f". Continue the grid with `nice -n 19 {command} --seeds 2`; tables only: `--tables`.",
        "",
        f"LSTM with {first['hidden']} units (fused cell), {first['bits']}-bit random vectors, batch "
        f"{first['batch_size']}, Adam {first['lr']:g} (gradient norm clipped at 10); the synthetic gradient is a "
        f"zero-initialised linear model of ∂L/∂[h, c] at each truncation boundary, scaled by {first['sg_scale']:g} and "
        f"bootstrapped (its target: the chunk's own gradient plus {first['sg_scale']:g} × the next boundary's "
        f"prediction), trained with Adam {first['predictor_lr']:g}. Aux: from the states inside a chunk a linear head "
        "predicts the synthetic gradient the chunk's end will produce. Curriculum from N = 1, up one when the mean "
        "error of 10 episodes is below 0.15 bits per target step. Repeat Copy: 1–3 repeats, level N. Each cell "
        f"trains {' or '.join(f'{b:,}' for b in budgets)} episodes of batch {first['batch_size']} (one episode = one "
        f"iteration); the paper trains {PAPER_ITERATIONS:,} iterations.",
        "",
        reference_line(cells),
        "",
        "Paper / ours (longest length solved; — : cell not run yet):",
        "",
        common.markdown_table(["task", "method"] + [f"T={T}" for T in TRUNCATIONS], paper_rows(cells)),
        "",
        ordering_line(cells),
        "",
        "Every cell (trace: level passed @ episode):",
        "",
        common.markdown_table(["task", "method", "T", "seed", "solved", "episodes", "CPU s", "ms / episode",
                               "last 100 bits", "cos(ĝ, g)", "trace"], detail_rows(cells)),
        "",
        "Trend, per task and method over all its cells: N ≈ a + b·log₁₀(episode) fitted to the trace points;",
        "the length it predicts at the paper's 2.5M iterations, and the iterations it needs for the paper's",
        "mean length (a crude extrapolation from a short run, read it as an order of magnitude; it ignores",
        "that the next level was not passed by the end of a run, so if anything it is optimistic).",
        "",
        common.markdown_table(["task", "method", "points", "b (levels per ×10 episodes)",
                               "N at 2.5M (fit)", "paper's mean N", "episodes for it (fit)"], trend_rows(cells)),
        "",
        f"Figure: `figures/{FIGURE.name}` (curriculum level against episode, every cell).",
    ]
    return "\n".join(lines)


def _cells_of(cells, task, method, T=None):
    """The cells of (task, method) at truncation T, or at every truncated T when T is None."""
    return [c for c in cells if c["task"] == task and c["method"] == method
            and (c["T"] == T if T is not None else c["T"] != FULL)]


def reference_line(cells) -> str:
    """The untruncated-BPTT reference cells: does the setup learn when the gradient is not cut?"""
    parts = []
    for task in TASKS:
        for c in sorted(_cells_of(cells, task, "bptt", FULL), key=lambda c: c["seed"]):
            trace = ", ".join(f"{level}@{episode}" for level, episode in c["trace"]) or "—"
            parts.append(f"{task} (seed {c['seed']}): length {c['metric']} in {c['steps']:,} episodes, "
                         f"{c['cpu_s']:.0f} s (trace {trace})")
    if not parts:
        return "Reference, untruncated BPTT (T longer than the episode): not run yet."
    return ("Reference, untruncated BPTT (T longer than the episode; the check that the setup learns at all): "
            + "; ".join(parts) + ".")


def paper_rows(cells) -> list[list[str]]:
    rows = []
    for task in TASKS:
        for method in METHODS:
            row = [task, NAMES[method]]
            for paper, T in zip(PAPER[(task, method)], TRUNCATIONS):
                ours = "/".join(str(c["metric"]) for c in sorted(_cells_of(cells, task, method, T),
                                                                  key=lambda c: c["seed"]))
                row.append(f"{paper} / {ours or '—'}")
            rows.append(row)
    return rows


def ordering_line(cells) -> str:
    """How many (task, T) pairs show the paper's ordering: DNI and DNI + Aux above BPTT."""
    shown, complete = [], 0
    for task in TASKS:
        for T in TRUNCATIONS:
            medians = {m: _median_metric(_cells_of(cells, task, m, T)) for m in METHODS}
            if any(v is None for v in medians.values()):
                continue
            complete += 1
            if medians["dni"] > medians["bptt"] and medians["dni-aux"] > medians["bptt"]:
                shown.append(f"{task} T={T}")
    listed = ", ".join(shown) if shown else "none"
    return (f"The paper's ordering (DNI and DNI + Aux solve longer sequences than BPTT at the same T) holds in "
            f"{len(shown)} of the {complete} (task, T) pairs run with all three methods: {listed}.")


def _median_metric(cells):
    return float(np.median([c["metric"] for c in cells])) if cells else None


def detail_rows(cells) -> list[list[object]]:
    rows = []
    for c in sorted(cells, key=lambda c: (TASKS.index(c["task"]), c["T"], METHODS.index(c["method"]), c["seed"])):
        trace = ", ".join(f"{level}@{episode}" for level, episode in c["trace"]) or "—"
        rows.append([c["task"], NAMES[c["method"]], "full" if c["T"] == FULL else c["T"], c["seed"], c["metric"], c["steps"], f"{c['cpu_s']:.0f}",
                     f"{1000 * c['cpu_s'] / max(c['steps'], 1):.1f}", f"{c['final_bits']:.2f}",
                     "—" if c["cosine"] is None else f"{c['cosine']:.2f}", trace])
    return rows


def fit_log_trend(points):
    """(a, b) of N ≈ a + b·log₁₀(episode) by least squares, or None with fewer than 3 points."""
    if len(points) < 3:
        return None
    levels = np.array([level for level, _ in points], dtype=float)
    logs = np.log10([episode for _, episode in points])
    if np.ptp(logs) == 0:
        return None
    b, a = np.polyfit(logs, levels, 1)
    return float(a), float(b)


def trend_rows(cells) -> list[list[object]]:
    rows = []
    for task in TASKS:
        for method in METHODS:
            points = [tuple(p) for c in _cells_of(cells, task, method) for p in c["trace"]]
            fit = fit_log_trend(points)
            paper_mean = float(np.mean(PAPER[(task, method)]))
            if fit is None:
                rows.append([task, NAMES[method], len(points), "—", "—", f"{paper_mean:.1f}", "—"])
                continue
            a, b = fit
            at_paper = a + b * math.log10(PAPER_ITERATIONS)
            exponent = (paper_mean - a) / b if b > 0 else math.inf
            needed = f"{10 ** exponent:.1e}" if exponent < 300 else "never (no growth)" if b <= 0 else "> 1e300"
            rows.append([task, NAMES[method], len(points), f"{b:.2f}", f"{at_paper:.1f}", f"{paper_mean:.1f}", needed])
    return rows


def plot_traces(cells, path: pathlib.Path) -> pathlib.Path:
    """Curriculum level against episode (log scale), one panel per task and T, one line per cell."""
    with figure_style() as figures:
        figure, axes = figures.subplots(len(TASKS), len(TRUNCATIONS), figsize=(16, 8), squeeze=False)
        figure.subplots_adjust(hspace=0.45, wspace=0.3)
        for row, task in enumerate(TASKS):
            for column, T in enumerate(TRUNCATIONS):
                axis = axes[row][column]
                for method in METHODS:
                    for c in _cells_of(cells, task, method, T):
                        episodes = [1] + [episode for _, episode in c["trace"]] + [max(c["steps"], 1)]
                        levels = [0] + [level for level, _ in c["trace"]] + [c["metric"]]
                        axis.step(episodes, levels, where="post", color=COLOURS[method],
                                  label=f"{NAMES[method]} (seed {c['seed']})")
                axis.set(xscale="log", xlabel="episode", ylabel="longest length solved", title=f"{task}, T = {T}")
                axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        return finish(figure, [axis for row in axes for axis in row], path,
                      "truncated BPTT ± synthetic gradients: the curriculum")


# ------------------------------------------------------------------------------------------ profile
def profile_lstm_step(hidden: int = 64, batch: int = 16, steps: int = 20, rounds: int = 9) -> str:
    """µs of CPU per LSTM step (forward + backward over a chain of ``steps``), fused against composite.

    The two are measured in interleaved rounds (this machine is shared and noisy); medians and ranges."""
    rng = np.random.default_rng(0)
    cell = nn.LSTMCell(9, hidden, rng=rng)
    inputs = [Tensor(rng.standard_normal((batch, 9)).astype(np.float32)) for _ in range(steps)]
    H = hidden

    def composite_step(x, state):
        z = concatenate([x, state[:, :H]], axis=1) @ cell.weight + cell.bias
        i, f = z[:, :H].sigmoid(), z[:, H:2 * H].sigmoid()
        g, o = z[:, 2 * H:3 * H].tanh(), z[:, 3 * H:].sigmoid()
        c = f * state[:, H:] + i * g
        return concatenate([o * c.tanh(), c], axis=1)

    def chain(step):
        state = Tensor(np.zeros((batch, 2 * H), dtype=np.float32))
        for x in inputs:
            state = step(x, state)
        (state * state).sum().backward()
        cell.weight.grad = cell.bias.grad = None

    timings = {"fused lstm_cell": [], "composite (sigmoid, tanh, ×, +)": []}
    steps_of = {"fused lstm_cell": cell.step, "composite (sigmoid, tanh, ×, +)": composite_step}
    for name in timings:
        chain(steps_of[name])                      # warm up
    for _ in range(rounds):
        for name, times in timings.items():
            start = time.process_time()
            for _ in range(5):
                chain(steps_of[name])
            times.append((time.process_time() - start) / (5 * steps) * 1e6)
    lines = [f"LSTM step, forward + backward, H = {hidden}, batch {batch}, chain of {steps} steps, "
             f"{rounds} interleaved rounds — {common.machine_line()}"]
    for name, times in timings.items():
        lines.append(f"  {name:<34} median {np.median(times):6.0f} µs   (min {min(times):.0f}, max {max(times):.0f})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
