"""NumPy references for the CUDA kernels: the specification each kernel is tested against.

Every function here has a GPU twin of the same name and signature in kernels.py (NumPy
arrays here, CuPy arrays there), and each states its math the way the kernel comment in
kernels/*.cu does. The in-place optimizer updates are in place here too.

No derivative formula is written here: derivatives are the primitive registry's
(tinygrad_ko/ops), and no kernel computes one (see kernels.py).
"""
from __future__ import annotations

import numpy as np

from . import philox

def sum_rows(a: np.ndarray) -> np.ndarray:
    """out[c] = sum_r a[r, c]: a (R, C) -> (C,)."""
    return a.sum(axis=0)


def mean_std(x: np.ndarray) -> tuple[float, float]:
    """Mean and population std of all elements, two passes in float64, rounded to x's dtype."""
    flat = x.reshape(-1).astype(np.float64)
    mean = flat.sum() / flat.size
    std = np.sqrt(((flat - mean) ** 2).sum() / flat.size)
    return float(x.dtype.type(mean)), float(x.dtype.type(std))


def sgd_momentum_update(theta, velocity, g, *, lr, momentum, weight_decay) -> None:
    """In place: d = g + wd * theta; velocity = momentum * velocity + d; theta -= lr * velocity."""
    d = g + weight_decay * theta
    velocity[...] = momentum * velocity + d
    theta -= lr * velocity


def adam_update(theta, m, v, g, *, lr, beta1, beta2, eps, step) -> None:
    """In place, bias-corrected Adam at step t = step (1 for the first update)."""
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1.0 - beta1**step)
    v_hat = v / (1.0 - beta2**step)
    theta -= lr * m_hat / (np.sqrt(v_hat) + eps)


def goup_update(theta, g, *, alpha, k, s, std, seed, offset) -> None:
    """In place: theta = (1 - k) * theta + alpha * (theta - g + s * std * eps), where
    std = mean_std(theta - g)[1] and eps = philox.normal(theta.size, seed, offset)."""
    eps = philox.normal(theta.size, seed, offset, dtype=theta.dtype).reshape(theta.shape)
    target = theta - g
    theta[...] = (1 - k) * theta + alpha * (target + s * std * eps)


def random_uint32(n: int, seed: int, offset: int) -> np.ndarray:
    """n raw Philox words: element i is word i % 4 of block i // 4 (see philox.py)."""
    return philox.random_uint32(n, seed, offset)


def normal(n: int, seed: int, offset: int, dtype=np.float32) -> np.ndarray:
    """n standard normals, element i is Box-Muller normal i % 4 of Philox block i // 4."""
    return philox.normal(n, seed, offset, dtype)
