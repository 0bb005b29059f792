"""DNI on Fashion-MNIST: the paper's FCN and CNN rows of Table 1 (No Bprop, Bprop, DNI, cDNI), as a resumable grid.

FCNs of 3, 4, 5, 6 layers counted the paper's way (n − 1 hidden layers of 256 units with batch
norm and ReLU, + the output layer), trained by each method for a fixed number of steps of Adam;
with ``--net cnn``, CNNs of 3 and 4 layers (n − 1 blocks conv 3×3 of 16 channels → batch norm → ReLU
→ max-pool, + the output layer; tinygrad_ko/dni/convnet.py), a convolutional gradient model after
every block. Each cell (KEY: task, net, method, layers, seed, steps, width and the gradient model's
predictor and label_input) is stored in benchmarks/results/dni_feedforward.json the moment it
finishes, with its test-error curve; a rerun skips the stored cells, so the grid completes over
several sessions:

    nice -n 19 python benchmarks/dni_feedforward.py            # run the missing cells, one at a time
    nice -n 19 python benchmarks/dni_feedforward.py --methods dni-synthetic-input,cdni-synthetic-input --layers 4
    nice -n 19 python benchmarks/dni_feedforward.py --net cnn  # the CNN rows (layers 3, 4)
    nice -n 19 python benchmarks/dni_feedforward.py --net cnn --methods cdni --predictor mlp --label-input maps
    python benchmarks/dni_feedforward.py --tables              # train nothing: the RESULTS.md section + figure
    python benchmarks/dni_feedforward.py --smoke --dataset digits --results-dir /tmp/x    # seconds (CI)

The paper's numbers (benchmarks/dni_reference.py) are MNIST and CIFAR-10 after 500k iterations;
ours are Fashion-MNIST after a few thousand: the orderings compare, the absolute errors do not.
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from dni_reference import CIFAR10, MNIST, PAPER_ITERATIONS, PAPER_METHODS  # noqa: E402
from results_store import ResultsStore  # noqa: E402

from tinygrad_ko.data import DATASETS, load_dataset  # noqa: E402
from tinygrad_ko.dni import (CONV_METHODS, METHODS as ALL_METHODS, ConvNetConfig, FeedForwardConfig,  # noqa: E402
                             train_convnet, train_feedforward)
from tinygrad_ko.dni.predictors import LABEL_INPUTS  # noqa: E402
from tinygrad_ko.tools.figures import figure_style, finish  # noqa: E402
from tinygrad_ko.validate import integer  # noqa: E402

# A longer budget is a cell of its own, and so are a wider network and another gradient model: ``predictor`` and
# ``label_input`` (CNNs: how cDNI's label enters it) are None for the methods without one
# (No Bprop, Bprop), so their cells serve every gradient model; label_input is None for FCNs.
KEY = ("task", "net", "method", "layers", "seed", "steps", "width", "predictor", "label_input")
GRADIENT_MODEL_FREE = ("no-bprop", "bprop")
LAYERS = (3, 4, 5, 6)
CNN_LAYERS = (3, 4)
METHODS = ("no-bprop", "bprop", "dni", "cdni")
NAMES = {"no-bprop": "No Bprop", "bprop": "Bprop", "dni": "DNI", "cdni": "cDNI",
         "dni-synthetic-input": "DNI + synthetic input", "cdni-synthetic-input": "cDNI + synthetic input"}
COLOURS = {"no-bprop": "C7", "bprop": "C0", "dni": "C1", "cdni": "C2",
           "dni-synthetic-input": "C3", "cdni-synthetic-input": "C4"}
STEPS = 6000
EVAL_EVERY = 250
TRAIN_ERROR_EXAMPLES = 10_000       # the train error on 10k of the 60k images (all of them: 3 s per evaluation)
FIGURE = pathlib.Path(__file__).with_name("figures") / "dni_feedforward_curves.png"
# The CNNs sized for NumPy speed (the 16-cell grid in about an hour of one core): 16 channels of 3 × 3,
# a 3 × 3 convolutional gradient model, 0.12–0.16 s of CPU per step of batch 64 and 6–9 s per
# evaluation on the 10,000 test images; Adam 1e-3 (a 400-step pilot at 3e-4 learnt half as fast).
CNN = {"steps": 1200, "eval_every": 200, "train_error_examples": 1000, "lr": 1e-3,
       "width": 16, "kernel_size": 3, "predictor_kernel_size": 3}
CNN_FIGURE = FIGURE.with_name("dni_cnn_curves.png")
NETS = {"fcn": (FeedForwardConfig, train_feedforward), "cnn": (ConvNetConfig, train_convnet)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--net", choices=NETS, default="fcn", help="fully connected or convolutional")
    parser.add_argument("--layers", default=None, help="the paper's count (hidden + output); "
                        f"default {','.join(map(str, LAYERS))} (fcn), {','.join(map(str, CNN_LAYERS))} (cnn)")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"any of {', '.join(ALL_METHODS)} "
                        f"(cnn: {', '.join(CONV_METHODS)})")
    parser.add_argument("--seeds", type=int, default=2, help="seeds 0 … n−1")
    parser.add_argument("--steps", type=int, default=None, help=f"steps of batch 64 per cell "
                        f"(default {STEPS} fcn, {CNN['steps']} cnn)")
    parser.add_argument("--eval-every", type=int, default=None, help="steps between test evaluations "
                        f"(default {EVAL_EVERY} fcn, {CNN['eval_every']} cnn)")
    parser.add_argument("--width", type=int, default=None, help="units per hidden layer (fcn, default "
                        f"{FeedForwardConfig.width}) or channels per block (cnn, default {CNN['width']})")
    parser.add_argument("--predictor", choices=("linear", "mlp"), default="linear",
                        help="the gradient model: linear, or one hidden layer (cnn: a conv block) of batch norm + ReLU")
    parser.add_argument("--label-input", choices=LABEL_INPUTS, default="planes",
                        help="cnn, cDNI: the label as constant planes (extra channels) or as a learned map per class")
    parser.add_argument("--dataset", choices=DATASETS, default="fashion-mnist")
    parser.add_argument("--results-dir", default=None, help="where dni_feedforward.json lives (default benchmarks/results)")
    parser.add_argument("--tables", action="store_true", help="train nothing; write the tables from the JSON")
    parser.add_argument("--smoke", action="store_true", help="tiny cells (seconds), for CI; never writes RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print the tables; leave RESULTS.md alone")
    args = parser.parse_args()
    try:
        settings = smoke_settings(args.net, args.steps) if args.smoke else net_settings(args.net, args.steps, args.eval_every)
        if args.width is not None:
            settings["width"] = integer("--width", args.width, minimum=1)
        grid = grid_of(args, settings["steps"], settings.get("width", FeedForwardConfig.width))
    except ValueError as error:
        parser.error(str(error))
    store = ResultsStore("dni_feedforward.json", key=KEY, directory=args.results_dir)
    if not args.tables:
        data = load_dataset(args.dataset, "train") + load_dataset(args.dataset, "test")
        for cell in grid:
            if store.has(cell):
                continue
            store.add(run_cell(cell, data, settings))
            print(f"stored {cell} in {store.path}", flush=True)
    markdown = tables(store.cells())
    print(markdown)
    if not (args.no_write or args.smoke):
        fcn, cnn = _of_net(store.cells(), "fcn"), _of_net(store.cells(), "cnn")
        if fcn:
            plot_curves(fcn, FIGURE)
        cnn = [c for c in cnn if c["width"] == CNN["width"]]
        if cnn:
            budget = longest_complete_budget(cnn)
            plot_curves([c for c in cnn if c["steps"] == budget], CNN_FIGURE)
        common.update_results_section("dni-feedforward", markdown)


def longest_complete_budget(cells) -> int:
    """The most steps at which every method has a cell (else simply the most steps):
    the budget the figure draws, so a probe at a longer budget does not replace the grid."""
    methods = {c["method"] for c in cells}
    complete = [steps for steps in {c["steps"] for c in cells}
                if {c["method"] for c in cells if c["steps"] == steps} == methods]
    return max(complete or [c["steps"] for c in cells])


def grid_of(args, steps: int, width: int) -> list[dict]:
    """The cells to run, in order: seed, then depth, then method (a depth's methods together)."""
    integer("--seeds", args.seeds, minimum=1)
    methods = args.methods.split(",")
    allowed = CONV_METHODS if args.net == "cnn" else ALL_METHODS
    unknown = [m for m in methods if m not in allowed]
    if unknown:
        raise ValueError(f"--methods: unknown {', '.join(unknown)} for --net {args.net}; "
                         f"choose among {', '.join(allowed)}")
    layers = args.layers or ",".join(map(str, CNN_LAYERS if args.net == "cnn" else LAYERS))
    try:
        depths = [int(n) for n in layers.split(",")]
    except ValueError:
        raise ValueError(f"--layers must be integers separated by commas, got {layers!r}") from None
    for n in depths:
        integer("--layers", n, minimum=2)
    return [dict(task=args.dataset, net=args.net, method=method, layers=n, seed=seed, steps=steps, width=width,
                 **gradient_model_of(args.net, method, args.predictor, args.label_input))
            for seed in range(args.seeds) for n in depths for method in methods]


def gradient_model_of(net: str, method: str, predictor: str, label_input: str) -> dict:
    """A cell's gradient-model key fields: None where the method has none, label_input only for CNNs."""
    if method in GRADIENT_MODEL_FREE:
        return {"predictor": None, "label_input": None}
    label = net == "cnn" and method.startswith("cdni")
    return {"predictor": predictor, "label_input": label_input if label else None}


def net_settings(net: str, steps: int | None, eval_every: int | None = None) -> dict:
    """The training settings of a full cell: the FCN defaults, or the CNN sizes above; ``--steps`` and
    ``--eval-every`` override them (a cell's steps are part of its key, so a longer budget adds cells)."""
    settings = dict(CNN) if net == "cnn" else {"steps": STEPS, "eval_every": EVAL_EVERY}
    for name, value in (("--steps", steps), ("--eval-every", eval_every)):
        if value is not None:
            integer(name, value, minimum=1)
            settings[name[2:].replace("-", "_")] = value
    return settings


def smoke_settings(net: str, steps: int | None = None) -> dict:
    """Tiny cells for CI: 4 steps unless ``--steps`` says otherwise."""
    steps = 4 if steps is None else integer("--steps", steps, minimum=1)
    if net == "cnn":
        return {"steps": steps, "width": 4, "batch_size": 16, "eval_every": 2, "kernel_size": 3}
    return {"steps": steps, "width": 16, "batch_size": 16, "eval_every": 2}


def run_cell(cell: dict, data, settings: dict) -> dict:
    """Train one cell; return it with its measurements (test-error curve included), ready to store."""
    options = {"eval_every": EVAL_EVERY, "train_error_examples": TRAIN_ERROR_EXAMPLES, **settings}
    options.update({name: cell[name] for name in ("predictor", "label_input") if cell.get(name) is not None})
    make_config, train = NETS[cell["net"]]
    config = make_config(method=cell["method"], layers=cell["layers"], seed=cell["seed"], **options)
    result = train(config, data)
    kernels = ({"kernel_size": config.kernel_size, "predictor_kernel_size": config.predictor_kernel_size}
               if cell["net"] == "cnn" else {})
    return {"metric": round(result.final_test_error, 2), "cpu_s": round(result.cpu_seconds, 1),
            "eval_steps": result.eval_steps, "test_error": [round(e, 2) for e in result.test_error],
            "train_error": [round(e, 2) for e in result.train_error],
            "width": config.width, "batch_size": config.batch_size, "lr": config.lr,
            "predictor_lr": config.predictor_lr, **kernels, "machine": common.machine_line(),
            **cell, "steps": config.steps}


# ------------------------------------------------------------------------------------------- tables
def _of_net(cells, net):
    return [c for c in cells if c["net"] == net]


def column_of(cell: dict) -> str:
    """A cell's column in the tables: its method, marked with its gradient model where that is not
    the first one tried (linear; for CNNs, cDNI's label as constant planes): "cdni (mlp M, label maps)"."""
    marks = ([f"{cell['predictor']} M"] if cell.get("predictor") not in (None, "linear") else []) + \
            (["label maps"] if cell.get("label_input") == "maps" else [])
    return cell["method"] + (f" ({', '.join(marks)})" if marks else "")


def name_of(column: str) -> str:
    """"cdni (mlp M, label maps)" → "cDNI (mlp M, label maps)"."""
    method, _, marks = column.partition(" ")
    return NAMES.get(method, method) + (f" {marks}" if marks else "")


def columns_in(cells) -> list[str]:
    """The columns the cells fill: the paper's four methods first, then the others in order."""
    present = {column_of(c) for c in cells}
    return [m for m in NAMES if m in present] + sorted(present - set(NAMES))


def _cells_of(cells, column, layers):
    return [c for c in cells if column_of(c) == column and c["layers"] == layers]


def tables(cells: list[dict]) -> str:
    """The RESULTS.md section: our grid beside the paper's Table 1, the orderings, the flattening."""
    title = "## DNI on Fashion-MNIST: test error (%) of FCNs beside the paper's Table 1"
    cnn = _of_net(cells, "cnn")
    cells = _of_net(cells, "fcn")
    if not cells:
        return "\n\n".join([f"{title}\n\nNo cell has finished yet."] + ([cnn_tables(cnn)] if cnn else []))
    first = cells[0]
    predictor = next((c["predictor"] for c in cells if c.get("predictor")), "linear")
    depths = sorted({c["layers"] for c in cells if c["method"] in METHODS})
    steps = sorted({c["steps"] for c in cells})
    cpu = sum(c["cpu_s"] for c in cells)
    seeds = sorted({c["seed"] for c in cells})
    ours = [[n] + [common.mean_std([c["metric"] for c in _cells_of(cells, m, n)]) for m in METHODS] for n in depths]
    paper = [[n] + [" / ".join(f"{table[('fcn', n)][PAPER_METHODS.index(m)]}" for table in (MNIST, CIFAR10))
                    for m in METHODS] for n in LAYERS]
    lines = [
        title, "",
        f"`python benchmarks/dni_feedforward.py` — {first['machine']}; {len(cells)} cells in "
        f"`benchmarks/results/dni_feedforward.json` (the full grid: {len(LAYERS) * len(METHODS)} per seed, "
        f"seeds run: {', '.join(map(str, seeds))}), {cpu:.0f} s CPU in all. Continue it with "
        "`nice -n 19 python benchmarks/dni_feedforward.py`; tables only: `--tables`.", "",
        f"Fashion-MNIST (60,000 training / 10,000 test images of 28×28; one test image = 0.01 points). "
        f"n layers = n − 1 hidden layers of {first['width']} units (Linear → BatchNorm → ReLU) + the output "
        f"layer; Adam {first['lr']:g} for the layers, {first['predictor_lr']:g} for the {predictor} "
        f"zero-initialised gradient models (a synthetic gradient after every hidden layer, bootstrapped below the "
        f"top; cDNI: the model also sees the one-hot label), batch {first['batch_size']}, "
        f"{' or '.join(f'{s:,}' for s in steps)} steps, summed cross-entropy. No Bprop: only the output layer "
        f"learns. Mean ± std over seeds; — : not run yet.", "",
        "Ours (Fashion-MNIST, test error %):", "",
        common.markdown_table(["layers"] + [NAMES[m] for m in METHODS], ours), "",
        f"The paper's Table 1 (MNIST / CIFAR-10, {PAPER_ITERATIONS:,} iterations; RESEARCH.md §5):", "",
        common.markdown_table(["layers"] + [NAMES[m] for m in METHODS], paper), "",
        *ordering_lines(cells, depths), "",
        *synthetic_input_lines(cells),
        "Do the curves flatten? Test error at two thirds of the steps minus the final one (mean over seeds;",
        "positive: still falling), and the lowest error any evaluation saw:", "",
        common.markdown_table(["layers", "method", "at ⅔ − final (points)", "final", "best seen"],
                              flattening_rows(cells)), "",
        f"Figure: `figures/{FIGURE.name}` (test error against step, every cell).",
    ]
    return "\n".join(lines + (["", cnn_tables(cnn)] if cnn else []))


def cnn_tables(cells: list[dict]) -> str:
    """The CNN rows: the paper's, then ours budget by budget (orderings, flattening); cells: net "cnn" only."""
    first = cells[0]
    cpu = [c["cpu_s"] for c in cells]
    paper = [[n] + [" / ".join(f"{table[('cnn', n)][PAPER_METHODS.index(m)]}" for table in (MNIST, CIFAR10))
                    for m in METHODS] for n in CNN_LAYERS]
    budgets = sorted({(c["steps"], c["width"]) for c in cells})
    lines = [
        "### The CNN rows", "",
        f"`python benchmarks/dni_feedforward.py --net cnn [--steps N --eval-every M]` — {len(cells)} cells (the "
        f"full grid: {len(CNN_LAYERS) * len(METHODS)} per seed and budget), {sum(cpu):.0f} s CPU in all, "
        f"{min(cpu):.0f}–{max(cpu):.0f} s per cell. A cell's steps are part of its key: each budget is its own grid.",
        "",
        f"n layers = n − 1 blocks of Conv2d {first['kernel_size']}×{first['kernel_size']} with C channels "
        f"(C = {CNN['width']} unless a heading says otherwise; same padding) → BatchNorm2d → ReLU → MaxPool 3×3 stride 2 (28 → 14 → 7 → 4), "
        f"+ the Linear output layer; a synthetic gradient after every block from a zero-initialised "
        f"{first['predictor_kernel_size']}×{first['predictor_kernel_size']} convolution of the activation "
        f"(cDNI: plus 10 label channels, one constant plane per class, ones for the image's class). A column "
        f"marked \"mlp M\" puts a hidden block Conv2d → BatchNorm2d → ReLU in the gradient model; \"label maps\": "
        f"cDNI's label enters as a learned C × H × W map per class, added to the model's output. Adam "
        f"{first['lr']:g} / {first['predictor_lr']:g}, batch {first['batch_size']} (the paper: 64 channels, "
        f"{PAPER_ITERATIONS:,} iterations).", "",
        "The paper's Table 1, CNN rows (MNIST / CIFAR-10):", "",
        common.markdown_table(["layers"] + [NAMES[m] for m in METHODS], paper),
    ]
    for steps, width in budgets:
        lines += ["", *budget_lines([c for c in cells if (c["steps"], c["width"]) == (steps, width)], steps)]
    lines += ["", f"Figure: `figures/{CNN_FIGURE.name}` (the longest budget at which every method has run)."]
    return "\n".join(lines)


def budget_lines(cells: list[dict], steps: int) -> list[str]:
    """Our CNN rows at one budget: the table, the orderings, the flattening."""
    depths = sorted({c["layers"] for c in cells})
    columns = list(METHODS) + [c for c in columns_in(cells) if c not in METHODS]
    ours = [[n] + [common.mean_std([c["metric"] for c in _cells_of(cells, m, n)]) for m in columns] for n in depths]
    seeds = ", ".join(map(str, sorted({c["seed"] for c in cells})))
    return [
        f"#### {steps:,} steps{_channels(cells)} (test error every {_eval_every(cells)} steps; {len(cells)} cells, seeds {seeds})", "",
        "Ours (Fashion-MNIST, test error %):", "",
        common.markdown_table(["layers"] + [name_of(m) for m in columns], ours), "",
        *ordering_lines(cells, depths), "",
        "Do the curves flatten? (as for the FCNs)", "",
        common.markdown_table(["layers", "method", "at ⅔ − final (points)", "final", "best seen"],
                              flattening_rows(cells)),
    ]


def _channels(cells) -> str:
    """", 32 channels" for a grid of another width than the default; "" for the default."""
    width = cells[0]["width"]
    return "" if width == CNN["width"] else f", {width} channels"


def _eval_every(cells) -> int:
    steps = cells[0]["eval_steps"]
    return steps[1] - steps[0] if len(steps) > 1 else steps[0]


def _mean_metric(cells, method, layers):
    values = [c["metric"] for c in _cells_of(cells, method, layers)]
    return float(np.mean(values)) if values else None


def ordering_lines(cells, depths) -> list[str]:
    """The paper's three orderings, checked depth by depth on the seed means (each where its methods ran).

    A cDNI or DNI trained with another gradient model (``column_of``) gets its own line."""
    columns = [c for c in columns_in(cells) if c not in GRADIENT_MODEL_FREE]
    cdni = [c for c in columns if c.startswith("cdni") and "synthetic-input" not in c] or ["cdni"]
    dni = [c for c in columns if c.startswith("dni") and "synthetic-input" not in c] or ["dni"]
    worst = []
    for n in depths:
        means = {m: _mean_metric(cells, m, n) for m in METHODS}
        if all(v is not None for v in means.values()):
            worst.append(f"{n}: {'yes' if means['no-bprop'] > max(means[m] for m in METHODS[1:]) else 'no'}")
    lines = ["The paper's orderings, on our seed means (each at the depths where its methods have run):", "",
             f"- No Bprop worst at every depth — {', '.join(worst) or '—'};"]
    for column in cdni:
        gaps = _gaps_to_bprop(cells, column, depths)
        lines.append(f"- {name_of(column)} within 1.5 points of Bprop ({name_of(column)} − Bprop) — "
                     f"{', '.join(f'{n}: {gap:+.1f}' for n, gap in gaps) or '—'};")
    for column in dni:
        gaps = _gaps_to_bprop(cells, column, depths)
        growing = len(gaps) > 1 and all(b[1] >= a[1] for a, b in zip(gaps, gaps[1:]))
        lines.append(f"- {name_of(column)} falling behind Bprop as depth grows ({name_of(column)} − Bprop) — "
                     f"{', '.join(f'{n}: {gap:+.1f}' for n, gap in gaps) or '—'}"
                     + (f" ({'grows' if growing else 'does not grow'} monotonically with depth)." if len(gaps) > 1
                        else "."))
    return lines


def _gaps_to_bprop(cells, column, depths) -> list[tuple[int, float]]:
    """(depth, mean of ``column`` − mean of Bprop) at each depth where both have run."""
    gaps = []
    for n in depths:
        ours, bprop = _mean_metric(cells, column, n), _mean_metric(cells, "bprop", n)
        if ours is not None and bprop is not None:
            gaps.append((n, ours - bprop))
    return gaps


def synthetic_input_lines(cells) -> list[str]:
    """Forward unlocking (paper Fig. 5 right) beside the update-unlocked methods, where it was run."""
    variants = [m for m in ("dni-synthetic-input", "cdni-synthetic-input") if any(c["method"] == m for c in cells)]
    if not variants:
        return []
    depths = sorted({c["layers"] for c in cells if c["method"] in variants})
    columns = ["bprop", "dni", "cdni"] + variants
    rows = [[n] + [common.mean_std([c["metric"] for c in _cells_of(cells, m, n)]) for m in columns] for n in depths]
    return [
        "Synthetic inputs (forward and update unlocked, the paper's Fig. 5 right): every module above the first "
        "trains on an input predicted from the image x by its own model Iᵢ(x), regressed onto the real activation; "
        "test error is measured on the real forward pass. The paper reports about the same final error as DNI "
        "alone (about 2 %, MNIST, read off its plot).", "",
        common.markdown_table(["layers"] + [NAMES[m] for m in columns], rows), "",
    ]


def flattening_rows(cells) -> list[list[str]]:
    rows = []
    for n in sorted({c["layers"] for c in cells}):
        for m in columns_in(cells):
            group = _cells_of(cells, m, n)
            if not group:
                continue
            drops = []
            for c in group:
                two_thirds = int(np.searchsorted(c["eval_steps"], 2 * c["steps"] // 3))
                drops.append(c["test_error"][min(two_thirds, len(c["test_error"]) - 1)] - c["test_error"][-1])
            rows.append([n, name_of(m), f"{np.mean(drops):+.2f}", common.mean_std([c["metric"] for c in group]),
                         f"{min(min(c['test_error']) for c in group):.2f}"])
    return rows


def plot_curves(cells, path: pathlib.Path) -> pathlib.Path:
    """Test error against step, one panel per depth, one line per cell (seed 0 solid, others dashed)."""
    depths = sorted({c["layers"] for c in cells})
    net = cells[0]["net"].upper()
    with figure_style() as figures:
        figure, axes = figures.subplots(1, len(depths), figsize=(4.5 * len(depths), 4), squeeze=False)
        for axis, n in zip(axes[0], depths):
            for c in sorted((c for c in cells if c["layers"] == n), key=lambda c: (c["method"], c["seed"])):
                marked = column_of(c) != c["method"]          # another gradient model: dotted, same colour
                style = ":" if marked else "-" if c["seed"] == 0 else "--"
                axis.plot(c["eval_steps"], c["test_error"], style, color=COLOURS.get(c["method"]),
                          label=f"{name_of(column_of(c))} s{c['seed']}")
            axis.set(xlabel="step", ylabel="test error (%)", title=f"{n} layers", ylim=(8, 30))
        return finish(figure, list(axes[0]), path, f"Fashion-MNIST {net}s: test error while training")


if __name__ == "__main__":
    main()
