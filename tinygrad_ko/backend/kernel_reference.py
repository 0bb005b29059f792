"""NumPy references for the CUDA kernels: the specification each kernel is tested against.

Every function here has a GPU twin of the same name and signature in kernels.py (NumPy
arrays here, CuPy arrays there), and each states its math the way the kernel comment in
kernels/*.cu does. The in-place optimizer updates are in place here too.
"""
from __future__ import annotations

import math

import numpy as np

from . import array_module, philox

# Python floats, not NumPy scalars, so float32 inputs stay float32 (NEP 50).
GELU_C = math.sqrt(2.0 / math.pi)
GELU_A = 0.044715


def _activation_value(name: str, x: np.ndarray) -> np.ndarray:
    xp = array_module(x)   # NumPy here; CuPy when the benchmark times this as the plain path
    if name == "tanh":
        return xp.tanh(x)
    if name == "sigmoid":
        return 1.0 / (1.0 + xp.exp(-x))
    if name == "relu":
        return xp.where(x > 0, x, 0)
    if name == "gelu":
        return 0.5 * x * (1.0 + xp.tanh(GELU_C * (x + GELU_A * x**3)))
    raise ValueError(f"unknown activation {name!r}")


def _activation_slope(name: str, saved: np.ndarray) -> np.ndarray:
    """f'(x) from the saved tensor: y for tanh, sigmoid and relu, x for gelu."""
    if name == "tanh":
        return 1.0 - saved**2
    if name == "sigmoid":
        return saved * (1.0 - saved)
    if name == "relu":
        return (saved > 0).astype(saved.dtype)
    if name == "gelu":
        x = saved
        t = array_module(x).tanh(GELU_C * (x + GELU_A * x**3))
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t**2) * GELU_C * (1.0 + 3.0 * GELU_A * x**2)
    raise ValueError(f"unknown activation {name!r}")


def fused_activation(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(y, dydx) = (f(x), f'(x)) for f in tanh, sigmoid, relu, gelu (tanh approximation)."""
    with np.errstate(over="ignore"):  # sigmoid: exp(-x) = inf for x << 0 gives y = 0, as wanted
        y = _activation_value(name, x)
    saved = x if name == "gelu" else y
    return y, _activation_slope(name, saved)


def activation_backward(name: str, saved: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g * f'(x), where saved is the forward output y (tanh, sigmoid, relu) or input x (gelu)."""
    return g * _activation_slope(name, saved)


def softmax_xent_forward(z: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(loss, lse) per row of z (B, C): lse = m + log(sum exp(z - m)), m = row max;
    loss = lse - z[label]; loss is NaN where the label is outside [0, C)."""
    B, C = z.shape
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    valid = (labels >= 0) & (labels < C)
    picked = z[np.arange(B), np.where(valid, labels, 0)]
    loss = np.where(valid, lse - picked, np.nan)
    return loss, lse


def softmax_xent_backward(z: np.ndarray, labels: np.ndarray, lse: np.ndarray, g) -> np.ndarray:
    """dz = (softmax(z) - onehot(labels)) * g_row; g is one value per row (B,) or a scalar."""
    g = np.asarray(g, dtype=z.dtype)
    g_row = g.reshape(-1, 1) if g.ndim else g
    onehot = labels[:, None] == np.arange(z.shape[1])
    return (np.exp(z - lse[:, None]) - onehot) * g_row


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
