"""Compile the CUDA kernels in kernels/*.cu with CuPy and call them on CuPy arrays.

Every wrapper below has a NumPy twin of the same name and signature in kernel_reference.py,
which is its specification. CuPy is imported only when a kernel is first needed, so this
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
ACTIVATIONS = ("tanh", "sigmoid", "relu", "gelu")
# What activation_backward needs from the forward pass: the output y or the input x.
SAVED_FOR_BACKWARD = {"tanh": "y", "sigmoid": "y", "relu": "y", "gelu": "x"}
_SUFFIX = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}


def _both_dtypes(*names: str) -> tuple[str, ...]:
    return tuple(f"{name}_{suffix}" for name in names for suffix in _SUFFIX.values())


# Every extern "C" kernel of every source file; tests check this against the sources.
KERNELS = {
    "activations.cu": _both_dtypes(*(f"{a}_{d}" for a in ACTIVATIONS for d in ("fwd", "bwd"))),
    "softmax_xent.cu": _both_dtypes("softmax_xent_fwd", "softmax_xent_bwd"),
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


def _check_activation(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; known: {ACTIVATIONS}")


# --- activations.cu -------------------------------------------------------------------

def fused_activation(name: str, x):
    """(y, dydx) = (f(x), f'(x)), reading x once."""
    _check_activation(name)
    x = _on_device(x)
    kernel = get_kernel("activations.cu", f"{name}_fwd_{_suffix(x.dtype)}")
    y, dydx = _cupy().empty_like(x), _cupy().empty_like(x)
    kernel(_grid(x.size), (BLOCK,), (x, y, dydx, np.int64(x.size)))
    return y, dydx


def activation_backward(name: str, saved, g):
    """g * f'(x); saved is y or x as SAVED_FOR_BACKWARD[name] says."""
    _check_activation(name)
    saved = _on_device(saved)
    g = _on_device(g, dtype=saved.dtype)
    if g.shape != saved.shape:
        raise ValueError(f"gradient shape {g.shape} does not match {saved.shape}")
    kernel = get_kernel("activations.cu", f"{name}_bwd_{_suffix(saved.dtype)}")
    gx = _cupy().empty_like(saved)
    kernel(_grid(saved.size), (BLOCK,), (saved, g, gx, np.int64(saved.size)))
    return gx


# --- softmax_xent.cu ------------------------------------------------------------------

def _logits_and_labels(z, labels):
    z = _on_device(z)
    labels = _on_device(labels, dtype=np.int64)
    if z.ndim != 2 or z.shape[1] == 0 or labels.shape != z.shape[:1]:
        raise ValueError(f"need logits (B, C) with C >= 1 and labels (B,), got {z.shape} and {labels.shape}")
    return z, labels


def softmax_xent_forward(z, labels):
    """(loss, lse), both (B,), for logits z (B, C) and integer labels (B,)."""
    z, labels = _logits_and_labels(z, labels)
    B, C = z.shape
    kernel = get_kernel("softmax_xent.cu", f"softmax_xent_fwd_{_suffix(z.dtype)}")
    loss, lse = _cupy().empty(B, dtype=z.dtype), _cupy().empty(B, dtype=z.dtype)
    # One block per row, at most MAX_GRID blocks (they loop over the remaining rows).
    kernel((max(1, min(B, MAX_GRID)),), (BLOCK,), (z, labels, loss, lse, np.int64(B), np.int64(C)))
    return loss, lse


def softmax_xent_backward(z, labels, lse, g):
    """dz = (softmax(z) - onehot(labels)) * g_row, with g one value per row (B,) or a scalar."""
    z, labels = _logits_and_labels(z, labels)
    B, C = z.shape
    lse = _on_device(lse, dtype=z.dtype)
    g = _on_device(g, dtype=z.dtype)
    if lse.shape != (B,) or g.shape not in ((B,), ()):
        raise ValueError(f"lse {lse.shape} must be ({B},) and g {g.shape} ({B},) or a scalar")
    g_stride = 1 if g.ndim else 0  # a scalar g is read as g[0] for every row
    kernel = get_kernel("softmax_xent.cu", f"softmax_xent_bwd_{_suffix(z.dtype)}")
    dz = _cupy().empty_like(z)
    kernel(_grid(z.size), (BLOCK,), (z, labels, lse, g.reshape(-1), np.int64(g_stride), dz, np.int64(B), np.int64(C)))
    return dz


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
