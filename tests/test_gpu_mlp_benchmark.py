"""benchmarks/bench_gpu_mlp.py, checked without a GPU.

Its hand-written step is written against an array module ``xp``, so with xp = NumPy it can
be held to our engine's CPU step here; its cross-check and its whole run (``--cpu``: NumPy,
CPU torch, the kernels' NumPy twins) work on the CPU; without a GPU it says why in one line
and leaves RESULTS.md alone. On a GPU the last test runs its --quick mode. No timing is
asserted (timings belong in RESULTS.md).
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tinygrad_ko import Tensor, nn
from tinygrad_ko.optim import SGD

from gpu import GPU_REASON, needs_gpu

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPT = BENCHMARKS / "bench_gpu_mlp.py"
RESULTS = BENCHMARKS / "RESULTS.md"
TORCH_INSTALLED = importlib.util.find_spec("torch") is not None


@pytest.fixture(scope="module")
def bench():
    """benchmarks/bench_gpu_mlp.py as a module (its `common` import pins threads: undone here)."""
    saved_environment = dict(os.environ)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_gpu_mlp", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module          # its dataclasses look their module up while defined
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("bench_gpu_mlp", None)
        sys.path.remove(str(BENCHMARKS))
        os.environ.clear()
        os.environ.update(saved_environment)
    return module


def results_text():
    return RESULTS.read_bytes() if RESULTS.exists() else None


def test_reference_step_with_numpy_equals_our_cpu_sgd_momentum_step(bench):
    """Three steps (so the momentum buffer is used) of the xp step and of nn.MLP +
    cross_entropy + optim.SGD from the same weights: the same losses and weights, in float64."""
    lr, momentum = 0.5, 0.9
    problem = bench.mlp_problem((5, 7, 6, 3), batch=8, seed=1, dtype=np.float64)
    model = nn.MLP(problem.layers, dtype=np.float64)
    model.load_state_dict(dict(zip([name for name, _ in model.named_parameters()], problem.params)))
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
    params = [p.copy() for p in problem.params]
    velocities = [np.zeros_like(p) for p in params]
    rows = np.arange(len(problem.labels))
    for _ in range(3):
        ours = nn.cross_entropy(model(Tensor(problem.x)), problem.labels)
        ours.backward()
        optimizer.step()
        optimizer.zero_grad()
        loss = bench.reference_step(np, params, velocities, problem.x, rows, problem.labels,
                                    lr=lr, momentum=momentum)
        assert float(loss) == pytest.approx(ours.item(), rel=1e-12)
        for parameter, array in zip(model.parameters(), params):
            np.testing.assert_allclose(parameter.data, array, rtol=1e-12, atol=1e-15)
    for start, array in zip(problem.params, params):
        assert not np.allclose(start, array)                   # every parameter moved


def test_update_gap_allows_float32_rounding_but_not_a_one_percent_error(bench):
    """Magnitudes as in the full benchmark: weights ~0.02 (He, 4096 inputs), updates ~1e-5."""
    rng = np.random.default_rng(0)
    start = (0.02 * rng.normal(size=(50, 40))).astype(np.float32)
    move = 1e-5 * rng.normal(size=start.shape)
    exact = start + move                                       # float64
    assert 0 < bench.update_gap(start, exact.astype(np.float32), exact) <= 1
    assert bench.update_gap(start, (start + 1.01 * move).astype(np.float32), exact) > 1
    assert bench.update_gap(start, start, exact) > 1           # no update at all
    assert not bench.update_gap(start, np.full_like(start, np.nan), exact) <= 1


def plain_sgd_without_momentum(theta, velocity, grad, *, lr, momentum):
    theta -= lr * grad


def test_cross_check_passes_on_the_cpu_and_catches_a_forgotten_momentum(bench):
    backend = bench.cpu_backend()
    problem = bench.mlp_problem((12, 9, 7, 4), batch=6)
    contenders = bench.build_contenders(problem, backend)
    floor, plain = bench.raw_names(backend)
    expected = {bench.OURS_FUSED, bench.OURS_PLAIN, floor, plain} | ({bench.TORCH} if TORCH_INSTALLED else set())
    assert set(contenders) == expected
    failures, worst = bench.cross_check(contenders, floor, problem.params)
    assert failures == []
    assert set(worst) == expected - {floor} and all(0 <= fraction <= 1 for fraction in worst.values())

    # The same hand-written step with momentum left out: right after step 1 (v₁ = g), wrong after step 2.
    params = [p.copy() for p in problem.params]
    rows = np.arange(len(problem.labels))
    broken = bench.Contender(
        forward=lambda: None, backward=lambda result: None,
        update=lambda: bench.reference_step(np, params, [None] * len(params), problem.x, rows,
                                            problem.labels, lr=bench.LEARNING_RATE,
                                            momentum=bench.MOMENTUM, update=plain_sgd_without_momentum),
        weights=lambda: [p.copy() for p in params])
    reference = bench.raw_contender(problem, backend, fused=False)
    failures, _ = bench.cross_check({"reference": reference, "forgets momentum": broken}, "reference",
                                    problem.params)
    assert len(failures) == 6                                  # every parameter, step 2 only
    assert all(message.startswith("forgets momentum, step 2, ") for message in failures)


@pytest.mark.skipif(GPU_REASON is None, reason="a GPU is here, so the script measures (see the GPU test)")
def test_without_a_gpu_the_script_says_why_in_one_line_and_exits_0():
    before = results_text()
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1, run.stdout
    assert lines[0].startswith("bench_gpu_mlp: not run, CuPy ")      # is not installed / finds no device
    assert "torch" in lines[0] and "RESULTS.md left unchanged" in lines[0]
    assert results_text() == before


def check_run_output(run, raw_name: str, torch_expected: bool) -> None:
    assert run.returncode == 0, run.stdout + run.stderr
    assert "cross-check passed" in run.stdout and "CROSS-CHECK FAILED" not in run.stdout
    rows = {line.split(" | ")[0][2:] for line in run.stdout.splitlines() if line.startswith("| ")}
    expected = {"tinygrad_ko, fused update", "tinygrad_ko, plain update",
                f"raw {raw_name}, fused update", f"raw {raw_name}, plain update"}
    assert expected <= rows
    assert ("torch eager" in rows) == torch_expected
    assert "Target — our step" in run.stdout or "so the target" in run.stdout


@pytest.mark.slow
def test_cpu_dry_run_checks_every_contender_and_prints_the_table():
    before = results_text()
    run = subprocess.run([sys.executable, str(SCRIPT), "--cpu"], capture_output=True, text=True, timeout=300)
    check_run_output(run, "NumPy", torch_expected=TORCH_INSTALLED)
    assert "CPU dry run" in run.stdout
    assert results_text() == before


@needs_gpu
def test_quick_gpu_run_passes_its_cross_check():
    before = results_text()
    run = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True, text=True, timeout=600)
    torch_has_cuda = "torch eager left out" not in run.stdout
    check_run_output(run, "CuPy", torch_expected=torch_has_cuda)
    assert results_text() == before
