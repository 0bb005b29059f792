"""Smoke tests of the benchmark scripts: bench_core.py runs, checks its frameworks against
each other and prints its tables; bench_kernels.py counts bytes and gives verdicts by hand-checked
rules, runs its checks and table on the NumPy twins, and without a GPU says why and leaves
RESULTS.md alone. No timing is asserted (timings belong in RESULTS.md)."""

import dataclasses
import importlib.util
import os
import pathlib
import subprocess
import sys
import types

import numpy as np
import pytest

from gpu import GPU_REASON

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"
RESULTS = BENCHMARKS / "RESULTS.md"


def load_benchmark(name: str):
    """benchmarks/<name>.py as a module (its `common` import pins threads: undone here)."""
    saved_environment = dict(os.environ)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module   # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
        os.environ.clear()
        os.environ.update(saved_environment)
    return module


@pytest.fixture(scope="module")
def bench_core():
    return load_benchmark("bench_core")


@pytest.mark.slow
def test_quick_run_passes_its_cross_check_and_prints_every_table():
    results = BENCHMARKS / "RESULTS.md"
    before = results.read_text(encoding="utf-8") if results.exists() else None
    run = subprocess.run([sys.executable, str(BENCHMARKS / "bench_core.py"), "--quick"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "cross-check passed" in run.stdout
    assert "CROSS-CHECK FAILED" not in run.stdout
    for heading in ("### MLP training step", "### Per-operation overhead", "### Hessian-vector product"):
        assert heading in run.stdout
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    assert any(line.startswith("| raw NumPy | ") for line in rows)
    assert any(line.startswith("| tinygrad_ko | ") for line in rows)            # MLP and overhead
    assert any(line.startswith("| tinygrad_ko hvp (forward-over-reverse) | ") for line in rows)
    after = results.read_text(encoding="utf-8") if results.exists() else None
    assert after == before, "--quick must leave benchmarks/RESULTS.md alone"


def test_mlp_cross_check_catches_a_wrong_gradient(bench_core):
    def wrong_bias_gradient(x, labels, params):
        forward, gradient, step, read_gradients = bench_core.tinygrad_ko_mlp(x, labels, params)

        def read_wrong():
            gradients = read_gradients()
            gradients[1] = gradients[1] * 1.01
            return gradients
        return forward, gradient, step, read_wrong

    failures = []
    bench_core.check_mlp_gradients({"tinygrad_ko": bench_core.tinygrad_ko_mlp}, failures)
    assert failures == []
    bench_core.check_mlp_gradients({"broken": wrong_bias_gradient}, failures)
    assert len(failures) == 1 and "∂loss/∂b1, broken" in failures[0]


def test_hand_written_rosenbrock_hvp_equals_our_hvp(bench_core):
    x, v = bench_core.rosenbrock_problem()
    ours = bench_core.hvp_cases(x, v)["tinygrad_ko hvp (forward-over-reverse)"]()
    np.testing.assert_allclose(bench_core.rosenbrock_hvp_exact(x, v), ours, rtol=1e-10)


def test_the_traced_mlp_step_replays_the_eager_step(bench_core):
    """The traced gradients equal the eager ones, and after three traced steps (replay + in-place
    SGD) and three eager steps from the same start they still do: the same parameters. (The eager
    builder's read_gradients leaves .grad set, so it is read only before and after the steps.)"""
    x, labels, params = bench_core.mlp_problem()
    traced_step, traced_gradients = bench_core.traced_mlp(x, labels, params)
    _, _, eager_step, eager_gradients = bench_core.tinygrad_ko_mlp(x, labels, params)
    first = eager_gradients()
    for t, e in zip(traced_gradients(), first):
        np.testing.assert_allclose(t, e, rtol=1e-5, atol=1e-7)
    _, _, eager_step, eager_gradients = bench_core.tinygrad_ko_mlp(x, labels, params)
    for _ in range(3):
        traced_step()
        eager_step()
    for t, e, before in zip(traced_gradients(), eager_gradients(), first):
        np.testing.assert_allclose(t, e, rtol=1e-4, atol=1e-6)
        assert not np.allclose(t, before)      # the steps did move the parameters


# --- bench_kernels.py ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bench_kernels():
    return load_benchmark("bench_kernels")


def test_least_bytes_per_kernel_counted_by_hand(bench_kernels):
    least_bytes = bench_kernels.least_bytes
    # n = 10 float32 elements: one whole array is 40 bytes.
    assert least_bytes("copy", (10,), 4) == 80                   # x in, copy out
    assert least_bytes("sgd_momentum_update", (10,), 4) == 200   # θ, v, g in; θ, v out
    assert least_bytes("adam_update", (10,), 4) == 280           # θ, m, v, g in; θ, m, v out
    assert least_bytes("adam_update", (10,), 8) == 560           # the same in float64
    assert least_bytes("goup_update", (10,), 4) == 120           # θ, g in; θ out
    assert least_bytes("goup_step", (10,), 4) == 200             # θ, g for the std, then the update
    assert least_bytes("normal", (10,), 4) == 40                 # the normals out
    assert least_bytes("mean_std", (10,), 4) == 48               # x in; mean and std out
    # (4 rows, 10 columns) float32:
    assert least_bytes("sum_rows", (4, 10), 4) == 160 + 40       # a in; 10 column sums out
    with pytest.raises(KeyError, match="no byte count for 'matmul'"):
        least_bytes("matmul", (4, 10), 4)


def test_verdict_rule(bench_kernels):
    verdict = bench_kernels.verdict
    assert bench_kernels.PAYS_FROM == 1.10
    assert verdict(fused_seconds=1.0, plain_seconds=3.0) == "kernel pays"
    assert verdict(fused_seconds=1.0, plain_seconds=1.1) == "kernel pays"       # exactly 1.10x
    assert verdict(fused_seconds=1.0, plain_seconds=1.05) == "keep plain CuPy"  # wins, but too little
    assert verdict(fused_seconds=1.0, plain_seconds=0.5) == "keep plain CuPy"   # loses
    assert bench_kernels.speed_up(fused_seconds=0.25, plain_seconds=1.0) == 4.0


def test_fraction_of_copy_marks_the_70_percent_target(bench_kernels):
    assert bench_kernels.copy_fraction_text(0.83) == "83 %"
    assert bench_kernels.copy_fraction_text(0.70) == "70 %"
    assert bench_kernels.copy_fraction_text(0.41) == "41 % (below 70 %)"


def test_size_accepts_powers_of_two_and_refuses_tiny_sizes(bench_kernels):
    assert bench_kernels.parse_args(["--size", "2^26"]).size == 2**26
    assert bench_kernels.parse_args(["--size", "5000"]).size == 5000
    with pytest.raises(SystemExit):
        bench_kernels.parse_args(["--size", "100"])   # no room for a row of 1024 bias columns


SMALL = dict(n=4096, columns=32)


def test_every_kernel_wrapper_is_benchmarked(bench_kernels):
    kernels = {case.kernel for case in bench_kernels.benchmark_cases(**SMALL)}
    assert kernels == {"sum_rows", "mean_std", "sgd_momentum_update",
                       "adam_update", "goup_update", "goup_step", "normal"}
    assert kernels <= set(bench_kernels.TRAFFIC_COUNTED)


def test_plain_paths_agree_with_the_numpy_twins_and_every_row_has_a_verdict(bench_kernels):
    # On the CPU the NumPy twins stand in for the kernels: the checks the GPU run makes
    # (kernel against plain array expressions) pass, so the plain paths compute the same thing.
    platform = bench_kernels.numpy_platform(repeats=1)
    cases = bench_kernels.benchmark_cases(**SMALL)
    results = [bench_kernels.measure(case, platform) for case in cases]
    assert [r.case.name for r in results if r.disagreement is not None] == []
    text = bench_kernels.report(results, copy_gbps=10.0, n=SMALL["n"], command="python benchmarks/bench_kernels.py",
                                device="CPU (NumPy twins)", timing="perf_counter")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| kernel |")]
    assert len(rows) == len(cases) == 7
    for row, case in zip(rows, cases):
        assert row.startswith(f"| {case.name} | ")
        assert row.endswith("| kernel pays |") or row.endswith("| keep plain CuPy |"), row
    assert "all agree." in text


def test_a_kernel_that_disagrees_is_not_reported(bench_kernels):
    from tinygrad_ko.backend import kernel_reference

    def adam_off_by_a_little(theta, m, v, g, **hyper):
        kernel_reference.adam_update(theta, m, v, g, **hyper)
        theta *= 1.001

    def sum_rows_missing_the_last_row(a):
        return a[:-1].sum(axis=0)

    broken = types.SimpleNamespace(**vars(kernel_reference))
    broken.adam_update, broken.sum_rows = adam_off_by_a_little, sum_rows_missing_the_last_row
    platform = dataclasses.replace(bench_kernels.numpy_platform(repeats=1), kernels=broken)
    cases = {case.name: case for case in bench_kernels.benchmark_cases(**SMALL)}
    adam = bench_kernels.measure(cases["Adam"], platform)
    summed = bench_kernels.measure(cases["sum_rows (bias gradient)"], platform)
    sgd = bench_kernels.measure(cases["SGD momentum"], platform)
    assert adam.disagreement.startswith("output 0: largest gap")
    assert summed.disagreement.startswith("output 0: largest gap")
    assert adam.fused_seconds is None and adam.plain_seconds is None   # never timed
    assert sgd.disagreement is None and sgd.fused_seconds > 0
    text = bench_kernels.report([adam, sgd], copy_gbps=10.0, n=SMALL["n"], command="c", device="d", timing="t")
    adam_row = next(line for line in text.splitlines() if line.startswith("| Adam | "))
    assert "not reported: differs from plain CuPy (output 0: largest gap" in adam_row
    assert "kernel pays" not in adam_row and "keep plain CuPy" not in adam_row
    assert "these disagree and are not reported: Adam." in text


def run_bench_kernels(*args, hide_cupy_with=None, tmp_path=None):
    """Run the script; hide_cupy_with: the text of a stand-in cupy/__init__.py put first on the path."""
    environment = dict(os.environ)
    if hide_cupy_with is not None:
        (tmp_path / "cupy").mkdir()
        (tmp_path / "cupy" / "__init__.py").write_text(hide_cupy_with)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), environment.get("PYTHONPATH")]))
    before = RESULTS.read_bytes()
    run = subprocess.run([sys.executable, str(BENCHMARKS / "bench_kernels.py"), *args],
                         capture_output=True, text=True, timeout=60, env=environment)
    assert RESULTS.read_bytes() == before, "without a GPU, RESULTS.md must be left alone"
    return run


@pytest.mark.skipif(GPU_REASON is None, reason="a GPU is present here: the script would benchmark it")
@pytest.mark.parametrize("args", [[], ["--quick"]])
def test_without_a_gpu_the_script_says_why_and_exits_0(args):
    run = run_bench_kernels(*args)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("\n") == 1 and run.stdout.startswith("bench_kernels: not run, ")
    assert "RESULTS.md left unchanged" in run.stdout


def test_without_cupy_the_script_names_it(tmp_path):
    run = run_bench_kernels("--quick", hide_cupy_with='raise ImportError("hidden by the test")', tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ("bench_kernels: not run, CuPy is not installed (pip install cupy-cuda13x); "
                          "benchmarks/RESULTS.md left unchanged\n")


def test_without_a_cuda_device_the_script_names_it(tmp_path):
    stand_in = '''
class runtime:
    @staticmethod
    def getDeviceCount():
        raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")

class cuda:
    runtime = runtime
'''
    run = run_bench_kernels(hide_cupy_with=stand_in, tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ("bench_kernels: not run, no CUDA device (cudaErrorNoDevice: no CUDA-capable "
                          "device is detected); benchmarks/RESULTS.md left unchanged\n")


def test_results_store_skips_stored_cells_and_survives_parallel_writers(tmp_path):
    """Cells written by several processes at once all land; a rerun sees them as done."""
    from multiprocessing import Pool

    from benchmarks.results_store import ResultsStore

    store = ResultsStore("grid.json", key=("method", "seed"), directory=tmp_path)
    assert store.cells() == [] and not store.has({"method": "dni", "seed": 0})
    cells = [{"method": method, "seed": seed, "metric": seed * 1.5}
             for method in ("bprop", "dni", "cdni") for seed in range(4)]
    with Pool(4) as pool:
        pool.map(_add_cell, [(str(tmp_path), cell) for cell in cells])
    stored = ResultsStore("grid.json", key=("method", "seed"), directory=tmp_path)
    def canonical(cell_list):
        return sorted(tuple(sorted(cell.items())) for cell in cell_list)

    assert canonical(stored.cells()) == canonical(cells)
    assert stored.has({"method": "dni", "seed": 3}) and not stored.has({"method": "dni", "seed": 4})
    stored.add({"method": "dni", "seed": 3, "metric": -1.0})        # same key: replaced, not doubled
    assert len(stored.cells()) == len(cells)
    assert [c["metric"] for c in stored.cells() if (c["method"], c["seed"]) == ("dni", 3)] == [-1.0]
    with pytest.raises(KeyError, match="seed"):
        stored.add({"method": "dni"})
    assert not list(tmp_path.glob("*.tmp"))


def _add_cell(arguments):
    from benchmarks.results_store import ResultsStore

    directory, cell = arguments
    ResultsStore("grid.json", key=("method", "seed"), directory=directory).add(cell)


def test_the_update_timed_alone_is_the_same_sgd_update_in_both_systems(bench_core):
    x, labels, initial = bench_core.mlp_problem()
    updates, arrays, params = bench_core.update_alone(x, labels, initial)
    gradients = bench_core.numpy_mlp(x, labels, initial)[1]()
    for update in updates.values():
        update()
    for start, g, numpy_after, ours_after in zip(initial, gradients, arrays, params):
        expected = start - bench_core.LEARNING_RATE * g
        np.testing.assert_allclose(numpy_after, expected, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(ours_after.numpy(), expected, rtol=1e-6, atol=1e-7)


def test_results_md_names_every_section_once():
    """Two generated sections under one title would read as one table written twice."""
    headings = [line for line in RESULTS.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    assert not repeated, f"RESULTS.md repeats the heading(s) {repeated}"


def test_the_olah_phases_are_growing_prefixes_of_the_timed_call(bench_core):
    phases = bench_core.olah_phases()
    assert list(phases) == ["leaves", "leaves + 3 operations", "whole call"]
    a, b = phases["leaves"]()
    assert (a.item(), b.item()) == (2.0, 1.0) and a.requires_grad and b.requires_grad
    assert phases["leaves + 3 operations"]().item() == 6.0            # (2 + 1)(1 + 1)
    assert phases["whole call"]() == (2.0, 5.0)                       # ∂e/∂a = b + 1, ∂e/∂b = (b + 1) + (a + b)
