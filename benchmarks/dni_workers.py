"""DNI with one process per layer: wall-clock time of decoupled vs locked training.

Writes the "dni-workers" section of benchmarks/RESULTS.md. Each configuration
trains the same FCN (digits, batch 64) for the same number of steps:

* one process, Bprop (the usual loop);
* one process per module, locked Bprop (each worker waits for the gradient from above);
* one process per module, cDNI (each worker updates from its synthetic gradient at once).

    python benchmarks/dni_workers.py                 # default: about a minute
    python benchmarks/dni_workers.py --steps 1000 --layers 4,7

Depth is counted the paper's way: n layers = n − 1 hidden layers + the output
layer, so n modules and n processes.
"""

import common  # noqa: F401  (first: one BLAS thread)

import argparse
import os
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko.data import digits  # noqa: E402
from tinygrad_ko.dni import FeedForwardConfig, FeedForwardTrainer  # noqa: E402
from tinygrad_ko.dni.workers import run_pipeline  # noqa: E402


def single_process(data, layers, steps, seed=0):
    X_train, y_train, X_test, y_test = data
    trainer = FeedForwardTrainer(FeedForwardConfig(method="bprop", layers=layers, seed=seed),
                                 X_train.shape[1], 10)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for _ in range(steps):
        idx = rng.choice(len(X_train), size=64, replace=False)
        trainer.step(X_train[idx], y_train[idx])
    return time.perf_counter() - start, trainer.error(X_test, y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="4,7", help="depths counted the paper's way (hidden + output)")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    data = digits("train") + digits("test")
    rows = []
    for layers in [int(n) for n in args.layers.split(",")]:
        single_wall, single_error = single_process(data, layers, args.steps)
        locked = run_pipeline("bprop", data, hidden_layers=layers - 1, steps=args.steps)
        decoupled = run_pipeline("dni", data, hidden_layers=layers - 1, steps=args.steps)
        rows.append([layers, f"{single_wall:.1f} s ({single_error:.1f} %)",
                     f"{locked.wall_seconds:.1f} s ({locked.test_error:.1f} %)",
                     f"{decoupled.wall_seconds:.1f} s ({decoupled.test_error:.1f} %)",
                     f"{locked.wall_seconds / decoupled.wall_seconds:.2f}×"])
        print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    command = "python benchmarks/dni_workers.py " + " ".join(sys.argv[1:])
    markdown = f"""## DNI with one process per layer: wall-clock time, decoupled vs locked

`{command}` — {common.machine_line()} per process; load average {load:.1f} at the end.
{args.steps} steps of batch 64 on digits, 256 units per hidden layer; each cell is wall-clock time
(test error after those steps). Workers exchange activations and gradients through
multiprocessing queues; the decoupled pipeline uses cDNI with a linear gradient model.

{common.markdown_table(["layers n", "1 process, Bprop", "n processes, locked Bprop",
                        "n processes, cDNI", "locked / cDNI"], rows)}

Locked, the pipeline is a relay: a worker idles until the gradient comes back down, so it is no
faster than one process and pays for the queues on top. Decoupled, all workers compute at
once; the speed-up is capped by the cores that are free (2 here, shared with other work), and the
short run leaves cDNI behind in error (it needs more steps than Bprop at the start, while
the gradient models learn).
"""
    print(markdown)
    if not args.no_write:
        common.update_results_section("dni-workers", markdown)


if __name__ == "__main__":
    main()
