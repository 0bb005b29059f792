"""An interrupted run, resumed from its checkpoint, ends with the same weights bit for bit
as the run that was never interrupted: fit() and `tinygrad-ko train --resume`."""

import json

import numpy as np
import pytest

import tinygrad_ko
from tinygrad_ko import nn
from tinygrad_ko.cli import main
from tinygrad_ko.data import digits
from tinygrad_ko.train import TrainingError, fit
from tinygrad_ko.optim import build_optimizer

TRAIN = digits("train")
SMALL_TRAIN = (TRAIN[0][:320], TRAIN[1][:320])
TEST = digits("test")

RECIPES = {"sgd-momentum": ("sgd", {"momentum": 0.9}), "adam": ("adam", {}), "goup": ("goup", {}),
           "goup-fwd": ("goup-fwd", {"directions": 2})}


def new_run(recipe, model_seed=0):
    name, settings = RECIPES[recipe]
    model = nn.MLP([64, 16, 10], rng=np.random.default_rng(model_seed))
    optimizer, gradient = build_optimizer(name, model.parameters(), seed=3, **settings)
    return model, optimizer, gradient


def train(run, epochs, **options):
    model, optimizer, gradient = run
    return fit(model, optimizer, SMALL_TRAIN, TEST, epochs=epochs, seed=5, gradient=gradient,
               progress=False, **options)


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("recipe", RECIPES)
def test_an_interrupted_then_resumed_run_equals_the_uninterrupted_one_bit_for_bit(recipe, tmp_path):
    uninterrupted = new_run(recipe)
    full_history = train(uninterrupted, 3)

    path = tmp_path / "run.ckpt"
    first = new_run(recipe)

    def stop_in_the_second_epoch(step, model):
        if step == 15:                                    # 10 steps per epoch: mid-way through epoch 2
            raise Interrupted
    with pytest.raises(Interrupted):
        train(first, 3, checkpoint=path, before_update=stop_in_the_second_epoch)
    assert tinygrad_ko.load(path)["epoch"] == 1

    resumed = new_run(recipe, model_seed=1)               # other initial weights: the checkpoint replaces them
    resumed_history = train(resumed, 3, resume=tinygrad_ko.load(path))
    for (name, a), (_, b) in zip(uninterrupted[0].named_parameters(), resumed[0].named_parameters()):
        assert np.array_equal(a.numpy(), b.numpy()), name
    assert resumed_history.step_loss == full_history.step_loss
    assert resumed_history.test_accuracy == full_history.test_accuracy
    assert resumed_history.passes == full_history.passes
    assert resumed[1].steps == uninterrupted[1].steps == 30


def test_resuming_with_another_optimizer_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "run.ckpt"
    train(new_run("adam"), 1, checkpoint=path)
    model, optimizer, gradient = new_run("sgd-momentum")
    weights = [p.numpy().copy() for p in model.parameters()]
    with pytest.raises(tinygrad_ko.optim.OptimizerError, match="saved by Adam; this optimizer is SGD"):
        train((model, optimizer, gradient), 2, resume=tinygrad_ko.load(path))
    assert all(np.array_equal(w, p.numpy()) for w, p in zip(weights, model.parameters()))
    assert optimizer.steps == 0 and optimizer.state[0] == {}


def test_resuming_past_the_end_is_refused(tmp_path):
    path = tmp_path / "run.ckpt"
    train(new_run("adam"), 2, checkpoint=path)
    with pytest.raises(TrainingError, match="already trained 2 epochs; epochs=1 asks for fewer"):
        train(new_run("adam"), 1, resume=tinygrad_ko.load(path))
    with pytest.raises(TrainingError, match="not the state of a fit"):
        train(new_run("adam"), 1, resume={"model": {}})


# ---------------------------------------------------------------------- CLI
def run_cli(capsys, *argv):
    status = main(["train", "--no-progress", "--hidden", "16", "--batch-size", "128", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def final_weights(path):
    return tinygrad_ko.load(path)["model"]


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "goup"])
def test_cli_resume_continues_bit_for_bit(tmp_path, capsys, optimizer):
    extra = ["--momentum", "0.9"] if optimizer == "sgd" else []
    common = ["--optimizer", optimizer, *extra, "--seed", "4"]
    status, _, err = run_cli(capsys, *common, "--epochs", "3", "--checkpoint", str(tmp_path / "full.ckpt"),
                             "--out", str(tmp_path / "full"))
    assert status == 0, err
    status, _, err = run_cli(capsys, *common, "--epochs", "1", "--checkpoint", str(tmp_path / "part.ckpt"),
                             "--out", str(tmp_path / "part"))
    assert status == 0, err
    status, out, err = run_cli(capsys, *common, "--epochs", "3", "--resume", str(tmp_path / "part.ckpt"),
                               "--out", str(tmp_path / "part"))
    assert status == 0, err
    assert "resumed from" in out and "after epoch 1" in out
    full, resumed = final_weights(tmp_path / "full.ckpt"), final_weights(tmp_path / "part.ckpt")
    assert all(np.array_equal(full[name], resumed[name]) for name in full)
    histories = [json.loads((tmp_path / folder / "history.json").read_text())["history"]
                 for folder in ("full", "part")]
    assert histories[0]["step_loss"] == histories[1]["step_loss"]


@pytest.mark.parametrize("change, message", [
    (["--optimizer", "adam"], "the checkpoint was made with --optimizer sgd, not adam"),
    (["--hidden", "8"], "--hidden 16, not 8"),
    (["--seed", "5"], "--seed 4, not 5"),
])
def test_cli_resume_with_other_settings_is_one_line(tmp_path, capsys, change, message):
    status, _, err = run_cli(capsys, "--optimizer", "sgd", "--seed", "4", "--epochs", "1",
                             "--checkpoint", str(tmp_path / "c.ckpt"), "--out", str(tmp_path))
    assert status == 0, err
    argv = ["--optimizer", "sgd", "--seed", "4", "--epochs", "2", *change, "--resume", str(tmp_path / "c.ckpt"),
            "--out", str(tmp_path)]
    status, out, err = run_cli(capsys, *argv)
    assert status == 2 and err.count("\n") == 1 and message in err, err


def test_cli_resume_from_a_damaged_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "c.ckpt"
    path.write_bytes(b"PK\x03\x04 not really")
    status, out, err = run_cli(capsys, "--resume", str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and err.count("\n") == 1 and "damaged or truncated" in err, err
    assert "final accuracy" not in out


def test_a_loader_state_continues_the_batch_order_and_must_match_the_options():
    from tinygrad_ko.data import DataLoader, DatasetError

    X = np.arange(20)
    loader = DataLoader(X, X, 4, seed=1)
    list(loader)
    state = loader.state_dict()
    expected = [xb.tolist() for xb, _ in loader]
    restored = DataLoader(X, X, 4, seed=2)
    restored.load_state_dict(state)
    assert [xb.tolist() for xb, _ in restored] == expected
    with pytest.raises(DatasetError, match="saved with batch_size=4; this loader has batch_size=5"):
        DataLoader(X, X, 5).load_state_dict(state)
