"""Compile the CUDA kernels in kernels/*.cu with CuPy and call them on CuPy arrays.

Every wrapper below has a NumPy twin of the same name and signature in kernel_reference.py,
which is its specification.

No kernel here computes a derivative. Derivative rules live in one place, the primitive
registry (tinygrad_ko/ops), and a kernel that computed one would have to be the CuPy
implementation of a registry entry's forward and VJP — a fused primitive, which the design
admits only where it is measurably faster. The fused tanh/sigmoid/relu/gelu and
softmax-cross-entropy kernels that once lived here (activations.cu, softmax_xent.cu) were not
that: no primitive ran them, they carried a second copy of the derivatives (gelu's existed
nowhere else), and no GPU measurement ever showed they paid. So they were removed rather than
wired into the engine's backward pass untested. What remains are the optimizer updates, the
reductions they need and the Philox normals: arithmetic on parameters, not derivative rules. CuPy is imported only when a kernel is first needed, so this
module imports fine on a machine without CuPy or a GPU.

Kernel sources are found as the package tinygrad_ko.kernels when installed, or in the
kernels/ folder of a source checkout. Each file is compiled once per device, with local
`#include "x.cuh"` lines pasted in first: CuPy caches compiled code keyed by the source
text, so this way an edit to a header also triggers a recompile.
"""
from __future__ import annotations

import functools
import importlib.resources
import math
import re
from pathlib import Path

import numpy as np

BLOCK = 256  # threads per block of the elementwise kernels
MAX_GRID = 65535  # blocks at most; the kernels' grid-stride loops cover any n with that
_SUFFIX = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}


def _both_dtypes(*names: str) -> tuple[str, ...]:
    return tuple(f"{name}_{suffix}" for name in names for suffix in _SUFFIX.values())


# Every extern "C" kernel of every source file; tests check this against the sources.
KERNELS = {
    "reduce.cu": _both_dtypes("sum_rows", "mean_std"),
    "optim.cu": _both_dtypes("sgd_momentum", "adam", "goup"),
    "random.cu": ("philox_uint32",) + _both_dtypes("normal"),
}


def kernel_dir() -> Path:
    """The folder holding the .cu files: installed package first, then the source checkout."""
    try:
        return Path(str(importlib.resources.files("tinygrad_ko.kernels")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "kernels"


_LOCAL_INCLUDE = re.compile(r'^#include "([\w.]+)"$', re.MULTILINE)


def kernel_source(file: str) -> str:
    """The text of kernels/<file> with its local #include "x.cuh" lines replaced by x.cuh."""
    text = (kernel_dir() / file).read_text()
    return _LOCAL_INCLUDE.sub(lambda match: kernel_source(match.group(1)), text)


def _cupy():
    try:
        import cupy
    except ImportError as error:
        raise ImportError(
            "the GPU kernels need CuPy: pip install cupy-cuda13x (or pip install 'tinygrad_ko[gpu]')"
        ) from error
    return cupy


@functools.lru_cache(maxsize=None)
def _module(file: str, device: int):
    """kernels/<file> compiled for `device`, which must be the current device: CuPy compiles
    the module (with NVRTC) for the current device when a first kernel is taken from it."""
    return _cupy().RawModule(code=kernel_source(file), options=("-std=c++17",))


@functools.lru_cache(maxsize=None)
def _function(file: str, name: str, device: int):
    return _module(file, device).get_function(name)


def get_kernel(file: str, name: str):
    """The compiled kernel `name` of kernels/<file> for the current device (cached)."""
    if name not in KERNELS.get(file, ()):
        raise KeyError(f"no kernel {name!r} in {file}; known: {KERNELS.get(file)}")
    return _function(file, name, _cupy().cuda.runtime.getDevice())


def _grid(n: int) -> tuple[int]:
    """Enough blocks of BLOCK threads for n items (at least 1, at most MAX_GRID)."""
    return (max(1, min(math.ceil(n / BLOCK), MAX_GRID)),)


def _suffix(dtype) -> str:
    try:
        return _SUFFIX[np.dtype(dtype)]
    except KeyError:
        raise TypeError(f"the GPU kernels take float32 or float64, not {np.dtype(dtype)}") from None


def _on_device(x, dtype=None):
    """x as a C-contiguous CuPy array (copied only if needed)."""
    return _cupy().asarray(x, dtype=dtype, order="C")


def _check_in_place(*arrays) -> None:
    """Buffers updated in place must be C-contiguous CuPy arrays of one shape and dtype."""
    cp = _cupy()
    first = arrays[0]
    for a in arrays:
        if not isinstance(a, cp.ndarray) or not a.flags.c_contiguous:
            raise ValueError("optimizer buffers must be C-contiguous CuPy arrays (updated in place)")
        if a.shape != first.shape or a.dtype != first.dtype:
            raise ValueError(f"buffer of {a.shape} {a.dtype} does not match {first.shape} {first.dtype}")


# --- reduce.cu ------------------------------------------------------------------------

def sum_rows(a):
    """out[c] = sum_r a[r, c]: a (R, C) -> (C,)."""
    a = _on_device(a)
    R, C = a.shape
    kernel = get_kernel("reduce.cu", f"sum_rows_{_suffix(a.dtype)}")
    out = _cupy().empty(C, dtype=a.dtype)
    tiles = max(1, min(math.ceil(C / 32), MAX_GRID))  # one block per tile of 32 columns
    kernel((tiles,), (32, 8), (a, out, np.int64(R), np.int64(C)))  # blockDim fixed by reduce.cu
    return out


def mean_std(x) -> tuple[float, float]:
    """Mean and population std of all elements of x, as Python floats."""
    x = _on_device(x)
    kernel = get_kernel("reduce.cu", f"mean_std_{_suffix(x.dtype)}")
    out = _cupy().empty(2, dtype=x.dtype)
    kernel((1,), (1024,), (x, out, np.int64(x.size)))  # one block does it all
    mean, std = out.tolist()
    return mean, std


# --- optim.cu -------------------------------------------------------------------------

def sgd_momentum_update(theta, velocity, g, *, lr, momentum, weight_decay) -> None:
    """In place: d = g + wd * theta; velocity = momentum * velocity + d; theta -= lr * velocity."""
    g = _on_device(g)  # read only: any layout will do
    _check_in_place(theta, velocity, g)
    t = theta.dtype.type
    kernel = get_kernel("optim.cu", f"sgd_momentum_{_suffix(theta.dtype)}")
    kernel(_grid(theta.size), (BLOCK,), (theta, velocity, g, t(lr), t(momentum), t(weight_decay), np.int64(theta.size)))


def adam_update(theta, m, v, g, *, lr, beta1, beta2, eps, step) -> None:
    """In place, bias-corrected Adam at step t = step (1 for the first update)."""
    g = _on_device(g)  # read only: any layout will do
    _check_in_place(theta, m, v, g)
    if step < 1:
        raise ValueError(f"Adam steps count from 1, got {step}")
    t = theta.dtype.type
    kernel = get_kernel("optim.cu", f"adam_{_suffix(theta.dtype)}")
    kernel(_grid(theta.size), (BLOCK,),
           (theta, m, v, g, t(lr), t(beta1), t(beta2), t(eps), np.int64(step), np.int64(theta.size)))


def goup_update(theta, g, *, alpha, k, s, std, seed, offset) -> None:
    """In place: theta = (1 - k) * theta + alpha * (theta - g + s * std * eps), with
    std = mean_std(theta - g)[1] and eps the Philox normals of (seed, offset)."""
    g = _on_device(g)  # read only: any layout will do
    _check_in_place(theta, g)
    t = theta.dtype.type
    kernel = get_kernel("optim.cu", f"goup_{_suffix(theta.dtype)}")
    n_blocks = (theta.size + 3) // 4  # one thread per 4 elements (one Philox block)
    kernel(_grid(n_blocks), (BLOCK,),
           (theta, g, t(alpha), t(k), t(s), t(std), np.uint64(seed), np.uint64(offset), np.int64(theta.size)))


# --- random.cu ------------------------------------------------------------------------

def random_uint32(n: int, seed: int, offset: int):
    """n raw Philox words: element i is word i % 4 of block i // 4."""
    kernel = get_kernel("random.cu", "philox_uint32")
    out = _cupy().empty(n, dtype=np.uint32)
    kernel(_grid((n + 3) // 4), (BLOCK,), (out, np.uint64(seed), np.uint64(offset), np.int64(n)))
    return out


def normal(n: int, seed: int, offset: int, dtype=np.float32):
    """n standard normals: element i is Box-Muller normal i % 4 of Philox block i // 4."""
    kernel = get_kernel("random.cu", f"normal_{_suffix(dtype)}")
    out = _cupy().empty(n, dtype=dtype)
    kernel(_grid((n + 3) // 4), (BLOCK,), (out, np.uint64(seed), np.uint64(offset), np.int64(n)))
    return out
