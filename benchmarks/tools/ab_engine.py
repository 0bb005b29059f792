"""A/B-time two versions of the engine in one process (the figures in "core:" commits).

    python benchmarks/tools/ab_engine.py OLD_REV [ROUNDS]

OLD_REV (a git revision) is exported to a temporary folder as a package named
``tinygrad_ko_old`` — the package imports itself only relatively, so it loads
beside the working tree's ``tinygrad_ko``. Each round times old and new in turn
(alternating which goes first) on the workloads of bench_core.py, best of five
CPU-time samples each, and the script prints medians over rounds and the median
of the per-round new/old ratios. Taking turns inside one process is what makes
a few-percent change visible on a shared, busy machine, where two separate runs
can differ by more than that.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # benchmarks/
import common  # noqa: E402,F401  (before NumPy: one thread for BLAS)

import importlib.util  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
BENCH_CORE = REPO / "benchmarks" / "bench_core.py"


def export_revision(revision: str, folder: pathlib.Path) -> None:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "tinygrad_ko"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "tinygrad_ko").rename(folder / "tinygrad_ko_old")


def bench_core_using(package, name: str):
    """A separate copy of bench_core.py whose ``tg`` is ``package``."""
    spec = importlib.util.spec_from_file_location(name, BENCH_CORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.tg = package
    return module


def workloads(bench):
    """name -> (function, calls per sample, unit scale)."""
    x, labels, params = bench.mlp_problem()
    rng = np.random.default_rng(0)
    shapes = [(8, 8), (8,), (8, 8), (8,), (8, 3), (3,)]
    tiny_params = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    olah, chain = bench.tinygrad_ko_tiny()
    return {
        "MLP step, ms": (bench.tinygrad_ko_mlp(x, labels, params)[2], 1, 1e3),
        "4-8-8-3 MLP step (overhead), µs": (
            bench.tinygrad_ko_mlp(x[:4, :8].copy(), labels[:4] % 3, tiny_params)[2], 10, 1e6),
        "Olah, µs": (olah, 20, 1e6),
        "1,000-op chain, µs per op": (chain, 1, 1e3),
    }


def best_of(function, calls: int, samples: int = 5) -> float:
    for _ in range(2):
        function()
    times = []
    for _ in range(samples):
        start = time.process_time()
        for _ in range(calls):
            function()
        times.append((time.process_time() - start) / calls)
    return min(times)


def main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with tempfile.TemporaryDirectory() as folder:
        export_revision(revision, pathlib.Path(folder))
        sys.path.insert(0, folder)
        sys.path.insert(0, str(REPO))
        import tinygrad_ko
        import tinygrad_ko_old

        versions = {"old": workloads(bench_core_using(tinygrad_ko_old, "bench_old")),
                    "new": workloads(bench_core_using(tinygrad_ko, "bench_new"))}
        times = {name: {"old": [], "new": [], "new/old": []} for name in versions["new"]}
        for round_number in range(rounds):
            order = ("old", "new") if round_number % 2 == 0 else ("new", "old")
            for name in times:
                for version in order:
                    function, calls, scale = versions[version][name]
                    times[name][version].append(best_of(function, calls) * scale)
                times[name]["new/old"].append(times[name]["new"][-1] / times[name]["old"][-1])
    print(f"old = {revision}, new = working tree; medians of {rounds} interleaved rounds")
    for name, series in times.items():
        print(f"{name:34s} old {statistics.median(series['old']):9.3f}   "
              f"new {statistics.median(series['new']):9.3f}   "
              f"new/old {statistics.median(series['new/old']):.3f}")


if __name__ == "__main__":
    main()
