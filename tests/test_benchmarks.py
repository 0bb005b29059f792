"""Smoke tests of benchmarks/bench_core.py: it runs, checks its frameworks against each
other, and prints its tables. No timing is asserted (timings belong in RESULTS.md)."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench_core():
    """benchmarks/bench_core.py as a module (its `common` import pins threads: undone here)."""
    saved_environment = dict(os.environ)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_core", BENCHMARKS / "bench_core.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
        os.environ.clear()
        os.environ.update(saved_environment)
    return module


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
