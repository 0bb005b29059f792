"""The optimizer registry is the one table the command line and the training code read."""

import argparse

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.cli import train as train_cli
from tinygrad_ko.optim import (GOUP, OPTIMIZERS, SGD, Adam, ForwardGradient, NoisySGD, OptimizerEntry,
                               OptimizerError, build_optimizer, register_optimizer)


def _params():
    return [Tensor(np.ones(3), requires_grad=True)]


def test_the_table_holds_the_five_optimizers_with_their_defaults():
    assert {name: entry.default_lr for name, entry in OPTIMIZERS.items()} == {
        "sgd": 0.1, "adam": 1e-3, "sgd-noise": 0.03, "goup": 0.03, "goup-fwd": 0.01}
    kinds = {name: type(build_optimizer(name, _params(), seed=0)[0]) for name in OPTIMIZERS}
    assert kinds == {"sgd": SGD, "adam": Adam, "sgd-noise": NoisySGD, "goup": GOUP, "goup-fwd": GOUP}
    assert isinstance(build_optimizer("goup-fwd", _params(), seed=0)[1], ForwardGradient)
    assert build_optimizer("goup", _params(), seed=0)[1] is None


def test_settings_reach_the_optimizer_that_takes_them_and_default_lr_applies():
    sgd, _ = build_optimizer("sgd", _params(), momentum=0.5)
    assert sgd.momentum == 0.5 and sgd.lr == 0.1
    _, gradient = build_optimizer("goup-fwd", _params(), 0.02, seed=1, directions=4)
    assert gradient.directions == 4
    adam, _ = build_optimizer("adam", _params(), momentum=0.9)   # a setting adam does not take is ignored
    assert adam.lr == 1e-3


def test_unknown_names_and_settings_are_typed_errors():
    with pytest.raises(OptimizerError, match="unknown optimizer 'rmsprop'; choose one of sgd, adam"):
        build_optimizer("rmsprop", _params())
    with pytest.raises(OptimizerError, match="unknown optimizer settings"):
        build_optimizer("sgd", _params(), nesterov=True)


def test_the_command_line_reads_its_flags_and_help_from_the_table():
    # The settings only some optimizers take, exactly as the command line checked them before the table.
    assert train_cli.optimizer_flags() == {"momentum": ("sgd",), "k": ("goup", "goup-fwd"),
                                         "noise_scale": ("goup", "goup-fwd"), "directions": ("goup-fwd",)}
    parser = argparse.ArgumentParser()
    train_cli.add_arguments(parser)
    action = next(a for a in parser._actions if a.dest == "optimizer")
    assert action.choices == tuple(OPTIMIZERS)
    for name, entry in OPTIMIZERS.items():
        assert f"{name}: {entry.update}" in action.help
    lr_help = next(a for a in parser._actions if a.dest == "lr").help
    assert "sgd 0.1, adam 0.001, sgd-noise 0.03, goup 0.03, goup-fwd 0.01" in lr_help


@pytest.fixture
def restored_table():
    saved = dict(OPTIMIZERS)
    yield OPTIMIZERS
    OPTIMIZERS.clear()
    OPTIMIZERS.update(saved)


def test_a_registered_optimizer_is_offered_by_the_command_line(restored_table):
    register_optimizer(OptimizerEntry(
        name="toy", default_lr=0.5, gradient_from="backprop", update="θ − α·g, the toy",
        settings=("momentum",), build=lambda params, lr, seed, *, momentum: (SGD(params, lr, momentum=momentum), None)))
    optimizer, _ = build_optimizer("toy", _params(), momentum=0.25)
    assert optimizer.lr == 0.5 and optimizer.momentum == 0.25
    assert train_cli.optimizer_flags()["momentum"] == ("sgd", "toy")
    parser = argparse.ArgumentParser()
    train_cli.add_arguments(parser)
    action = next(a for a in parser._actions if a.dest == "optimizer")
    assert "toy" in action.choices and "toy: θ − α·g, the toy" in action.help
    with pytest.raises(ValueError, match="registered twice"):
        register_optimizer(OPTIMIZERS["toy"])
    with pytest.raises(ValueError, match="unknown settings"):
        register_optimizer(OptimizerEntry(name="bad", default_lr=1, gradient_from="", update="",
                                          build=lambda *a: None, settings=("beta",)))
