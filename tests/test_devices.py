"""Devices: clear errors without CuPy, and no silent mixing of devices in one op."""

import importlib.util

import numpy as np
import pytest

from tinygrad_ko import DeviceError, Tensor
from tinygrad_ko.backend import check_device, device_of

from gpu import needs_gpu

HAS_CUPY = importlib.util.find_spec("cupy") is not None


class FakeGpuArray:
    """Stands in for a CuPy array: only its module name and shape matter to the check."""

    __module__ = "cupy._core.core"
    shape = (3,)


def test_device_names():
    assert check_device("cuda:0") == "cuda" and check_device("CPU") == "cpu"
    with pytest.raises(DeviceError, match="unknown device 'tpu'; use 'cpu' or 'cuda'"):
        check_device("tpu")
    assert device_of(np.ones(2)) == "cpu" and device_of(FakeGpuArray()) == "cuda"


def test_to_the_same_device_is_the_same_tensor():
    x = Tensor(np.ones(3))
    assert x.to("cpu") is x and x.device == "cpu"


@pytest.mark.skipif(HAS_CUPY, reason="CuPy is installed here; this checks the message without it")
def test_cuda_without_cupy_says_what_to_install():
    with pytest.raises(DeviceError, match=r"pip install 'tinygrad_ko\[gpu\]'"):
        Tensor(np.ones(3)).to("cuda")


def test_mixing_devices_names_the_op_and_both_devices():
    cpu = Tensor(np.ones(3))
    gpu = Tensor._from_array(FakeGpuArray())
    with pytest.raises(DeviceError, match=r"add: inputs are on different devices \(\(3,\) on cpu, \(3,\) on cuda\)"):
        cpu + gpu


@needs_gpu
def test_round_trip_and_gradients_on_the_gpu():
    x = Tensor(np.arange(4.0), requires_grad=True)
    on_gpu = x.to("cuda")
    assert on_gpu.device == "cuda"
    y = (on_gpu * on_gpu).sin().sum()
    y.backward()
    assert x.grad.device == "cpu"  # the adjoint was copied back through to_device
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.arange(4.0) * np.cos(np.arange(4.0) ** 2), rtol=1e-12)


def test_module_to_cpu_keeps_the_same_parameter_objects():
    from tinygrad_ko import nn

    model = nn.Sequential(nn.Linear(3, 4, rng=np.random.default_rng(0)), nn.BatchNorm1d(4))
    before = model.parameters()
    assert model.to("cpu") is model and model.device == "cpu"
    assert all(a is b for a, b in zip(model.parameters(), before))


@pytest.mark.skipif(HAS_CUPY, reason="CuPy is installed here; this checks the message without it")
def test_module_to_cuda_without_cupy_is_one_clear_error():
    from tinygrad_ko import nn

    with pytest.raises(DeviceError, match=r"pip install 'tinygrad_ko\[gpu\]'"):
        nn.Linear(3, 4).to("cuda")


@needs_gpu
@pytest.mark.parametrize("optimizer", ["sgd", "adam", "goup"])
def test_digits_mlp_trains_on_the_gpu_as_on_the_cpu(optimizer):
    """Same seed, same network: the GPU run (fused optimizer kernels, CuPy ops) reaches
    the CPU run's test accuracy. GO-UP draws other noise on the GPU (Philox), so it is
    held to the same accuracy within 3 points rather than 1."""
    from tinygrad_ko import nn
    from tinygrad_ko.data import digits
    from tinygrad_ko.optim import GOUP, SGD, Adam
    from tinygrad_ko.train import fit

    make = {"sgd": lambda ps: SGD(ps, lr=0.05, momentum=0.9), "adam": lambda ps: Adam(ps, lr=1e-3),
            "goup": lambda ps: GOUP(ps, lr=0.01, seed=0)}[optimizer]
    accuracy = {}
    for device in ("cpu", "cuda"):
        model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0)).to(device)
        history = fit(model, make(model.parameters()), digits("train"), digits("test"),
                      epochs=10, seed=0, progress=False)
        assert model.parameters()[0].device == device
        accuracy[device] = history.test_accuracy[-1]
    assert accuracy["cpu"] > 0.85
    assert abs(accuracy["cuda"] - accuracy["cpu"]) <= (0.03 if optimizer == "goup" else 0.01)
