"""tools.cost: exact counts against hand-derived numbers, passes, tape memory, plots, CLI."""

import gc
import xml.etree.ElementTree as ElementTree

import matplotlib.image
import numpy as np
import pytest

from tinygrad_ko import Tensor, hvp, jacfwd, jacrev, jvp, value_and_grad, vjp
from tinygrad_ko.cli import main
from tinygrad_ko.errors import ShapeError
from tinygrad_ko.tools.cost import (OpCounts, cheap_gradient_check, compare_modes, count_ops,
                                    jacfwd_vectorized, jacrev_vectorized, make_example, make_mlp,
                                    plot_sweep, run_sweep)
from tinygrad_ko.tools.cost.examples import dense_stack


def olah(a, b):
    return (a + b) * (b + 1)


# ---------------------------------------------------------------- Olah graph, by hand
def test_olah_reverse_counts_by_hand():
    """e = (a + b)(b + 1): primal add, add, mul (3 FLOPs on scalars).
    Backward: mul's rule g·d and g·c (2 muls), then b's two adjoints are added (1 add)."""
    with count_ops() as counts:
        a = Tensor(2.0, requires_grad=True)
        b = Tensor(1.0, requires_grad=True)
        e = olah(a, b)
        e.backward()
    assert (a.grad.item(), b.grad.item()) == (2.0, 5.0)
    assert counts.calls("primal") == 3 and counts.flops("primal") == 3
    assert counts.calls("vjp", "mul") == 2 and counts.calls("vjp", "add") == 1
    assert counts.flops("vjp") == 3 and counts.flops("jvp") == 0
    assert (counts.forward_passes, counts.backward_passes) == (0, 1)
    # float32 scalars on the tape: a, b, c, the constant 1, d, e
    assert counts.tape_peak_bytes == 6 * 4


def test_olah_forward_counts_by_hand():
    """One JVP pass with tangents (1, 0): ċ = ȧ + ḃ (1 add), ḋ = ḃ (no op),
    ė = ċ·d + c·ḋ (2 muls, 1 add): 4 FLOPs beside the 3 of the primal, nothing taped."""
    with count_ops() as counts:
        _, de_da = jvp(olah, (2.0, 1.0), (1.0, 0.0))
    assert de_da.item() == 2.0
    assert counts.flops("primal") == 3
    assert counts.flops("jvp") == 4 and counts.calls("jvp", "mul") == 2 and counts.calls("jvp", "add") == 2
    assert counts.flops("vjp") == 0
    assert (counts.forward_passes, counts.backward_passes) == (1, 0)
    assert counts.tape_peak_bytes == 0


def test_olah_both_partials_need_two_forward_passes_and_one_backward():
    example = make_example("olah", 2, 1)     # e = (x0 + x1)(x1 + 1)
    x = np.array([2.0, 1.0])
    with count_ops() as forward:
        by_columns = jacfwd(example.function)(x)
    with count_ops() as reverse:
        by_rows = jacrev(example.function)(x)
    np.testing.assert_array_equal(by_columns.numpy(), [[2.0, 5.0]])
    np.testing.assert_array_equal(by_rows.numpy(), [[2.0, 5.0]])
    assert (forward.forward_passes, forward.backward_passes) == (2, 0)
    assert (reverse.forward_passes, reverse.backward_passes) == (0, 1)


# ------------------------------------------------------- one matmul + tanh layer, by hand
def layer_flops(n, m):
    """tanh(x W + b), x ∈ Rⁿ, W ∈ Rⁿˣᵐ.
    primal: x W is 2nm (n multiplies and n adds per output), + b is m, tanh is m.
    one JVP pass (tangent on x): ẋ W is 2nm; ḃ is absent (no op); ż = ẏ·(1 − z·z) is 3m.
    one VJP pass: g·(1 − z·z) is 3m; g Wᵀ is 2nm (the transpose moves data only)."""
    return {"primal": 2 * n * m + 2 * m, "jvp": 2 * n * m + 3 * m, "vjp": 2 * n * m + 3 * m}


def test_single_layer_flops_by_hand():
    n, m = 3, 4
    layer = dense_stack(n, m, layers=1)
    per_pass = layer_flops(n, m)
    with count_ops() as forward:
        jacfwd(layer.function)(layer.point)
    with count_ops() as reverse:
        jacrev(layer.function)(layer.point)
    assert forward.flops("primal") == n * per_pass["primal"] == 3 * 32
    assert forward.flops("jvp") == n * per_pass["jvp"] == 3 * 36
    assert forward.flops("vjp") == 0
    assert reverse.flops("primal") == per_pass["primal"] == 32
    assert reverse.flops("vjp") == m * per_pass["vjp"] == 4 * 36
    assert reverse.flops("jvp") == 0
    assert forward.flops(primitive="matmul") == n * 2 * (2 * n * m)
    assert reverse.calls("vjp", "transpose") == m


def test_single_layer_tape_by_hand():
    """jacrev keeps x (n), W (n·m), b (m) and the outputs of matmul, add and tanh
    (m each; the reshapes are views and add nothing): 8·(n + nm + 4m) bytes in float64."""
    n, m = 3, 4
    layer = dense_stack(n, m, layers=1)
    with count_ops() as reverse:
        jacrev(layer.function)(layer.point)
    assert reverse.tape_peak_bytes == 8 * (n + n * m + 4 * m) == 248
    assert reverse.tape_bytes_at_exit == 0


# ------------------------------------------------------------- passes and their scaling
def test_many_inputs_one_output_reverse_is_one_pass():
    n = 1000
    layer = dense_stack(n, 1, layers=1)
    result = compare_modes(layer.function, layer.point, repeats=0)
    fwd, rev = result.costs["jacfwd"], result.costs["jacrev"]
    assert (fwd.counts.forward_passes, fwd.counts.backward_passes, fwd.passes) == (n, 0, n)
    assert (rev.counts.forward_passes, rev.counts.backward_passes, rev.passes) == (0, 1, 1)
    per_pass = layer_flops(n, 1)
    assert fwd.flops == n * (per_pass["primal"] + per_pass["jvp"])
    assert rev.flops == per_pass["primal"] + per_pass["vjp"]
    assert result.agree and result.max_difference <= 1e-10
    assert result.cheaper_by_flops == "jacrev"
    assert fwd.tape_peak_bytes == 0 and rev.tape_peak_bytes > 8 * n


def test_one_input_many_outputs_forward_is_one_pass():
    m = 1000
    layer = dense_stack(1, m, layers=1)
    result = compare_modes(layer.function, layer.point, repeats=0)
    fwd, rev = result.costs["jacfwd"], result.costs["jacrev"]
    assert (fwd.counts.forward_passes, fwd.counts.backward_passes) == (1, 0)
    assert (rev.counts.forward_passes, rev.counts.backward_passes) == (0, m)
    per_pass = layer_flops(1, m)
    assert fwd.flops == per_pass["primal"] + per_pass["jvp"]
    assert rev.flops == per_pass["primal"] + m * per_pass["vjp"]
    assert result.agree and result.max_difference <= 1e-10
    assert result.cheaper_by_flops == "jacfwd"


@pytest.mark.parametrize("name", ["dense", "elementwise", "olah"])
@pytest.mark.parametrize("n, m", [(5, 3), (3, 5)])
def test_jacobian_cost_is_passes_times_one_pass(name, n, m):
    """jacfwd = n JVP passes (each re-evaluating f); jacrev = one evaluation + m pullbacks."""
    example = make_example(name, n, m)
    x = Tensor(example.point)
    result = compare_modes(example.function, x, repeats=0)
    assert result.agree and result.max_difference <= 1e-10
    fwd, rev = result.costs["jacfwd"].counts, result.costs["jacrev"].counts
    assert (fwd.forward_passes, rev.backward_passes) == (n, m)

    basis = np.zeros(n)
    basis[0] = 1.0
    with count_ops() as one_jvp:
        jvp(example.function, (x,), (Tensor(basis),))
    assert fwd.flops("primal") == n * one_jvp.flops("primal")
    assert fwd.flops("jvp") == n * one_jvp.flops("jvp")

    out, pullback = vjp(example.function, x)
    seed = np.zeros(m)
    seed[0] = 1.0
    with count_ops() as one_vjp:
        pullback(Tensor(seed))
    assert rev.flops("primal") == one_jvp.flops("primal")
    assert rev.flops("vjp") == m * one_vjp.flops("vjp")


# --------------------------------------------------------------------- tape memory
def test_tape_counts_each_array_once_and_forward_mode_tapes_nothing():
    x = np.arange(1000.0)

    def square_sum(x):
        return (x * x).sum()

    with count_ops() as reverse:
        jacrev(square_sum)(x)
    # x (8,000 bytes, once although used twice), x·x (8,000), the sum (8)
    assert reverse.tape_peak_bytes == 16_008
    assert reverse.tape_bytes_at_exit == 0
    with count_ops() as forward:
        jacfwd(square_sum)(x[:10])
    assert forward.tape_peak_bytes == 0


def test_tape_follows_freed_graphs():
    x = Tensor(np.ones(100), requires_grad=True)
    with count_ops() as counts:
        for _ in range(3):
            y = (x * 2.0).sum()    # x 800 + constant 8 + x·2 800 + sum 8
            del y                  # the graph is freed before the next one is built
        gc.collect()
        assert counts.tape_peak_bytes == 1616
        kept = [(x * 2.0).sum() for _ in range(2)]   # two graphs alive share x: 800 + 2·816
        assert counts.tape_peak_bytes == 2432
        del kept
    assert counts.tape_bytes_at_exit == 0


def test_tape_views_share_their_base():
    x = Tensor(np.ones(100), requires_grad=True)
    with count_ops() as counts:
        z = x.reshape(10, 10).broadcast_to((5, 10, 10)).transpose()   # all views of x
    assert counts.tape_peak_bytes == 800
    assert counts.tape_bytes_at_exit == 800
    del z


def test_counts_are_deterministic():
    def program():
        with count_ops() as counts:
            example = make_example("elementwise", 7, 5)
            jacrev(example.function)(example.point)
            jacfwd(example.function)(example.point)
            hvp(lambda x: (x.sin() * x).sum(), (np.arange(4.0),), (np.ones(4),))
        return counts

    first, second = program(), program()
    assert isinstance(first, OpCounts)
    assert first == second
    assert first.total_flops > 0 and first.tape_peak_bytes > 0


def test_forward_over_reverse_counts_both_phases():
    with count_ops() as counts:
        hvp(lambda x: (x * x * x).sum(), (np.arange(3.0),), (np.ones(3),))
    assert counts.forward_passes == 1 and counts.backward_passes == 1
    assert counts.flops("jvp") > 0 and counts.flops("vjp") > 0 and counts.flops("primal") > 0


def test_unknown_phase_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown phase"):
        OpCounts().flops("backward")


# ------------------------------------------------------------------ vectorised Jacobians
@pytest.mark.parametrize("name", ["dense", "elementwise", "olah"])
def test_vectorised_jacobians_take_one_pass_and_agree(name):
    example = make_example(name, 6, 4)
    result = compare_modes(example.function, example.point, repeats=0, vectorized=True)
    assert result.agree and result.max_difference <= 1e-10
    assert result.costs["jacfwd_vectorized"].passes == 1
    assert result.costs["jacrev_vectorized"].passes == 1
    # same algorithm, so the same FLOPs as the loop for forward mode
    assert result.costs["jacfwd_vectorized"].flops == result.costs["jacfwd"].flops


def test_vectorised_jacobian_needs_a_batching_function():
    with pytest.raises(ShapeError, match="row by row"):
        jacfwd_vectorized(lambda x: (x * x).sum(), np.ones(3))
    with pytest.raises(ShapeError, match="row by row"):
        jacrev_vectorized(lambda x: (x * x).sum(), np.ones(3), out_shape=(2,))


# ------------------------------------------------------------------ cheap gradient
def test_cheap_gradient_flops_of_the_mlp():
    """784-256-256-10, batch 64: the forward does one matrix product per layer, the
    backward two (∂L/∂W and ∂L/∂h) except the first layer, whose input needs no gradient."""
    result = cheap_gradient_check(repeats=0)
    problem = result.problem
    assert problem.parameter_count == 269_322
    per_layer = [2 * 64 * 784 * 256, 2 * 64 * 256 * 256, 2 * 64 * 256 * 10]
    params = [Tensor(p) for p in problem.params]
    with count_ops() as reverse_counts:
        value_and_grad(problem.loss, argnums=tuple(range(6)))(*params)
    assert reverse_counts.flops("primal", "matmul") == sum(per_layer)
    assert reverse_counts.flops("vjp", "matmul") == per_layer[0] + 2 * per_layer[1] + 2 * per_layer[2]
    ratio = result.reverse.flops / result.forward.flops
    assert 2.0 < ratio < 3.0
    # forward mode: one pass per parameter, each re-evaluating the loss
    for name, size, counts, _ in result.forward_mode_per_tensor:
        assert counts.flops("primal") == result.forward.flops
        assert counts.forward_passes == 1 and counts.tape_peak_bytes == 0
    assert result.forward_mode.flops > problem.parameter_count * result.forward.flops
    assert "269,322 parameters" in result.table()


def test_small_mlp_problem_is_configurable():
    problem = make_mlp(sizes=(6, 5, 3), batch=4, dtype=np.float64)
    result = cheap_gradient_check(problem, repeats=1)
    assert result.problem.parameter_count == 6 * 5 + 5 + 5 * 3 + 3
    assert result.reverse.seconds > 0 and result.forward.seconds > 0


# ---------------------------------------------------------------- sweep and plots
def test_sweep_table_and_plots_open_as_images(tmp_path):
    sweep = run_sweep(["dense", "olah"], sizes=(1, 3, 9), fixed=3, repeats=1)
    assert len(sweep.points) == 2 * 5       # (1,3) (3,3) (9,3) (3,1) (3,9) per example
    assert all(point.comparison.agree for point in sweep.points)
    by_pair = {(p.example, p.n, p.m): p.comparison for p in sweep.points}
    assert by_pair["dense", 9, 3].cheaper_by_flops == "jacrev"
    assert by_pair["dense", 3, 9].cheaper_by_flops == "jacfwd"
    assert [p.n for p in sweep.line("dense", "n")] == [1, 3, 9]
    table = sweep.table()
    assert "dense" in table and "olah" in table and "NO" not in table.split("agree")[1]
    png = plot_sweep(sweep, tmp_path / "sweep.png")
    image = matplotlib.image.imread(png)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 600
    assert image[..., :3].std() > 0.05            # not a blank canvas
    svg = plot_sweep(sweep, tmp_path / "tape.svg", metrics=("tape",))
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")


def test_sweep_rejects_unknown_example():
    with pytest.raises(ValueError, match="unknown example"):
        run_sweep(["nope"], sizes=(1,), fixed=1)


# ------------------------------------------------------------------- CLI and tour
def test_cli_cost_writes_plots(tmp_path, capsys):
    status = main(["cost", "--quick", "--examples", "olah", "--sizes", "1,4", "--fixed", "2",
                   "--no-mlp", "--out", str(tmp_path)])
    assert status == 0
    out = capsys.readouterr().out
    assert "olah" in out and "cost_sweep.png" in out
    assert matplotlib.image.imread(tmp_path / "cost_sweep.png").ndim == 3
    assert (tmp_path / "cost_tape.png").stat().st_size > 1000


def test_cli_cost_bad_sizes_is_a_one_line_error(tmp_path, capsys):
    assert main(["cost", "--sizes", "1,x", "--out", str(tmp_path)]) == 2
    assert "comma-separated" in capsys.readouterr().err


def test_tour_section_prints_a_table_and_writes_a_plot(tmp_path, capsys):
    from tinygrad_ko.cli.cost import cost_section

    cost_section(tmp_path)
    out = capsys.readouterr().out
    assert "R^100 -> R^1" in out and "jacrev" in out
    assert matplotlib.image.imread(tmp_path / "cost_sweep.png").ndim == 3


def test_the_cost_command_fits_100_columns_and_wide_shows_every_column(tmp_path, capsys):
    from tinygrad_ko.cli import main

    assert main(["cost", "--quick", "--sizes", "1,1000", "--examples", "dense", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100, out
    assert "tape jacfwd" not in out
    assert main(["cost", "--quick", "--sizes", "1,3", "--no-mlp", "--wide", "--out", str(tmp_path)]) == 0
    wide = capsys.readouterr().out
    for column in ("tape jacfwd", "tape jacrev", "vectorised fwd/rev"):
        assert column in wide


def test_a_cost_output_that_is_a_file_is_refused_before_the_sweep(tmp_path, capsys, monkeypatch):
    import tinygrad_ko.tools.cost as cost
    from tinygrad_ko.cli import main

    monkeypatch.setattr(cost, "run_sweep", lambda *a, **k: pytest.fail("the sweep ran"))
    (tmp_path / "file").write_text("")
    assert main(["cost", "--out", str(tmp_path / "file")]) == 2
    assert capsys.readouterr().err.strip() == f"tinygrad-ko cost: error: --out {tmp_path / 'file'}: is a file; " \
                                              "give a folder for the outputs"
