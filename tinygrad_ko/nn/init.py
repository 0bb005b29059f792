"""Initial values for weights, drawn from a seedable generator.

Why the scale matters: a layer y = x W with n_in inputs multiplies the variance
of its input by n_in · Var(W). To keep signals from growing or vanishing
layer after layer,

* **Xavier/Glorot** (for tanh, sigmoid): Var(W) = 2 / (n_in + n_out), a
  compromise between the forward pass (n_in) and the backward pass (n_out);
* **He/Kaiming** (for ReLU, which zeroes half its inputs): Var(W) = 2 / n_in.

A uniform U(−a, a) has variance a²/3, so the uniform versions use a = √(3·Var).

Every function takes ``rng``, a ``numpy.random.Generator``; without one it uses
the module's default generator, which ``manual_seed(seed)`` resets — so
``manual_seed(0)`` followed by building a network always gives the same weights.
Weights are stored as (n_in, n_out): a Linear layer computes ``x @ W + b``.
"""

from __future__ import annotations

import math
import os

import numpy as np

from ..backend import default_dtype
from ..errors import InvalidValueError, ShapeError

_default_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Reset the default generator used when no ``rng`` is given; return it."""
    global _default_generator
    _default_generator = np.random.default_rng(seed)
    return _default_generator


def default_generator() -> np.random.Generator:
    """The generator used when an initialiser or layer gets no ``rng``."""
    return _default_generator


def available_memory() -> int | None:
    """Bytes of memory free for a new array (Linux's MemAvailable), or None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def readable_bytes(count: float) -> str:
    """``count`` bytes in decimal units: '76.8 GB'."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if count < 1000:
            return f"{count:.3g} {unit}"
        count /= 1000
    return f"{count:.3g} PB"


def check_memory_for(what: str, shape, dtype) -> None:
    """InvalidValueError, before anything is allocated, if a weight of ``shape`` cannot fit.

    Drawing a weight makes the float64 draws and then their ``dtype`` copy, so
    it needs (8 + itemsize) bytes per entry for a moment. Asking for more than
    is free would either fail deep inside NumPy or push the machine into swap."""
    needed = math.prod(shape) * (8 + np.dtype(dtype).itemsize)
    available = available_memory()
    if available is not None and needed > available:
        raise InvalidValueError(
            f"{what}: a weight of shape {tuple(shape)} needs {readable_bytes(needed)} to initialise, "
            f"more than the {readable_bytes(available)} of memory available; use smaller layers")


def _fans(shape) -> tuple[int, int]:
    """(n_in, n_out) of a weight of ``shape``; (in, out) for a matrix."""
    if len(shape) < 2:
        raise ShapeError(f"fan-in and fan-out need a weight with at least 2 axes, not shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def uniform(shape, bound: float, rng=None, dtype=None) -> np.ndarray:
    """An array of ``shape`` with entries from U(−bound, bound)."""
    rng = _default_generator if rng is None else rng
    return rng.uniform(-bound, bound, size=shape).astype(dtype or default_dtype())


def normal(shape, std: float, rng=None, dtype=None) -> np.ndarray:
    """An array of ``shape`` with entries from N(0, std²)."""
    rng = _default_generator if rng is None else rng
    return (std * rng.standard_normal(size=shape)).astype(dtype or default_dtype())


def xavier_uniform(shape, gain: float = 1.0, rng=None, dtype=None) -> np.ndarray:
    """Glorot: U(−a, a) with a = gain · √(6 / (n_in + n_out))."""
    fan_in, fan_out = _fans(shape)
    return uniform(shape, gain * math.sqrt(6.0 / (fan_in + fan_out)), rng, dtype)


def xavier_normal(shape, gain: float = 1.0, rng=None, dtype=None) -> np.ndarray:
    """Glorot: N(0, σ²) with σ = gain · √(2 / (n_in + n_out))."""
    fan_in, fan_out = _fans(shape)
    return normal(shape, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng, dtype)


def he_uniform(shape, rng=None, dtype=None) -> np.ndarray:
    """He/Kaiming for ReLU: U(−a, a) with a = √(6 / n_in), so Var = 2 / n_in."""
    fan_in, _ = _fans(shape)
    return uniform(shape, math.sqrt(6.0 / fan_in), rng, dtype)


def he_normal(shape, rng=None, dtype=None) -> np.ndarray:
    """He/Kaiming for ReLU: N(0, 2 / n_in)."""
    fan_in, _ = _fans(shape)
    return normal(shape, math.sqrt(2.0 / fan_in), rng, dtype)


INITIALISERS = {
    "xavier": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he": he_uniform,
    "he_normal": he_normal,
}


def initial_weight(kind: str, shape, rng=None, dtype=None) -> np.ndarray:
    """A weight of ``shape`` from the initialiser named ``kind`` (see ``INITIALISERS``)."""
    if kind not in INITIALISERS:
        raise ValueError(f"unknown initialiser {kind!r}; choose one of {', '.join(INITIALISERS)}")
    return INITIALISERS[kind](shape, rng=rng, dtype=dtype)
