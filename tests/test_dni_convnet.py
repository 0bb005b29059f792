"""DNI for CNNs (dni/convnet.py): the network, the four methods, the convolutional gradient model."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.data import load_dataset
from tinygrad_ko.dni.convnet import ConvNetConfig, ConvNetTrainer, as_images, train_convnet
from tinygrad_ko.dni.predictors import ConvPredictor
from tinygrad_ko.errors import InvalidValueError, ShapeError
from tinygrad_ko.optim import Adam

RNG = np.random.default_rng(0)
IMAGES = RNG.random((8, 1, 8, 8)).astype(np.float32)
LABELS = RNG.integers(0, 3, size=8)


def trainer(method, layers=3, **options):
    config = ConvNetConfig(method=method, layers=layers, width=4, kernel_size=3, seed=0, **options)
    return ConvNetTrainer(config, (1, 8, 8), num_classes=3)


def parameters(t):
    return [p.data.copy() for p in t.network.parameters()]


def recorded_gradients(t):
    """Wrap every optimizer's step so that it first records the gradients it is about to apply."""
    seen = []
    for optimizer in t.optimizers + [t.head_optimizer]:
        def step(optimizer=optimizer, original=optimizer.step):
            seen.extend(p.grad.data.copy() for p in optimizer.params)
            original()
        optimizer.step = step
    return seen


@pytest.mark.parametrize("layers", [2, 3, 4])
def test_shapes_blocks_halve_the_image_and_every_block_has_a_conv_gradient_model(layers):
    t = trainer("cdni", layers=layers)
    assert len(t.blocks) == len(t.interfaces) == layers - 1
    x, side = Tensor(IMAGES), 8
    for block, interface in zip(t.blocks, t.interfaces):
        x = block(x)
        side = (side + 1) // 2                                 # max-pool 3, stride 2, padding 1
        assert x.shape == (8, 4, side, side)
        assert interface.model(x, LABELS).shape == x.shape      # ĝ has h's shape
        assert isinstance(interface.model, ConvPredictor)
    assert t.network.head(x).shape == (8, 3)
    assert t.network(Tensor(IMAGES)).shape == (8, 3)
    convs = [m for _, m in t.network.named_modules() if type(m).__name__ in ("Conv2d", "Linear")]
    assert len(convs) == layers                                 # n layers of weights, the paper's count


def test_bprop_applies_the_gradients_of_one_full_backward():
    t, reference = trainer("bprop"), trainer("bprop")
    seen = recorded_gradients(t)
    t.step(IMAGES, LABELS)
    reference._summed_loss(reference.network(Tensor(IMAGES)), LABELS).backward()
    in_update_order = [reference.network.head] + list(reversed(reference.blocks))   # the head steps first
    expected = [p.grad.data for module in in_update_order for p in module.parameters()]
    assert len(seen) == len(expected) == len(list(reference.network.parameters()))
    for got, want in zip(seen, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_no_bprop_updates_only_the_output_layer():
    t = trainer("no-bprop")
    blocks = [p for block in t.blocks for p in block.parameters()]
    head = list(t.network.head.parameters())
    blocks_before, head_before = [p.data.copy() for p in blocks], [p.data.copy() for p in head]
    for _ in range(3):
        t.step(IMAGES, LABELS)
    assert all(np.array_equal(before, p.data) and p.grad is None for before, p in zip(blocks_before, blocks))
    assert not any(np.array_equal(before, p.data) for before, p in zip(head_before, head))


def test_cdni_gradient_model_sees_the_label_planes():
    model = ConvPredictor(channels=2, num_classes=3, kernel_size=3)
    assert model.conv.weight.shape == (2, 5, 3, 3)             # 2 activation channels + 3 label planes
    h = Tensor(RNG.random((2, 2, 4, 4)).astype(np.float32))
    np.testing.assert_array_equal(model(h, np.array([0, 1])).detach().numpy(), 0)   # zero-initialised
    model.conv.weight.data[:, 2 + 1] = 1.0                      # only the plane of class 1 speaks
    out = model(h, np.array([0, 1])).detach().numpy()
    np.testing.assert_array_equal(out[0], 0)                    # class 0: its plane has no weight
    assert out[1, 0, 1, 1] == 9 and out[1, 0, 0, 0] == 4        # class 1: a plane of ones, zero-padded
    with pytest.raises(ShapeError, match="cDNI"):
        model(h)


def test_cdni_interfaces_learn_a_label_dependent_gradient():
    t = trainer("cdni")
    for _ in range(3):
        t.step(IMAGES, LABELS)
    label_weights = [i.model.conv.weight.data[:, 4:] for i in t.interfaces]
    assert all(np.abs(w).sum() > 0 for w in label_weights)     # they learnt from the planes
    assert all(i.model.conv.weight.shape[1] == 4 for i in trainer("dni").interfaces)   # DNI: no planes


def test_a_few_steps_on_digits_reduce_the_loss():
    data = load_dataset("digits", "train") + load_dataset("digits", "test")
    losses = {}
    for method in ("bprop", "cdni"):
        config = ConvNetConfig(method=method, layers=3, width=8, kernel_size=3, steps=60, batch_size=32,
                               lr=3e-3, eval_every=60, seed=0)
        result = train_convnet(config, data)
        losses[method] = result.step_loss
        assert result.final_test_error < 75                    # chance: 90 %
    for loss in losses.values():
        assert np.mean(loss[-10:]) < 0.7 * np.mean(loss[:5])


def test_bad_input_gets_one_typed_line():
    with pytest.raises(InvalidValueError, match="for FCNs"):
        ConvNetConfig(method="dni-synthetic-input")
    with pytest.raises(InvalidValueError, match="linear, mlp"):
        ConvNetConfig(predictor="deep")
    with pytest.raises(InvalidValueError, match="odd"):
        ConvNetConfig(predictor_kernel_size=2)
    with pytest.raises(ShapeError, match="square"):
        as_images(np.zeros((2, 10), dtype=np.float32))
    with pytest.raises(ShapeError, match="channels, height, width"):
        ConvNetTrainer(ConvNetConfig(), (8, 8), 3)


def cnn_grid(tmp_path, methods: str, *options: str) -> subprocess.CompletedProcess:
    """dni_feedforward.py's CNN rows on tiny cells (``--smoke``, digits, 3 layers, seed 0) into ``tmp_path``."""
    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_feedforward.py"
    command = [sys.executable, str(script), "--net", "cnn", "--smoke", "--dataset", "digits", "--layers", "3",
               "--methods", methods, "--seeds", "1", "--results-dir", str(tmp_path), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_cnn_smoke_of_the_grid_writes_net_cnn_cells_and_skips_them(tmp_path):
    first = cnn_grid(tmp_path, "no-bprop,cdni")
    assert first.returncode == 0, first.stderr
    cells = json.loads((tmp_path / "dni_feedforward.json").read_text())["cells"]
    assert {(c["net"], c["method"]) for c in cells} == {("cnn", "no-bprop"), ("cnn", "cdni")}
    assert all(c["layers"] == 3 and c["steps"] == 4 and len(c["test_error"]) == 2 for c in cells)
    assert "### The CNN rows" in first.stdout
    again = cnn_grid(tmp_path, "no-bprop,cdni")
    assert again.returncode == 0 and "stored" not in again.stdout


def test_a_longer_budget_adds_cells_beside_the_stored_ones_and_the_tables_show_each_budget(tmp_path):
    short = cnn_grid(tmp_path, "bprop,cdni")
    longer = cnn_grid(tmp_path, "bprop,cdni", "--steps", "6")
    assert short.returncode == 0 and longer.returncode == 0, short.stderr + longer.stderr
    assert "stored" in longer.stdout                              # not skipped: steps is part of the key
    cells = json.loads((tmp_path / "dni_feedforward.json").read_text())["cells"]
    assert sorted((c["method"], c["steps"]) for c in cells) == [("bprop", 4), ("bprop", 6), ("cdni", 4), ("cdni", 6)]
    assert "#### 4 steps" in longer.stdout and "#### 6 steps" in longer.stdout
    assert "cDNI within 1.5 points of Bprop (cDNI − Bprop) — 3: " in longer.stdout   # shown without DNI's cells


def test_label_maps_add_one_learned_image_per_class():
    model = ConvPredictor(channels=2, num_classes=3, kernel_size=3, label_input="maps", activation_size=(4, 4))
    assert model.conv.weight.shape == (2, 2, 3, 3)             # no label planes: the label has its own maps
    assert model.label_maps.shape == (3, 2 * 4 * 4)
    h = Tensor(RNG.random((2, 2, 4, 4)).astype(np.float32))
    np.testing.assert_array_equal(model(h, np.array([0, 1])).detach().numpy(), 0)   # zero-initialised
    pattern = RNG.standard_normal((2, 4, 4)).astype(np.float32)
    model.label_maps.data[1] = pattern.reshape(-1)
    out = model(h, np.array([0, 1])).detach().numpy()
    np.testing.assert_array_equal(out[0], 0)
    np.testing.assert_allclose(out[1], pattern, rtol=1e-6)     # any position-dependent image, not one constant


def test_label_maps_learn_from_the_gradient_of_the_prediction():
    model = ConvPredictor(channels=2, num_classes=3, label_input="maps", activation_size=(4, 4))
    h = Tensor(RNG.random((4, 2, 4, 4)).astype(np.float32))
    labels = np.array([0, 2, 2, 1])
    g = RNG.standard_normal((4, 2, 4, 4)).astype(np.float32)
    (model(h, labels) * Tensor(g)).sum().backward()
    onehot = np.eye(3, dtype=np.float32)[labels]
    np.testing.assert_allclose(model.label_maps.grad.data, onehot.T @ g.reshape(4, -1), rtol=1e-5)   # ∂/∂M = Yᵀ G


def test_label_maps_are_sized_per_block_and_checked():
    t = trainer("cdni", layers=4, label_input="maps")
    sizes = [(4, 4), (2, 2), (1, 1)]                           # 8 → 4 → 2 → 1
    assert [i.model.label_maps.shape for i in t.interfaces] == [(3, 4 * s * s) for s, _ in sizes]
    for _ in range(3):                                          # a lower interface learns from the next one's ĝ
        t.step(IMAGES, LABELS)
    assert all(np.abs(i.model.label_maps.data).sum() > 0 for i in t.interfaces)
    with pytest.raises(InvalidValueError, match="label_input"):
        trainer("cdni", label_input="pixels")
    with pytest.raises(ShapeError, match="needs the activation"):
        ConvPredictor(channels=2, num_classes=3, label_input="maps")
    with pytest.raises(ShapeError, match="label maps"):
        ConvPredictor(2, 3, label_input="maps", activation_size=(2, 2))(Tensor(IMAGES[:, :1].repeat(2, 1)), LABELS)


def test_the_cnn_figure_draws_the_longest_budget_at_which_every_method_has_run(monkeypatch):
    import importlib.util
    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_feedforward.py"
    monkeypatch.syspath_prepend(str(script.parent))  # the script imports its neighbour common.py
    spec = importlib.util.spec_from_file_location("dni_feedforward_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    grid = [{"method": m, "steps": 3000} for m in ("no-bprop", "bprop", "dni", "cdni")]
    probe = [{"method": m, "steps": 6000} for m in ("bprop", "cdni")]
    assert module.longest_complete_budget(grid + probe) == 3000
    assert module.longest_complete_budget(grid + probe + [{"method": m, "steps": 6000} for m in ("no-bprop", "dni")]) == 6000
    assert module.longest_complete_budget(probe) == 6000


def test_the_mlp_conv_predictor_starts_at_zero_and_learns_a_gated_gradient():
    """predictor="mlp": a hidden Conv → BatchNorm → ReLU block, then the zero-initialised convolution.

    ĝ = 0 at the start (the block behind it does not move until the model has learnt), and, unlike the
    linear model, it can fit a target that a ReLU gate switches: g = h · [h > 0] (a rectified copy)."""
    rng = np.random.default_rng(0)
    linear = ConvPredictor(channels=4, kernel_size=3)
    deep = ConvPredictor(channels=4, kernel_size=3, hidden_layers=1, rng=np.random.default_rng(1))
    assert len(deep.parameters()) == len(linear.parameters()) + 4      # conv weight, bias; BN scale, shift
    h = rng.normal(size=(16, 4, 5, 5)).astype(np.float32)
    assert np.all(deep(Tensor(h)).detach().numpy() == 0)
    target = np.maximum(h, 0)
    losses = {}
    for name, model in (("linear", linear), ("mlp", deep)):
        optimizer = Adam(model.parameters(), lr=1e-2)
        for _ in range(600):
            loss = ((model(Tensor(h)) - Tensor(target)) ** 2).mean()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        losses[name] = loss.item()
    assert losses["mlp"] < 0.5 * losses["linear"], losses


def test_a_cnn_trains_with_the_mlp_gradient_model():
    config = ConvNetConfig(method="cdni", layers=3, width=4, kernel_size=3, batch_size=16, steps=3, eval_every=3,
                           predictor="mlp")
    trainer = ConvNetTrainer(config, (1, 8, 8), 10)
    assert all(interface.model.hidden_layers == 1 for interface in trainer.interfaces)
    assert len(trainer.interfaces) == 2


def test_another_gradient_model_adds_cdni_cells_and_its_own_column_while_bprop_cells_serve_both(tmp_path):
    """predictor and label_input are key fields: None for Bprop (it has no gradient model, so a rerun with
    another model skips it), set for cDNI (a new model is a new cell, shown in its own column)."""
    first = cnn_grid(tmp_path, "bprop,cdni")
    other = cnn_grid(tmp_path, "bprop,cdni", "--predictor", "mlp", "--label-input", "maps")
    assert first.returncode == 0 and other.returncode == 0, first.stderr + other.stderr
    assert other.stdout.count("stored {") == 1                    # the cDNI cell only; Bprop's is reused
    cells = json.loads((tmp_path / "dni_feedforward.json").read_text())["cells"]
    assert sorted([(c["method"], c["predictor"], c["label_input"]) for c in cells], key=str) == sorted(
        [("bprop", None, None), ("cdni", "linear", "planes"), ("cdni", "mlp", "maps")], key=str)
    assert "| layers | No Bprop | Bprop | DNI | cDNI | cDNI (mlp M, label maps) |" in other.stdout
    assert "- cDNI (mlp M, label maps) within 1.5 points of Bprop (cDNI (mlp M, label maps) − Bprop) — 3: " \
        in other.stdout


def test_a_wider_network_is_a_grid_of_its_own(tmp_path):
    narrow = cnn_grid(tmp_path, "bprop")
    wide = cnn_grid(tmp_path, "bprop", "--width", "6")
    assert narrow.returncode == 0 and wide.returncode == 0, narrow.stderr + wide.stderr
    assert "stored {" in wide.stdout                               # not skipped: width is part of the key
    cells = json.loads((tmp_path / "dni_feedforward.json").read_text())["cells"]
    assert sorted(c["width"] for c in cells) == [4, 6]
    assert "#### 4 steps, 4 channels" in wide.stdout and "#### 4 steps, 6 channels" in wide.stdout


def _probe_script(monkeypatch):
    import importlib.util
    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_cnn_probe.py"
    monkeypatch.syspath_prepend(str(script.parent))
    spec = importlib.util.spec_from_file_location("dni_cnn_probe_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_probe_block_that_never_updates_keeps_its_weights_and_still_passes_gradients_on(monkeypatch):
    probe = _probe_script(monkeypatch)
    config = ConvNetConfig(method="bprop", layers=4, width=4, kernel_size=3, batch_size=16, steps=3, eval_every=3)
    trainer = probe.ProbeTrainer(config, (1, 8, 8), 10, frozen=(0,))
    before = [p.data.copy() for block in trainer.blocks for p in block.parameters()]
    rng = np.random.default_rng(0)
    trainer.step(rng.normal(size=(16, 1, 8, 8)).astype(np.float32), rng.integers(0, 10, 16))
    after = [p.data for block in trainer.blocks for p in block.parameters()]
    first = len(list(trainer.blocks[0].parameters()))
    assert all(np.array_equal(a, b) for a, b in zip(before[:first], after[:first]))
    assert not all(np.array_equal(a, b) for a, b in zip(before[first:], after[first:]))   # the others learn


def test_the_dense_gradient_model_reaches_every_position_and_starts_at_zero(monkeypatch):
    probe = _probe_script(monkeypatch)
    model = probe.DenseGradientModel((2, 3, 3), num_classes=4)
    h = Tensor(np.random.default_rng(0).normal(size=(5, 2, 3, 3)).astype(np.float32))
    assert model(h, np.arange(5) % 4).shape == (5, 2, 3, 3)
    assert np.all(model(h, np.arange(5) % 4).detach().numpy() == 0)
    model.linear.weight.data[0, -1] = 1.0          # the first value of h moves the last value of ĝ
    assert model(h, np.arange(5) % 4).detach().numpy()[:, -1, -1, -1] == pytest.approx(h.data[:, 0, 0, 0])


def test_the_cnn_probe_smoke_stores_every_probe_and_skips_them_on_a_rerun(tmp_path):
    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_cnn_probe.py"
    command = [sys.executable, str(script), "--smoke", "--steps", "4", "--seeds", "1", "--dataset", "digits",
               "--probes", "Bprop;cDNI, blocks 1–2 never updated;cDNI, dense linear M at every block",
               "--results-dir", str(tmp_path)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    cells = json.loads((tmp_path / "dni_cnn_probes.json").read_text())["cells"]
    assert sorted(c["probe"] for c in cells) == sorted(["Bprop", "cDNI, blocks 1–2 never updated",
                                                         "cDNI, dense linear M at every block"])
    assert all(len(c["true_cosine"]) == (0 if c["probe"] == "Bprop" else 4) for c in cells)
    assert "| cDNI, blocks 1–2 never updated |" in first.stdout and "| − Bprop of the same network |" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "stored" not in again.stdout
    wrong = subprocess.run(command[:-2] + ["--probes", "cDNI, 64 channels"], capture_output=True, text=True)
    assert wrong.returncode != 0 and "unknown 'cDNI, 64 channels'" in wrong.stderr


def test_the_pytorch_reference_smoke_stores_its_cells_and_skips_them(tmp_path):
    pytest.importorskip("torch", reason="the PyTorch reference needs torch (pip install -e '.[peers]')")
    script = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "dni_torch_reference.py"
    command = [sys.executable, str(script), "--smoke", "--steps", "6", "--eval-every", "3", "--seeds", "1",
               "--layers", "3", "--dataset", "digits", "--results-dir", str(tmp_path)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    cells = json.loads((tmp_path / "dni_torch_reference.json").read_text())["cells"]
    assert sorted(c["method"] for c in cells) == ["bprop", "cdni", "dni", "no-bprop"]
    assert all(c["eval_steps"] == [3, 6] and 0 <= c["metric"] <= 100 for c in cells)
    assert "| layers | No Bprop | Bprop | DNI | cDNI | cDNI − Bprop |" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "stored" not in again.stdout
