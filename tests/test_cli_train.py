"""``tinygrad-ko train``: a run end to end, its files, repeatability, and one clear
error for each kind of bad input."""

import json

import pytest

from tinygrad_ko.cli import main


def run_cli(capsys, *argv):
    status = main(["train", "--no-progress", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_train_prints_accuracies_and_writes_curves_histogram_and_history(tmp_path, capsys):
    status, out, err = run_cli(capsys, "--optimizer", "goup", "--epochs", "2", "--out", str(tmp_path))
    assert status == 0, err
    assert "final accuracy: train" in out and "test" in out
    assert "passes: 86 forward + 86 backward (reverse mode), 0 forward-mode (JVP)" in out
    for name in ("curves.png", "gaussian_check.png", "history.json"):
        assert (tmp_path / name).stat().st_size > 1000
    record = json.loads((tmp_path / "history.json").read_text())
    assert len(record["history"]["test_accuracy"]) == 2
    assert record["arguments"]["optimizer"] == "goup"
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_the_same_seed_gives_the_same_run(tmp_path, capsys):
    # (that another seed gives another run is checked on fit() in test_training.py)
    histories = []
    for folder, seed in (("a", "7"), ("b", "7")):
        status, _, err = run_cli(capsys, "--optimizer", "sgd-noise", "--epochs", "1", "--seed", seed,
                                 "--out", str(tmp_path / folder))
        assert status == 0, err
        histories.append(json.loads((tmp_path / folder / "history.json").read_text())["history"])
    assert histories[0]["step_loss"] == histories[1]["step_loss"]
    assert histories[0]["test_accuracy"] == histories[1]["test_accuracy"]


def test_goup_fwd_reports_forward_mode_passes_only(tmp_path, capsys):
    status, out, err = run_cli(capsys, "--optimizer", "goup-fwd", "--epochs", "1", "--directions", "2",
                               "--batch-size", "128", "--out", str(tmp_path))
    assert status == 0, err
    assert "passes: 0 forward + 0 backward (reverse mode), 22 forward-mode (JVP)" in out


@pytest.mark.parametrize("argv, message", [
    (["--dataset", "cifar"], "unknown dataset 'cifar'; valid choices are 'digits', 'mnist', 'fashion-mnist'"),
    (["--dataset", "mnist", "--data-root", "/nonexistent/mnist"],
     "mnist: folder /nonexistent/mnist does not exist"),
    (["--lr", "-0.1"], "lr (the learning rate) must be a finite number ≥ 0, got -0.1"),
    (["--epochs", "0"], "--epochs must be an integer ≥ 1, got 0"),
    (["--hidden", "64,x"], "--hidden must be comma-separated integers"),
])
def test_bad_input_is_one_clear_line(tmp_path, capsys, argv, message):
    status, out, err = run_cli(capsys, *argv, "--out", str(tmp_path))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("tinygrad-ko train: error: ")
    assert message in err
    assert "Traceback" not in err


def test_missing_mnist_files_name_the_file(tmp_path, capsys):
    (tmp_path / "mnist").mkdir()
    status, _, err = run_cli(capsys, "--dataset", "mnist", "--data-root", str(tmp_path / "mnist"),
                             "--out", str(tmp_path / "out"))
    assert status == 2
    assert "missing file train-images-idx3-ubyte" in err and err.count("\n") == 1


def test_tour_trains_with_sgd_and_goup(tmp_path, capsys):
    from tinygrad_ko.cli.train import training_section

    training_section(tmp_path)
    out = capsys.readouterr().out
    assert " sgd (lr 0.1): test accuracy" in out and "goup (lr 0.03): test accuracy" in out
    accuracies = [float(line.split("test accuracy ")[1].split("%")[0]) for line in out.splitlines()
                  if "test accuracy" in line]
    assert len(accuracies) == 2 and min(accuracies) > 75
    assert (tmp_path / "goup_gaussian_check.png").stat().st_size > 1000
