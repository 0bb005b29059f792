"""Devices: clear errors without CuPy, and no silent mixing of devices in one op."""

import importlib.util

import numpy as np
import pytest

from tinygrad_ko import DeviceError, Tensor
from tinygrad_ko.backend import check_device, device_of

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


def _cuda_usable() -> bool:
    if not HAS_CUPY:
        return False
    import cupy

    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


needs_gpu = pytest.mark.skipif(not _cuda_usable(), reason="needs CuPy and a CUDA device")


@pytest.mark.gpu
@needs_gpu
def test_round_trip_and_gradients_on_the_gpu():
    x = Tensor(np.arange(4.0), requires_grad=True)
    on_gpu = x.to("cuda")
    assert on_gpu.device == "cuda"
    y = (on_gpu * on_gpu).sin().sum()
    y.backward()
    assert x.grad.device == "cpu"  # the adjoint was copied back through to_device
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.arange(4.0) * np.cos(np.arange(4.0) ** 2), rtol=1e-12)
