"""Devices: "cpu" (NumPy) and "cuda" (CuPy, imported only when asked for)."""

from __future__ import annotations

import numpy as np

from ..errors import DeviceError

DEVICES = ("cpu", "cuda")
_default_device = "cpu"


def check_device(device: str) -> str:
    """``device`` as "cpu" or "cuda" ("cuda:0" is accepted as "cuda")."""
    name = str(device).split(":")[0].lower()
    if name not in DEVICES:
        raise DeviceError(f"unknown device {device!r}; use 'cpu' or 'cuda'")
    return name


def cupy_module():
    """Import CuPy and check that a CUDA device is there, with errors that say what to install."""
    try:
        import cupy
    except ImportError:
        raise DeviceError(
            "device 'cuda' needs CuPy: pip install 'tinygrad_ko[gpu]' "
            "(or the cupy-cudaXXx wheel matching your CUDA version)") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CuPy raises its own CUDARuntimeError without a driver
        raise DeviceError(f"CuPy is installed but no CUDA device can be used: {error}") from None
    if count == 0:
        raise DeviceError("CuPy is installed but this machine has no CUDA device")
    return cupy


def device_of(array) -> str:
    """The device an array lives on."""
    return "cuda" if type(array).__module__.startswith("cupy") else "cpu"


def move(array, device: str):
    """``array`` on ``device`` (the same object when it is already there)."""
    device = check_device(device)
    if device_of(array) == device:
        return array
    if device == "cuda":
        return cupy_module().asarray(array)
    return array.get()


def default_device() -> str:
    """The device new tensors are made on."""
    return _default_device


def set_default_device(device: str) -> None:
    """Make new tensors on ``device`` ("cpu" or "cuda"); checks that CUDA is usable."""
    global _default_device
    device = check_device(device)
    if device == "cuda":
        cupy_module()
    _default_device = device


def is_cpu_array(array) -> bool:
    return isinstance(array, (np.ndarray, np.generic))
