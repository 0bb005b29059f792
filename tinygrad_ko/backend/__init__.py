"""Array backends and the dtype policy.

Every primitive's forward is written with NumPy functions. CuPy arrays dispatch
through NumPy's own protocols (``__array_ufunc__`` / ``__array_function__``), so
the same forward code runs on the GPU; ``array_module(x)`` names the module
explicitly where a function has no such dispatch.

Dtype policy (the same as PyTorch's, written down in one place):

* Floating NumPy arrays keep their dtype (float16, float32 or float64).
* Python numbers, lists, and integer or bool arrays become the *default dtype*,
  float32 unless changed with ``set_default_dtype``.
* A Python scalar mixed with a tensor takes the tensor's dtype (``x * 2`` keeps
  float32); two tensors of different float dtypes promote as NumPy does
  (float32 with float64 gives float64).
* A gradient or tangent always has the dtype of the value it belongs to.
* Comparisons give bool tensors, which never take part in differentiation.
"""

from __future__ import annotations

import numpy as np

from ..errors import DTypeError
from .device import (check_device, cupy_module, default_device, device_of, move,
                     set_default_device)

_FLOAT_DTYPES = (np.float16, np.float32, np.float64)
_default_dtype = np.dtype(np.float32)


def default_dtype() -> np.dtype:
    """The dtype given to Python numbers and integer data."""
    return _default_dtype


def set_default_dtype(dtype) -> None:
    """Set the dtype given to Python numbers and integer data (float32 or float64)."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.type not in _FLOAT_DTYPES:
        raise DTypeError(f"default dtype must be float16, float32 or float64, not {dtype}")
    _default_dtype = dtype


def array_module(array):
    """Return ``numpy`` or ``cupy``, whichever owns ``array``."""
    if type(array).__module__.startswith("cupy"):
        import cupy

        return cupy
    return np


def to_float_array(value, dtype=None):
    """Turn ``value`` into a floating array following the dtype policy above."""
    if dtype is not None:
        dtype = np.dtype(dtype)
        xp = array_module(value)
        return xp.asarray(value, dtype=dtype)
    if type(value) in (float, int, bool):  # a Python number (not np.float64, a float subclass): default dtype
        return np.asarray(value, dtype=_default_dtype)
    if isinstance(value, np.ndarray) or type(value).__module__.startswith("cupy"):
        if value.dtype.type in _FLOAT_DTYPES:
            return value
        if value.dtype.kind in "biu":
            return value.astype(_default_dtype)
        raise DTypeError(f"cannot make a tensor from an array of dtype {value.dtype}")
    if isinstance(value, np.generic) and value.dtype.type in _FLOAT_DTYPES:
        return np.asarray(value)
    if isinstance(value, (int, float)):  # int and float subclasses
        return np.asarray(value, dtype=_default_dtype)
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise DTypeError(f"cannot make a tensor from {type(value).__name__}: {error}") from None
    if array.dtype.kind not in "biuf":
        raise DTypeError(f"cannot make a tensor from {type(value).__name__} (dtype {array.dtype})")
    return array.astype(_default_dtype)
