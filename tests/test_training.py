"""Training on the bundled digits: SGD reaches 95 %, GO-UP learns, the backprop-free
GO-UP runs no reverse pass, and a seed makes a run repeatable."""

import numpy as np
import pytest

from tinygrad_ko import nn
from tinygrad_ko.data import digits
from tinygrad_ko.optim import GOUP, SGD, ForwardGradient
from tinygrad_ko.tensor.graph import observe
from tinygrad_ko.train import evaluate, fit, single_blas_thread
from tinygrad_ko.optim import build_optimizer

TRAIN, TEST = digits("train"), digits("test")


def digits_mlp(seed=0):
    return nn.MLP([64, 64, 10], rng=np.random.default_rng(seed))


def test_sgd_mlp_reaches_95_percent_on_digits_within_a_minute():
    model = digits_mlp()
    with single_blas_thread():
        history = fit(model, SGD(model.parameters(), lr=0.05, momentum=0.9), TRAIN, TEST,
                      epochs=15, seed=0, progress=False)
    assert history.test_accuracy[-1] >= 0.95
    assert history.seconds < 60
    assert history.passes == {"forward": 15 * 43, "backward": 15 * 43, "jvp": 0}
    assert evaluate(model, *TEST)[1] == history.test_accuracy[-1]


def test_goup_learns_with_the_same_network():
    model = digits_mlp()
    chance = evaluate(model, *TEST)[1]
    with single_blas_thread():
        history = fit(model, GOUP(model.parameters(), lr=0.03, seed=0), TRAIN, TEST,
                      epochs=10, seed=0, progress=False)
    assert chance < 0.2
    assert history.test_accuracy[-1] > 0.75
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]


def test_backprop_free_goup_learns_without_any_reverse_pass():
    model = digits_mlp()
    phases = {"primal": 0, "jvp": 0, "vjp": 0}

    def count(op, out, inputs, params, phase):
        phases[phase] += 1

    with single_blas_thread(), observe(count):
        history = fit(model, GOUP(model.parameters(), lr=0.02, seed=0), TRAIN, TEST, epochs=2, seed=0,
                      progress=False, gradient=ForwardGradient(directions=8, seed=1))
    assert history.passes == {"forward": 0, "backward": 0, "jvp": 2 * 43 * 8}
    assert phases["vjp"] == 0 and phases["jvp"] > 0
    assert history.test_accuracy[-1] > 0.25


def test_a_seed_makes_a_run_repeatable():
    runs = []
    for seed in (3, 3, 4):
        model = digits_mlp(seed)
        optimizer, _ = build_optimizer("goup", model.parameters(), seed=seed)
        history = fit(model, optimizer, TRAIN, TEST, epochs=1, seed=seed, progress=False)
        runs.append((history.step_loss, model.state_dict()["0.weight"]))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
    assert runs[0][0] != runs[2][0]


def test_training_stops_when_the_loss_stops_being_finite():
    model = digits_mlp()
    with np.errstate(all="ignore"):
        history = fit(model, SGD(model.parameters(), lr=1e30), TRAIN, TEST, epochs=3, progress=False)
    assert history.diverged_at_step is not None
    assert len(history.step_loss) == history.diverged_at_step + 1


def test_before_update_sees_the_gradient_before_the_weights_change():
    model = digits_mlp()
    seen = []

    def before_update(step, model):
        seen.append((step, model[0].weight.numpy().copy(), model[0].weight.grad is not None))

    fit(model, SGD(model.parameters(), lr=0.1), TRAIN, None, epochs=1, batch_size=1000,
        progress=False, before_update=before_update)
    assert [step for step, _, _ in seen] == [0, 1] and all(has for _, _, has in seen)
    assert not np.array_equal(seen[0][1], seen[1][1])


@pytest.mark.parametrize("name", ["sgd", "adam", "sgd-noise", "goup", "goup-fwd"])
def test_every_named_optimizer_builds(name):
    model = digits_mlp()
    optimizer, gradient = build_optimizer(name, model.parameters(), seed=0)
    assert (gradient is not None) == (name == "goup-fwd")
    assert optimizer.lr > 0


def test_saving_a_figure_leaves_pyplot_and_its_backend_alone(tmp_path):
    """A notebook's inline plots keep working after plot_history (no backend switch)."""
    import matplotlib
    from matplotlib import pyplot

    from tinygrad_ko.train import History, plot_history

    before = matplotlib.get_backend()
    pyplot.switch_backend("svg")         # stands in for a notebook's inline backend
    backend = matplotlib.get_backend()
    open_figures = pyplot.get_fignums()
    history = History(train_loss=[2.0, 1.0], train_accuracy=[0.5, 0.8], test_loss=[2.1, 1.2],
                      test_accuracy=[0.4, 0.7], step_loss=[2.3, 1.5, 1.0])
    path = plot_history(history, tmp_path / "curves.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert matplotlib.get_backend() == backend
    assert pyplot.get_fignums() == open_figures
    pyplot.switch_backend(before)
