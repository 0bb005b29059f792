"""DNI: the synthetic-gradient interface, its trainers, and the Copy tasks."""

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad
from tinygrad_ko.dni import (Curriculum, FeedForwardConfig, FeedForwardTrainer, LinearPredictor,
                             MLPPredictor, RecurrentConfig, RecurrentTrainer,
                             SyntheticGradient, Timeline, handoff, train_recurrent)
from tinygrad_ko.errors import GradError, InvalidValueError, ShapeError
from tinygrad_ko.optim import Adam

RNG = np.random.default_rng(0)
X = RNG.random((32, 12)).astype(np.float32)
Y = RNG.integers(0, 4, size=32)


def trainer(method, layers=4, **options):
    config = FeedForwardConfig(method=method, layers=layers, width=16, seed=0, **options)
    return FeedForwardTrainer(config, in_features=12, num_classes=4)


def parameters(t):
    return [p.data.copy() for p in t.network.parameters()]


def downstream_oracle(t, i, yb):
    """M replaced by the truth: ∂L/∂hᵢ through the current layers above hᵢ."""
    def loss_of(h):
        x = h
        for block in t.blocks[i + 1:]:
            x = block(x)
        return t._summed_loss(t.network.head(x), yb)

    return lambda h, context: grad(loss_of)(h)


# ----------------------------------------------------- depth and No Bprop
@pytest.mark.parametrize("layers", [2, 4, 6])
def test_layers_count_the_output_layer_as_the_paper_does(layers):
    t = trainer("dni", layers=layers)
    assert t.config.hidden_layers == layers - 1 == len(t.blocks) == len(t.interfaces)
    linears = [m for _, m in t.network.named_modules() if type(m).__name__ == "Linear"]
    assert len(linears) == layers                                 # n layers of weights, f₁ … fₙ
    with pytest.raises(AttributeError):
        t.config.hidden_layers = 3                                # derived, read-only
    with pytest.raises(InvalidValueError, match="output layer"):
        FeedForwardConfig(layers=1)


def test_no_bprop_leaves_the_hidden_layers_exactly_at_their_initialisation():
    t = trainer("no-bprop")
    assert not t.interfaces
    before = parameters(t)
    blocks = sum(len(list(block.parameters())) for block in t.blocks)
    for _ in range(5):
        t.step(X, Y)
    after = parameters(t)
    for a, b in zip(before[:blocks], after[:blocks]):
        np.testing.assert_array_equal(a, b)
    assert all(not np.array_equal(a, b) for a, b in zip(before[blocks:], after[blocks:]))  # the output learns
    assert all(p.grad is None for block in t.blocks for p in block.parameters())
    same_start = trainer("bprop")                                  # same seed, same initial weights
    for a, b in zip(before, parameters(same_start)):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------- the interface
def test_oracle_gradient_model_reproduces_bprop_updates_exactly():
    bprop, decoupled = trainer("bprop"), trainer("dni")
    assert all(np.array_equal(a, b) for a, b in zip(parameters(bprop), parameters(decoupled)))
    for interface_index, interface in enumerate(decoupled.interfaces):
        interface.model = downstream_oracle(decoupled, interface_index, Y)
        interface.optimizer = None
    for _ in range(3):
        bprop.step(X, Y)
        decoupled.step(X, Y)
    for a, b in zip(parameters(bprop), parameters(decoupled)):
        np.testing.assert_array_equal(a, b)
    assert parameters(bprop)[0].tolist() != parameters(trainer("bprop"))[0].tolist()  # it did move


def test_oracle_interface_seeds_the_true_gradient_into_the_upstream_module():
    W1 = Tensor(RNG.standard_normal((12, 8)).astype(np.float32), requires_grad=True)
    W2 = Tensor(RNG.standard_normal((8, 1)).astype(np.float32), requires_grad=True)
    (((Tensor(X) @ W1).tanh() @ W2) ** 2).sum().backward()
    expected = W1.grad.numpy().copy()
    W1.grad = None
    oracle = SyntheticGradient(lambda h, c: grad(lambda v: ((v @ W2) ** 2).sum())(h))
    out = oracle.cut((Tensor(X) @ W1).tanh())
    np.testing.assert_array_equal(W1.grad.numpy(), expected)
    assert out.is_leaf and out.requires_grad


@pytest.mark.parametrize("predictor", ["linear", "mlp"])
def test_zero_initialised_gradient_model_leaves_the_first_update_zero(predictor):
    t = trainer("dni", predictor=predictor)
    before = parameters(t)
    t.step(X, Y)
    after = parameters(t)
    blocks = sum(len(list(block.parameters())) for block in t.blocks)
    for a, b in zip(before[:blocks], after[:blocks]):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(before[-2], after[-2])      # the output layer learnt from the real loss


def test_gradient_model_loss_decreases_on_a_fixed_problem():
    h = Tensor(RNG.standard_normal((64, 6)).astype(np.float32))
    true_map = RNG.standard_normal((6, 6)).astype(np.float32)
    target = Tensor(h.numpy() @ true_map)
    model = LinearPredictor(6)
    interface = SyntheticGradient(model, Adam(model.parameters(), lr=0.05))
    losses = []
    for _ in range(200):
        interface.predict(h)
        losses.append(interface.update(target))
    assert losses[0] > 20 * losses[-1]
    assert interface.cosines[-1] > 0.99


def test_bootstrapped_target_is_the_next_interfaces_prediction_pulled_back():
    t = trainer("dni", layers=3)
    M2 = t.interfaces[1].model
    M2.weight.data[...] = RNG.standard_normal(M2.weight.shape) * 0.1
    M2.bias.data[...] = 0.5
    x2 = handoff(t.blocks[0](Tensor(X)))                      # the same h₁ the step will compute
    h2 = t.blocks[1](x2)
    (h2 * M2(h2.detach()).detach()).sum().backward()           # J₂ᵀ ĝ₂
    expected = x2.grad.numpy().copy()
    t._zero_grads()
    received = []
    original_update = t.interfaces[0].update
    t.interfaces[0].update = lambda target: received.append(target.numpy().copy()) or original_update(target)
    t.step(X, Y)
    assert len(received) == 1
    np.testing.assert_allclose(received[0], expected, rtol=1e-5, atol=1e-7)
    assert np.abs(expected).max() > 0


def test_top_interface_learns_from_the_true_loss_gradient():
    t = trainer("dni", layers=2)
    x = handoff(t.blocks[0](Tensor(X)))
    t._summed_loss(t.network.head(x), Y).backward()
    expected = x.grad.numpy().copy()
    t._zero_grads()
    received = []
    original_update = t.interfaces[0].update
    t.interfaces[0].update = lambda target: received.append(target.numpy().copy()) or original_update(target)
    t.step(X, Y)
    np.testing.assert_allclose(received[0], expected, rtol=1e-5, atol=1e-7)


def test_cdni_gradient_model_sees_the_label():
    seen = []
    t = trainer("cdni")
    for interface in t.interfaces:
        model = interface.model
        interface.model = lambda h, context, model=model: seen.append(context) or model(h, context)
    t.step(X, Y)
    # each of the 3 interfaces runs M twice: to predict, and again at its current weights to learn
    assert len(seen) == 6 and all(np.array_equal(c, Y) for c in seen)
    plain = trainer("dni")
    plain.interfaces[0].model = lambda h, context: seen.append(context) or Tensor(np.zeros(h.shape, np.float32))
    plain.step(X, Y)
    assert seen[-1] is None


def test_conditional_predictor_output_depends_on_the_label():
    model = LinearPredictor(5, num_classes=3)
    model.label_weight.data[...] = np.arange(15, dtype=np.float32).reshape(3, 5)
    h = Tensor(np.ones((2, 5), np.float32))
    out = model(h, np.array([0, 2])).detach().numpy()
    np.testing.assert_array_equal(out[0], np.arange(5))
    np.testing.assert_array_equal(out[1], np.arange(10, 15))
    with pytest.raises(ShapeError, match="context"):
        model(h)
    mlp = MLPPredictor(5, hidden=8, num_classes=3)
    assert mlp(h, np.array([0, 2])).shape == (2, 5)


def test_interface_errors_teach():
    interface = SyntheticGradient(lambda h, c: Tensor(np.zeros((3,), np.float32)))
    with pytest.raises(ShapeError, match="must match"):
        interface.predict(Tensor(np.zeros((2, 2), np.float32)))
    with pytest.raises(GradError, match="without a prediction"):
        SyntheticGradient(LinearPredictor(2)).update(Tensor(np.zeros((1, 2), np.float32)))
    waiting = SyntheticGradient(LinearPredictor(2))
    waiting.predict(Tensor(np.zeros((1, 2), np.float32)))
    with pytest.raises(GradError, match="downstream backward"):
        waiting.update(None)


# --------------------------------------------------------------- decoupling
def test_random_update_order_gives_the_same_training_as_in_order():
    in_order, any_order = trainer("cdni", layers=5), trainer("cdni", layers=5, random_order=True)
    for _ in range(3):
        in_order.step(X, Y)
        any_order.step(X, Y)
    for a, b in zip(parameters(in_order), parameters(any_order)):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(in_order.interfaces, any_order.interfaces):
        np.testing.assert_array_equal(a.model.weight.data, b.model.weight.data)


def test_half_the_layers_sitting_out_never_pairs_a_prediction_with_a_later_target():
    t = trainer("dni", layers=5, update_probability=0.5)
    received = []
    for index, interface in enumerate(t.interfaces):
        original = interface.update
        interface.update = lambda target, original=original, index=index: received.append(index) or original(target)
    for _ in range(8):
        t.step(X, Y)
        assert all(not interface.pending for interface in t.interfaces)
    assert 0 < len(received) < 8 * 4


def test_update_probability_skips_layers():
    t = trainer("dni", update_probability=1e-12)
    before = parameters(t)
    for _ in range(3):
        t.step(X, Y)
    blocks = sum(len(list(block.parameters())) for block in t.blocks)
    assert all(np.array_equal(a, b) for a, b in zip(before[:blocks], parameters(t)[:blocks]))
    assert all(not i.losses for i in t.interfaces)


def test_timeline_shows_bprop_locks_and_dni_unlocking():
    for method, locked in (("bprop", True), ("dni", False)):
        t = trainer(method)
        timeline = Timeline(4, names=["layer 1", "layer 2", "layer 3", "output"])
        t.step(X, Y, timeline)
        waits = timeline.waits(1)
        assert bool(waits["update lock"]) == locked
        assert bool(waits["backward lock"]) == locked
        assert timeline.waits(2)["forward lock"] == ["forward layer 1"]
    assert "layer 1 waited for" in timeline.report()


# -------------------------------------------------------------------- tasks
# Copy / Repeat Copy layouts: tests/test_dni_recurrent.py
def test_curriculum_needs_a_full_window_below_threshold():
    curriculum = Curriculum(start=1, threshold=0.15, window=3)
    assert not curriculum.record(0.0) and not curriculum.record(0.0)
    assert curriculum.record(0.1) and curriculum.length == 2 and curriculum.solved == 1
    for bits in (0.1, 0.2, 0.2, 0.2):
        assert not curriculum.record(bits)
    assert curriculum.solved == 1


# ---------------------------------------------------------------- recurrent
def test_recurrent_synthetic_gradient_target_is_the_bootstrapped_chunk_gradient():
    config = RecurrentConfig(method="dni", truncation=2, hidden=6, batch_size=3, bits=3, clip=0)
    t = RecurrentTrainer(config)
    t.optimizer.step = lambda: None              # freeze the core so the chunks see the same weights
    predictor = t.interface.model
    predictor.weight.data[...] = RNG.standard_normal(predictor.weight.shape) * 0.1
    episode = t.task.episode(2, 3, np.random.default_rng(3))       # 5 steps: chunks [0,1] [2,3] [4]
    received = []
    original_update = t.interface.update
    t.interface.update = lambda target: received.append(target.numpy().copy()) or original_update(target)
    # expected target for the first boundary: ∂/∂s₂ of (losses at steps 2, 3 + ⟨s₄, 0.1·M(s₄)⟩)
    state = t.zero_state(3)
    for step in range(2):
        state = t.model.step(Tensor(episode.inputs[step]), state)
    s2 = handoff(state)
    state, loss, _, _, _ = t._run_chunk(episode, 2, 4, s2)
    ((state * (predictor(state.detach()) * 0.1).detach()).sum() + loss).backward()
    expected = s2.grad.numpy().copy()
    t.optimizer.zero_grad()
    t.train_episode(episode)
    assert len(received) == 2
    np.testing.assert_allclose(received[0], expected, rtol=1e-4, atol=1e-6)


def test_truncated_bptt_never_calls_a_gradient_model_and_training_runs():
    result = train_recurrent(RecurrentConfig(method="bptt", hidden=8, batch_size=4, episodes=3, truncation=2))
    assert result.episodes_run == 3 and not result.predictor_loss and all(np.isfinite(result.bits))
    aux = train_recurrent(RecurrentConfig(method="dni-aux", hidden=8, batch_size=4, episodes=3,
                                          truncation=2, probe_every=3))
    assert len(aux.predictor_loss) > 0 and len(aux.true_cosine) == 1


def test_probing_true_gradients_leaves_training_unchanged():
    from tinygrad_ko.dni import train_feedforward

    data = (X, Y, X[:8], Y[:8])
    quiet = train_feedforward(FeedForwardConfig(method="cdni", layers=3, width=16, steps=6,
                                                batch_size=16, eval_every=3), data)
    probed = train_feedforward(FeedForwardConfig(method="cdni", layers=3, width=16, steps=6,
                                                 batch_size=16, eval_every=3, probe_every=2), data)
    assert quiet.step_loss == probed.step_loss and quiet.test_error == probed.test_error
    assert len(probed.true_cosine) == 3 and len(probed.true_cosine[0]) == 2


def test_layers_as_worker_processes_train_in_both_modes():
    from tinygrad_ko.dni.workers import run_pipeline

    data = (X, Y, X, Y)
    for mode in ("bprop", "dni"):
        result = run_pipeline(mode, data, hidden_layers=2, width=16, steps=12, batch_size=16, lr=1e-2)
        assert len(result.losses) == 12 and np.isfinite(result.losses).all()
        assert 0 <= result.test_error <= 100
    with pytest.raises(ValueError, match="mode"):
        run_pipeline("sync", data)


def test_dni_command_runs_digits_and_copy_and_reports_bad_methods(tmp_path, capsys):
    from tinygrad_ko.cli import main

    assert main(["dni", "--task", "digits", "--layers", "2", "--width", "8", "--steps", "4",
                 "--no-progress", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "digits_2layers.png").exists() and (tmp_path / "digits_2layers.json").exists()
    assert main(["dni", "--task", "digits", "--locks", "--layers", "3", "--width", "8"]) == 0
    assert "layer 1, before its update, waited for: nothing" in capsys.readouterr().out
    assert main(["dni", "--task", "copy", "--methods", "bptt,dni", "--hidden", "8", "--episodes", "3",
                 "--no-progress", "--out", str(tmp_path)]) == 0
    assert "longest length solved" in capsys.readouterr().out and (tmp_path / "copy_T3.png").exists()
    assert main(["dni", "--task", "copy", "--methods", "cdni"]) == 2
    assert "--methods for copy must be among" in capsys.readouterr().err


# ----------------------------------------------------------- synthetic inputs
def test_synthetic_input_model_learns_its_target_on_a_toy_case():
    from tinygrad_ko.dni import InputModel, SyntheticInput

    x = Tensor(RNG.standard_normal((64, 5)).astype(np.float32))
    target = Tensor(np.maximum(x.numpy() @ RNG.standard_normal((5, 3)).astype(np.float32), 0))
    model = InputModel(5, 3, hidden=16, rng=np.random.default_rng(0))
    synthetic = SyntheticInput(model, Adam(model.parameters(), lr=0.01))
    losses = []
    for _ in range(300):
        given = synthetic.predict(x)
        assert given.is_leaf and given.requires_grad
        losses.append(synthetic.update(target))
    assert losses[-1] < 0.05 * losses[0]
    with pytest.raises(GradError, match="without a prediction"):
        synthetic.update(target)


def test_synthetic_input_training_runs_and_leaves_no_prediction_waiting():
    t = trainer("cdni-synthetic-input", layers=4)
    assert len(t.synthetic_inputs) == 3 and len(t.interfaces) == 3
    before = parameters(t)
    for _ in range(3):
        t.step(X, Y)
    assert all(s.pending is None and len(s.losses) == 3 for s in t.synthetic_inputs)
    assert all(not i.pending for i in t.interfaces)
    assert not np.array_equal(before[-2], parameters(t)[-2])
    with pytest.raises(InvalidValueError, match="random_order"):
        FeedForwardConfig(method="dni-synthetic-input", random_order=True)


def test_dni_feedforward_smoke_writes_its_cells_to_the_given_directory_and_skips_them(tmp_path):
    import json
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_feedforward.py"
    command = [sys.executable, str(script), "--smoke", "--dataset", "digits", "--layers", "3",
               "--methods", "no-bprop,cdni", "--seeds", "1", "--results-dir", str(tmp_path)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    cells = json.loads((tmp_path / "dni_feedforward.json").read_text())["cells"]
    assert {c["method"] for c in cells} == {"no-bprop", "cdni"}
    assert all(c["layers"] == 3 and c["steps"] == 4 and len(c["test_error"]) == 2 for c in cells)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "stored" not in again.stdout        # stored cells are skipped


def test_dni_command_takes_the_dataset_and_synthetic_inputs(tmp_path, capsys):
    from tinygrad_ko.cli import main

    assert main(["dni", "--task", "digits", "--dataset", "digits", "--synthetic-inputs", "--layers", "3",
                 "--width", "8", "--steps", "4", "--no-progress", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "cdni-synthetic-input  3 layers" in out and "no-bprop  3 layers" in out


def test_dni_digits_smoke_has_the_no_bprop_column():
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_digits.py"
    run = subprocess.run([sys.executable, str(script), "--steps", "4", "--layers", "4", "--probabilities", "",
                          "--no-write"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "| layers | No Bprop | Bprop | DNI | cDNI |" in run.stdout
    assert "## DNI on digits (No Bprop, Bprop, DNI, cDNI): test error" in run.stdout
