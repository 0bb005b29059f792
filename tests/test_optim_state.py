"""Optimizer state_dict / load_state_dict: a restored optimizer continues bit for bit,
the state is plain host data, and a bad state changes nothing."""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, nn
from tinygrad_ko.optim import GOUP, SGD, Adam, ForwardGradient, NoisySGD, OptimizerError

OPTIMIZERS = {
    "sgd-momentum": lambda params, seed: SGD(params, 0.05, momentum=0.9, weight_decay=1e-3),
    "adam": lambda params, seed: Adam(params, 0.01),
    "goup": lambda params, seed: GOUP(params, 0.05, seed=seed),
    "sgd-noise": lambda params, seed: NoisySGD(params, 0.05, seed=seed),
}


def make_parameters():
    generator = np.random.default_rng(0)
    return [nn.Parameter(generator.standard_normal((4, 3))), nn.Parameter(generator.standard_normal(3)),
            nn.Parameter(0.5)]


def take_steps(optimizer, steps):
    """Steps whose gradients depend on the weights, so any difference in state shows."""
    for _ in range(steps):
        for p in optimizer.params:
            p.grad = Tensor(0.3 * p.data * p.data - 0.2 * p.data + 0.1)
        optimizer.step()


def copy_weights(params):
    return [p.data.copy() for p in params]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_restored_optimizer_continues_bit_for_bit(name):
    params = make_parameters()
    optimizer = OPTIMIZERS[name](params, 1)
    take_steps(optimizer, 5)
    weights, state = copy_weights(params), optimizer.state_dict()
    take_steps(optimizer, 7)
    uninterrupted = copy_weights(params)

    resumed_params = make_parameters()
    for p, w in zip(resumed_params, weights):
        p.data[...] = w
    resumed = OPTIMIZERS[name](resumed_params, 99)         # another seed: the state must bring its own
    resumed.load_state_dict(state)
    take_steps(resumed, 7)
    for a, b in zip(uninterrupted, copy_weights(resumed_params)):
        assert np.array_equal(a, b)
    assert resumed.steps == optimizer.steps == 12


def test_the_state_is_host_data_and_a_copy():
    params = make_parameters()
    optimizer = Adam(params, 0.01)
    take_steps(optimizer, 2)
    state = optimizer.state_dict()
    assert state["optimizer"] == "Adam" and state["steps"] == 2
    assert state["settings"] == {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0}
    m = state["state"][0]["m"]
    assert type(m) is np.ndarray and state["state"][0]["t"] == 2
    m[...] = 123.0
    assert not np.any(optimizer.state[0]["m"] == 123.0)


def test_goup_state_holds_its_generator():
    optimizer = GOUP(make_parameters(), 0.05, seed=3)
    state = optimizer.state_dict()
    assert state["rng"]["bit_generator"] == "PCG64"
    assert state["philox_key"] is None and state["philox_draws"] == 0


def test_settings_come_back_with_the_state():
    source = Adam(make_parameters(), 0.003, betas=(0.8, 0.99))
    target = Adam(make_parameters(), 0.1)
    target.load_state_dict(source.state_dict())
    assert (target.lr, target.beta1, target.beta2) == (0.003, 0.8, 0.99)


def bad_last_parameter_state(state):
    state["state"][-1]["velocity"] = np.zeros(7)


def bad_setting(state):
    state["settings"]["lr"] = math.nan


def bad_generator(state):
    state["rng"] = {"bit_generator": "PCG64", "state": "not a state"}


@pytest.mark.parametrize("make, damage, message", [
    (lambda p: SGD(p, 0.05, momentum=0.9), bad_last_parameter_state, r"state\[2\]\['velocity'\] has shape \(7,\)"),
    (lambda p: SGD(p, 0.05, momentum=0.9), bad_setting, r"lr \(the learning rate\) must be a finite number"),
    (lambda p: GOUP(p, 0.05, seed=1), bad_generator, r"rng: damaged random generator state"),
    (lambda p: SGD(p, 0.05, momentum=0.9), lambda s: s.update(optimizer="Adam"),
     "the state was saved by Adam; this optimizer is SGD"),
    (lambda p: SGD(p, 0.05, momentum=0.9), lambda s: s["state"].pop(),
     "the state holds 2 parameters' state; this optimizer has 3 parameters"),
    (lambda p: SGD(p, 0.05, momentum=0.9), lambda s: s["state"][0].update(m=np.zeros(3)),
     r"state\[0\] has unknown entries \['m'\]"),
    (lambda p: SGD(p, 0.05, momentum=0.9), lambda s: s.pop("steps"), "missing entries \\['steps'\\]"),
])
def test_a_bad_state_is_refused_and_changes_nothing(make, damage, message):
    params = make_parameters()
    optimizer = make(params)
    take_steps(optimizer, 3)
    state = optimizer.state_dict()
    damage(state)
    optimizer.lr = 0.02
    before = optimizer.state_dict()
    with pytest.raises(OptimizerError, match=message):
        optimizer.load_state_dict(state)
    after = optimizer.state_dict()
    assert after["settings"] == before["settings"] and after["steps"] == before["steps"]
    for old, new in zip(before["state"], after["state"]):
        assert old.keys() == new.keys() and all(np.array_equal(old[k], new[k]) for k in old)
    assert after.get("rng") == before.get("rng")


def test_forward_gradient_state_restores_its_directions():
    params = make_parameters()
    estimator = ForwardGradient(2, seed=5)
    estimator.random_tangents(params)
    state = estimator.state_dict()
    expected = [t.numpy() for t in estimator.random_tangents(params)]
    restored = ForwardGradient(2, seed=0)
    restored.load_state_dict(state)
    assert all(np.array_equal(a, t.numpy()) for a, t in zip(expected, restored.random_tangents(params)))
    with pytest.raises(OptimizerError, match="directions must be an integer ≥ 1"):
        restored.load_state_dict({**state, "directions": 0})


# ---------------------------------------------------------------------- GPU
from gpu import needs_gpu  # noqa: E402  (tests/gpu.py: skips, saying why, without CuPy and a device)


def on_gpu(params):
    """The parameters with their arrays moved to the GPU in place (as Module.to does)."""
    from tinygrad_ko.backend import move

    for p in params:
        p.data = move(p.data, "cuda")
    return params


@needs_gpu
@pytest.mark.parametrize("name", ["sgd-momentum", "adam", "goup"])
def test_gpu_state_is_saved_on_the_host_and_resumes_bit_for_bit(name, tmp_path):
    """The fused GPU kernels' state (velocity, moments, Philox key and draws) through a checkpoint file."""
    import tinygrad_ko

    params = on_gpu(make_parameters())
    optimizer = OPTIMIZERS[name](params, 1)
    take_steps(optimizer, 4)
    weights = [p.numpy().copy() for p in params]
    tinygrad_ko.save({"optimizer": optimizer.state_dict()}, tmp_path / "gpu.ckpt")
    for entry in optimizer.state_dict()["state"][0].values():
        assert not hasattr(entry, "device")                    # host data: NumPy arrays and numbers
    take_steps(optimizer, 5)
    uninterrupted = [p.numpy() for p in params]

    resumed_params = on_gpu([nn.Parameter(w) for w in weights])
    resumed = OPTIMIZERS[name](resumed_params, 99)
    resumed.load_state_dict(tinygrad_ko.load(tmp_path / "gpu.ckpt")["optimizer"])
    take_steps(resumed, 5)
    assert all(np.array_equal(a, p.numpy()) for a, p in zip(uninterrupted, resumed_params))
