"""The CNN rows of the DNI grid written again in PyTorch: is cDNI's gap to Bprop ours, or the setup's?

An independent implementation of ``tinygrad_ko/dni/convnet.py``'s networks and of the decoupled step of
``FeedForwardTrainer`` (PyTorch's conv, batch norm, pooling and Adam; nothing from tinygrad_ko but the
data): CNNs of ``layers`` = n (n − 1 blocks Conv2d 3×3 → BatchNorm2d → ReLU → MaxPool 3×3 stride 2,
+ a Linear output layer; He-uniform weights, zero biases), batch 64, Adam 1e-3, summed cross-entropy,
and for DNI / cDNI a zero-initialised 3×3 convolutional gradient model after every block (cDNI: the
label as 10 constant planes), bootstrapped below the top, each block updated the moment its model
answers. If PyTorch's cDNI lags Bprop by as much as ours, the gap belongs to the setup (the network,
the gradient model, the budget), not to our engine; and PyTorch is fast enough here to run ten times
our budget, which says whether more steps close it.

``--kernel-size``, ``--batch-size`` and ``--predictor-hidden`` (hidden Conv2d → BatchNorm2d → ReLU blocks in the gradient
model, before its zero-initialised convolution) try a larger setup, nearer the paper's.

Each (task, method, layers, seed, steps, width, kernel_size, predictor_hidden, batch_size) cell is stored in
benchmarks/results/dni_torch_reference.json the moment it finishes; a rerun skips stored cells:

    python benchmarks/dni_torch_reference.py                       # 3,000 steps, layers 3 and 4, 2 seeds
    python benchmarks/dni_torch_reference.py --steps 30000 --eval-every 1000 --layers 4
    python benchmarks/dni_torch_reference.py --tables              # only the RESULTS.md section
    python benchmarks/dni_torch_reference.py --smoke --results-dir /tmp/x   # seconds (CI; skips without torch)
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from results_store import ResultsStore  # noqa: E402

from tinygrad_ko.data import DATASETS, load_dataset  # noqa: E402
from tinygrad_ko.validate import integer  # noqa: E402

KEY = ("task", "method", "layers", "seed", "steps", "width", "kernel_size", "predictor_hidden", "batch_size")
METHODS = ("no-bprop", "bprop", "dni", "cdni")
NAMES = {"no-bprop": "No Bprop", "bprop": "Bprop", "dni": "DNI", "cdni": "cDNI"}
CLASSES = 10
SETTINGS = {"width": 16, "kernel_size": 3, "predictor_hidden": 0, "batch_size": 64, "lr": 1e-3, "predictor_lr": 1e-3}


def build(torch, layers: int, width: int, side: int, method: str, generator, kernel_size: int = 3,
          predictor_hidden: int = 0):
    """The blocks, the output layer and (DNI, cDNI) one gradient model per block."""
    nn = torch.nn
    blocks, models, channels = [], [], 1
    for _ in range(layers - 1):
        conv = nn.Conv2d(channels, width, kernel_size, padding=kernel_size // 2)
        nn.init.kaiming_uniform_(conv.weight, a=0, nonlinearity="relu", generator=generator)
        nn.init.zeros_(conv.bias)
        blocks.append(nn.Sequential(conv, nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)))
        channels, side = width, (side + 2 - 3) // 2 + 1
        if method in ("dni", "cdni"):
            parts, inputs = [], width + (CLASSES if method == "cdni" else 0)
            for _ in range(predictor_hidden):
                hidden = nn.Conv2d(inputs, width, kernel_size, padding=kernel_size // 2)
                nn.init.kaiming_uniform_(hidden.weight, a=0, nonlinearity="relu", generator=generator)
                nn.init.zeros_(hidden.bias)
                parts += [hidden, nn.BatchNorm2d(width), nn.ReLU()]
                inputs = width
            out = nn.Conv2d(inputs, width, kernel_size, padding=kernel_size // 2)
            nn.init.zeros_(out.weight)
            nn.init.zeros_(out.bias)
            models.append(nn.Sequential(*parts, out))
    head = nn.Linear(width * side * side, CLASSES)
    nn.init.kaiming_uniform_(head.weight, a=0, nonlinearity="relu", generator=generator)
    nn.init.zeros_(head.bias)
    return blocks, head, models


def train(torch, cell: dict, data, eval_every: int, smoke: bool = False) -> dict:
    """One cell: train, evaluate every ``eval_every`` steps, return the measurements."""
    F = torch.nn.functional
    X_train, y_train, X_test, y_test = data
    side = int(round(np.sqrt(X_train.shape[1])))
    to_images = lambda X: torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32)).reshape(-1, 1, side, side)  # noqa: E731
    X_train, X_test = to_images(X_train), to_images(X_test)
    y_train, y_test = torch.from_numpy(y_train.astype(np.int64)), torch.from_numpy(y_test.astype(np.int64))
    torch.manual_seed(cell["seed"])
    generator = torch.Generator().manual_seed(cell["seed"])
    method = cell["method"]
    settings = dict(SETTINGS, **{name: cell[name] for name in ("width", "kernel_size", "predictor_hidden", "batch_size")})
    blocks, head, models = build(torch, cell["layers"], settings["width"], side, method, generator,
                                 settings["kernel_size"], settings["predictor_hidden"])
    adam = lambda params, lr: torch.optim.Adam(params, lr=lr)  # noqa: E731
    optimizers = [adam(b.parameters(), settings["lr"]) for b in blocks]
    head_optimizer = adam(head.parameters(), settings["lr"])
    model_optimizers = [adam(m.parameters(), settings["predictor_lr"]) for m in models]
    rng = np.random.default_rng(cell["seed"])
    order, position = rng.permutation(len(X_train)), 0
    batch = settings["batch_size"] if not smoke else 16
    eval_steps, test_error = [], []

    def predict(i, h, labels):
        if method == "cdni":
            planes = F.one_hot(labels, CLASSES).float()[:, :, None, None].expand(-1, -1, *h.shape[2:])
            h = torch.cat([h, planes], dim=1)
        return models[i](h)

    def update_model(i, h, labels, target):
        optimizer = model_optimizers[i]
        optimizer.zero_grad()
        loss = ((predict(i, h, labels) - target) ** 2).sum() / h.shape[0]
        loss.backward()
        optimizer.step()

    def error(X, y):
        for b in blocks:
            b.eval()
        with torch.no_grad():
            wrong = 0
            for start in range(0, len(X), 1000):
                x = X[start:start + 1000]
                for b in blocks:
                    x = b(x)
                wrong += int((head(x.flatten(1)).argmax(1) != y[start:start + 1000]).sum())
        for b in blocks:
            b.train()
        return 100.0 * wrong / len(X)

    start_time = time.process_time()
    for step in range(1, cell["steps"] + 1):
        if position + batch > len(order):
            order, position = rng.permutation(len(X_train)), 0
        index = torch.from_numpy(order[position:position + batch])
        position += batch
        x, labels = X_train[index], y_train[index]
        if method == "bprop":
            for b in blocks:
                x = b(x)
            F.cross_entropy(head(x.flatten(1)), labels, reduction="sum").backward()
            for optimizer in optimizers + [head_optimizer]:
                optimizer.step()
                optimizer.zero_grad()
        elif method == "no-bprop":
            with torch.no_grad():
                for b in blocks:
                    x = b(x)
            F.cross_entropy(head(x.flatten(1)), labels, reduction="sum").backward()
            head_optimizer.step()
            head_optimizer.zero_grad()
        else:
            below = None                                     # (h, input leaf) of the block below
            for i, b in enumerate(blocks):
                h = b(x)
                with torch.no_grad():
                    synthetic = predict(i, h, labels)
                h.backward(synthetic)                        # block i learns from ĝᵢ, now
                optimizers[i].step()
                optimizers[i].zero_grad()
                if below is not None:                        # M_{i-1} learns from the gradient at block i's input
                    update_model(i - 1, below, labels, x.grad)
                below = h.detach()
                x = below.clone().requires_grad_()
            F.cross_entropy(head(x.flatten(1)), labels, reduction="sum").backward()
            head_optimizer.step()
            head_optimizer.zero_grad()
            update_model(len(blocks) - 1, below, labels, x.grad)   # the true gradient at the top
        if step % eval_every == 0 or step == cell["steps"]:
            eval_steps.append(step)
            test_error.append(round(error(X_test, y_test), 2))
    return {**cell, "metric": test_error[-1], "eval_steps": eval_steps, "test_error": test_error,
            "cpu_s": round(time.process_time() - start_time, 1), **settings,
            "machine": f"{common.machine_line()}; torch {torch.__version__}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="3,4", help="the paper's count (blocks + the output layer)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--width", type=int, default=SETTINGS["width"], help="channels per block")
    parser.add_argument("--kernel-size", type=int, default=SETTINGS["kernel_size"],
                        help="the blocks' and the gradient models' convolutions (odd)")
    parser.add_argument("--batch-size", type=int, default=SETTINGS["batch_size"], help="images per step")
    parser.add_argument("--predictor-hidden", type=int, default=SETTINGS["predictor_hidden"],
                        help="hidden conv blocks in each gradient model (0: linear)")
    parser.add_argument("--dataset", choices=DATASETS, default="fashion-mnist")
    parser.add_argument("--results-dir", default=None)
    parser.add_argument("--tables", action="store_true", help="train nothing; the table from the JSON")
    parser.add_argument("--smoke", action="store_true", help="tiny cells, for CI; never writes RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave RESULTS.md alone")
    args = parser.parse_args()
    methods = args.methods.split(",")
    if any(m not in METHODS for m in methods):
        parser.error(f"--methods: choose among {', '.join(METHODS)}")
    for name, value in (("--steps", args.steps), ("--eval-every", args.eval_every), ("--seeds", args.seeds),
                        ("--width", args.width), ("--kernel-size", args.kernel_size), ("--batch-size", args.batch_size)):
        integer(name, value, minimum=1)
    integer("--predictor-hidden", args.predictor_hidden, minimum=0)
    if args.kernel_size % 2 != 1:
        parser.error(f"--kernel-size must be odd (so that a block keeps its image size), got {args.kernel_size}")
    store = ResultsStore("dni_torch_reference.json", key=KEY, directory=args.results_dir)
    if not args.tables:
        try:
            import torch
        except ImportError:
            print("PyTorch is not installed: pip install torch==2.13.0 (a CPU wheel); nothing was run")
            return
        torch.set_num_threads(1)
        data = load_dataset(args.dataset, "train") + load_dataset(args.dataset, "test")
        if args.smoke:
            data = (data[0][:256], data[1][:256], data[2][:128], data[3][:128])
        for seed in range(args.seeds):
            for layers in [int(n) for n in args.layers.split(",")]:
                for method in methods:
                    cell = {"task": args.dataset, "method": method, "layers": layers, "seed": seed,
                            "steps": args.steps, "width": args.width, "kernel_size": args.kernel_size,
                            "predictor_hidden": args.predictor_hidden, "batch_size": args.batch_size}
                    if not store.has(cell):
                        store.add(train(torch, cell, data, args.eval_every, args.smoke))
                        print(f"stored {cell} in {store.path}", flush=True)
    markdown = tables(store.cells())
    print(markdown)
    if not (args.smoke or args.no_write):
        common.update_results_section("dni-torch-reference", markdown)


def tables(cells: list[dict]) -> str:
    """Test error of each (steps, network) grid: method columns, a row per depth, and cDNI − Bprop."""
    title = "## DNI in PyTorch: the CNN rows written again, as a reference"
    if not cells:
        return f"{title}\n\nNo cell has finished yet."
    lines = [title, "",
             f"`python benchmarks/dni_torch_reference.py [--steps N --eval-every M --layers L]` — "
             f"{cells[0]['machine']}; {len(cells)} cells in `benchmarks/results/dni_torch_reference.json`. "
             "The networks, methods and settings of the CNN rows above (Conv2d 3×3 → BatchNorm2d → ReLU → MaxPool "
             "3×3 stride 2 blocks + a Linear output layer; batch 64, Adam 1e-3 for the layers and the zero-initialised "
             "3×3 convolutional gradient models; cDNI: label planes), implemented independently in PyTorch; test error "
             "(%) on the 10,000 test images, mean ± std over seeds."]
    network = ("steps", "width", "kernel_size", "predictor_hidden", "batch_size")
    for steps, width, kernel_size, predictor_hidden, batch_size in sorted({tuple(c[k] for k in network) for c in cells}):
        grid = [c for c in cells
                if tuple(c[k] for k in network) == (steps, width, kernel_size, predictor_hidden, batch_size)]
        depths = sorted({c["layers"] for c in grid})
        rows = []
        for n in depths:
            means = {m: [c["metric"] for c in grid if c["method"] == m and c["layers"] == n] for m in METHODS}
            gap = (f"{np.mean(means['cdni']) - np.mean(means['bprop']):+.1f}"
                   if means["cdni"] and means["bprop"] else "—")
            rows.append([n] + [common.mean_std(means[m]) for m in METHODS] + [gap])
        seeds = ", ".join(map(str, sorted({c["seed"] for c in grid})))
        model = "linear M" if predictor_hidden == 0 else f"M with {predictor_hidden} hidden conv block(s)"
        lines += ["", f"#### {steps:,} steps of batch {batch_size}, {width} channels of {kernel_size}×{kernel_size}, {model} (seeds {seeds}; "
                      f"{np.mean([c['cpu_s'] for c in grid]):.0f} s CPU per cell)", "",
                  common.markdown_table(["layers"] + [NAMES[m] for m in METHODS] + ["cDNI − Bprop"], rows)]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
