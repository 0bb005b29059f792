"""Every number a user passes is checked once, with one clear line: optimizer settings,
layer sizes, the DataLoader, the datasets' files and the train / dni command lines."""

import math
import shutil
import sys

import numpy as np
import pytest

from tinygrad_ko import nn
from tinygrad_ko.cli import main
from tinygrad_ko.data import DataLoader, DatasetError, digits, mnist, write_idx
from tinygrad_ko.errors import InvalidValueError, ShapeError
from tinygrad_ko.optim import GOUP, SGD, Adam, ForwardGradient, NoisySGD, OptimizerError


def one_parameter():
    return [nn.Parameter(np.array([1.0, -2.0]))]


# ---------------------------------------------------------------- optimizers
@pytest.mark.parametrize("make, setting", [
    (lambda p: GOUP(p, 0.1, noise_scale=math.nan), "noise_scale"),
    (lambda p: GOUP(p, 0.1, noise_scale=-1.0), "noise_scale"),
    (lambda p: GOUP(p, 0.1, k=math.nan), "k"),
    (lambda p: SGD(p, 0.1, weight_decay=math.nan), "weight_decay"),
    (lambda p: SGD(p, 0.1, momentum=math.nan), "momentum"),
    (lambda p: Adam(p, 0.1, weight_decay=math.nan), "weight_decay"),
    (lambda p: Adam(p, 0.1, eps=math.nan), "eps"),
    (lambda p: Adam(p, 0.1, betas=(math.nan, 0.9)), "betas"),
    (lambda p: NoisySGD(p, 0.1, noise_std=math.nan), "noise_std"),
    (lambda p: GOUP(p, 0.1, seed=-1), "seed"),
    (lambda p: NoisySGD(p, 0.1, seed=2.5), "seed"),
])
def test_bad_optimizer_settings_are_refused_naming_the_setting(make, setting):
    with pytest.raises(OptimizerError, match=rf"^{setting}\b.* must be .*got"):
        make(one_parameter())


@pytest.mark.parametrize("directions", [0, 2.5, True, math.nan])
def test_forward_gradient_directions_must_be_a_positive_integer(directions):
    with pytest.raises(OptimizerError, match="^directions must be an integer ≥ 1"):
        ForwardGradient(directions)


def test_forward_gradient_seed_is_checked():
    with pytest.raises(OptimizerError, match="^seed must be"):
        ForwardGradient(1, seed=-3)


@pytest.mark.parametrize("make", [SGD, Adam, GOUP, NoisySGD])
def test_a_learning_rate_of_zero_is_accepted_and_changes_nothing(make):
    params = one_parameter()
    optimizer = make(params, 0.0)
    params[0].grad = nn.Parameter(np.array([3.0, 4.0]))
    optimizer.step()
    assert optimizer.lr == 0.0
    if make is not NoisySGD:                       # NoisySGD adds noise of its own size
        np.testing.assert_array_equal(params[0].numpy(), [1.0, -2.0])


@pytest.mark.parametrize("lr", [-0.1, math.nan, math.inf])
def test_negative_or_non_finite_learning_rates_are_refused(lr):
    with pytest.raises(OptimizerError, match=r"^lr \(the learning rate\) must be a finite number ≥ 0"):
        SGD(one_parameter(), lr)


# ------------------------------------------------------------------- layers
@pytest.mark.parametrize("sizes", [(3.9, 2), (0, 2), (2, -1), (True, 2), ("3", 2)])
def test_linear_sizes_must_be_positive_integers(sizes):
    with pytest.raises(ShapeError, match=r"^Linear .*features must be an integer ≥ 1"):
        nn.Linear(*sizes)


def test_mlp_sizes_are_checked():
    with pytest.raises(ShapeError, match=r"MLP sizes\[1\] must be an integer ≥ 1, got 2.5"):
        nn.MLP([64, 2.5, 10])


def test_a_layer_too_big_for_the_memory_is_refused_before_allocating():
    with pytest.raises(InvalidValueError, match=r"needs .* [TP]B .* available") as info:
        nn.Linear(64, 10 ** 13)
    assert "\n" not in str(info.value)


def test_lstm_sizes_and_memory_are_checked():
    with pytest.raises(ShapeError, match=r"^LSTMCell hidden_size must be an integer ≥ 1, got 0"):
        nn.LSTMCell(3, 0)
    with pytest.raises(InvalidValueError, match=r"^LSTMCell\(3, 100000000\): .* needs .* PB"):
        nn.LSTMCell(3, 10 ** 8)


def test_memory_check_uses_the_memory_available(monkeypatch):
    from tinygrad_ko.nn import init

    monkeypatch.setattr(init, "available_memory", lambda: 10 ** 6)       # 1 MB
    with pytest.raises(InvalidValueError, match=r"Linear\(64, 10000\).*7.68 MB.*1 MB of memory"):
        nn.Linear(64, 10_000)
    nn.Linear(64, 100)                                                    # 77 kB fits


# --------------------------------------------------------------------- data
@pytest.mark.parametrize("batch_size", [0, 2.0, True, "4"])
def test_loader_batch_size_is_checked(batch_size):
    with pytest.raises(DatasetError, match="^batch_size must be an integer ≥ 1"):
        DataLoader(np.zeros(10), np.zeros(10), batch_size)


def test_loader_seed_is_checked():
    with pytest.raises(DatasetError, match="^seed must be an integer ≥ 0, got -1"):
        DataLoader(np.zeros(10), np.zeros(10), 2, seed=-1)


@pytest.fixture
def damaged_digits(tmp_path, monkeypatch):
    """Point the bundled digits at a copy of the file the test may damage."""
    digits_module = sys.modules["tinygrad_ko.data.digits"]      # (tinygrad_ko.data.digits is the function)
    copy = tmp_path / "digits.npz"
    shutil.copy(digits_module.DIGITS_NPZ, copy)
    monkeypatch.setattr(digits_module, "DIGITS_NPZ", copy)
    return copy


@pytest.mark.parametrize("damage", [
    lambda path: path.write_bytes(path.read_bytes()[:3000]),          # truncated
    lambda path: path.write_bytes(b"garbage, not a zip file" * 10),     # garbage
    lambda path: np.savez(path.open("wb"), other=np.zeros(3)),          # an npz without the digits
])
def test_a_damaged_digits_file_is_one_dataset_error(damaged_digits, damage):
    damage(damaged_digits)
    with pytest.raises(DatasetError, match="digits.npz") as info:
        digits("train")
    message = str(info.value)
    assert "\n" not in message and "reinstall" in message


def mnist_folder(root, images, labels):
    write_idx(root / "train-images-idx3-ubyte", images)
    write_idx(root / "train-labels-idx1-ubyte", labels)
    return root


def test_idx_with_no_images_is_refused(tmp_path):
    root = mnist_folder(tmp_path, np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))
    with pytest.raises(DatasetError, match="no images"):
        mnist(root, "train")


def test_labels_outside_the_classes_are_refused_naming_label_and_classes(tmp_path):
    root = mnist_folder(tmp_path, np.zeros((3, 28, 28), np.uint8), np.array([1, 255, 2], np.uint8))
    with pytest.raises(DatasetError, match=r"label 255 .*10 classes") as info:
        mnist(root, "train")
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------------- CLI
def run_cli(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(status, out, err, command, message):
    assert status == 2, (out, err)
    assert err.startswith(f"tinygrad-ko {command}: error: ") and err.count("\n") == 1, err
    assert message in err, err


@pytest.mark.parametrize("argv, message", [
    (["--seed", "-1"], "--seed must be an integer ≥ 0, got -1"),
    (["--epochs", "0"], "--epochs must be an integer ≥ 1, got 0"),
    (["--lr", "-0.1"], "lr (the learning rate) must be a finite number ≥ 0, got -0.1"),
    (["--lr", "nan"], "lr (the learning rate) must be a finite number ≥ 0, got nan"),
    (["--batch-size", "0"], "batch_size must be an integer ≥ 1, got 0"),
    (["--optimizer", "goup", "--noise-scale", "nan"], "noise_scale must be a finite number ≥ 0, got nan"),
    (["--optimizer", "goup", "--k", "2"], "k (the mean-reversion rate) must be a finite number in (0, 1], got 2"),
    (["--optimizer", "goup-fwd", "--directions", "0"], "directions must be an integer ≥ 1, got 0"),
    (["--optimizer", "sgd", "--momentum", "1"], "momentum must be a finite number in [0, 1), got 1"),
    (["--optimizer", "adam", "--momentum", "0.9"], "--momentum is a setting of --optimizer sgd; adam does not use it"),
    (["--optimizer", "sgd", "--noise-scale", "2"], "--noise-scale is a setting of --optimizer goup, goup-fwd"),
    (["--optimizer", "goup", "--directions", "4"], "--directions is a setting of --optimizer goup-fwd"),
    (["--hidden", "10000000000000"], "needs"),
    (["--hidden", "0"], "--hidden size must be an integer ≥ 1, got 0"),
])
def test_train_refuses_bad_numbers_in_one_line(tmp_path, capsys, argv, message):
    status, out, err = run_cli(capsys, "train", "--no-progress", "--epochs", "1", "--hidden", "8",
                               "--out", str(tmp_path), *argv)
    assert_one_line_error(status, out, err, "train", message)
    assert "final accuracy" not in out


def test_train_hidden_too_big_names_the_memory(tmp_path, capsys, monkeypatch):
    from tinygrad_ko.nn import init

    monkeypatch.setattr(init, "available_memory", lambda: 8 * 10 ** 9)
    status, out, err = run_cli(capsys, "train", "--no-progress", "--hidden", "100000000", "--out", str(tmp_path))
    assert_one_line_error(status, out, err, "train", "needs 76.8 GB")
    assert "8 GB of memory" in err


def test_train_out_naming_a_file_is_refused_before_training(tmp_path, capsys, monkeypatch):
    from tinygrad_ko import train

    def no_training(*args, **kwargs):
        raise AssertionError("training started")
    monkeypatch.setattr(train, "fit", no_training)
    target = tmp_path / "results.txt"
    target.write_text("keep me")
    status, out, err = run_cli(capsys, "train", "--no-progress", "--out", str(target))
    assert_one_line_error(status, out, err, "train", f"--out {target} is a file")
    assert target.read_text() == "keep me"


def test_train_refuses_labels_outside_the_classes(tmp_path, capsys):
    root = mnist_folder(tmp_path, np.zeros((3, 28, 28), np.uint8), np.array([1, 255, 2], np.uint8))
    write_idx(root / "t10k-images-idx3-ubyte", np.zeros((2, 28, 28), np.uint8))
    write_idx(root / "t10k-labels-idx1-ubyte", np.array([0, 1], np.uint8))
    status, out, err = run_cli(capsys, "train", "--no-progress", "--dataset", "mnist", "--data-root", str(root),
                               "--out", str(tmp_path / "out"))
    assert_one_line_error(status, out, err, "train", "label 255")


def test_train_accepts_a_learning_rate_of_zero(tmp_path, capsys):
    status, out, err = run_cli(capsys, "train", "--no-progress", "--epochs", "1", "--lr", "0",
                               "--hidden", "8", "--out", str(tmp_path))
    assert status == 0, err
    assert "SGD(lr=0.0" in out


@pytest.mark.parametrize("argv, message", [
    (["--seed", "-1"], "--seed must be an integer ≥ 0, got -1"),
    (["--width", "0"], "--width must be an integer ≥ 1, got 0"),
    (["--layers", "0"], "--layers must be an integer ≥ 2, got 0"),
    (["--steps", "0"], "--steps must be an integer ≥ 1, got 0"),
    (["--update-probability", "nan"], "--update-probability must be a finite number in (0, 1], got nan"),
    (["--update-probability", "0"], "--update-probability must be a finite number in (0, 1], got 0"),
    (["--task", "copy", "--truncation", "0"], "--truncation must be an integer ≥ 1, got 0"),
    (["--task", "copy", "--hidden", "0"], "--hidden must be an integer ≥ 1, got 0"),
    (["--task", "copy", "--episodes", "0"], "--episodes must be an integer ≥ 1, got 0"),
    (["--task", "copy", "--cpu-seconds", "nan"], "--cpu-seconds must be a finite number > 0, got nan"),
    (["--task", "copy", "--hidden", "100000000"], "LSTMCell(9, 100000000): a weight of shape"),
    (["--width", "100000000"], "Linear(64, 100000000): a weight of shape"),
])
def test_dni_refuses_bad_numbers_in_one_line(tmp_path, capsys, argv, message):
    small = ["--steps", "2", "--width", "4", "--layers", "2", "--episodes", "1", "--cpu-seconds", "1",
             "--hidden", "4", "--truncation", "1"]          # a quick run, should a check be missing
    status, out, err = run_cli(capsys, "dni", "--no-progress", "--out", str(tmp_path), *small, *argv)
    assert_one_line_error(status, out, err, "dni", message)
