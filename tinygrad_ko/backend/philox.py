"""Philox4x32-10 and Box-Muller normals in NumPy, bit-for-bit the same as kernels/philox.cuh.

Philox (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011) is a
counter-based generator: the i-th random block is a pure function of (counter, key),
so a GPU thread can compute the numbers for its own elements without any shared state,
and this NumPy code can compute the very same numbers on the CPU.

How a stream of random numbers is laid out (the GPU kernels use the same rule):

    element i of a draw with (seed, offset) comes from Philox block b = i // 4:
        counter = (b mod 2**32, b // 2**32, offset mod 2**32, offset // 2**32)
        key     = (seed mod 2**32, seed // 2**32)
        (w0, w1, w2, w3) = philox4x32_10(counter, key)
    raw uint32:  element i gets word w[i % 4]
    normal:      (w0, w1) -> Box-Muller -> (n0, n1),  (w2, w3) -> (n2, n3);
                 element i gets n[i % 4]

Box-Muller, with U(w) = (floor(w / 2**9) + 0.5) / 2**23, an exact float32 in (0, 1):
    r = sqrt(-2 ln U(w_even)),  n_even = r cos(2 pi U(w_odd)),  n_odd = r sin(2 pi U(w_odd))
Since U >= 2**-24, |n| <= sqrt(48 ln 2) ~ 5.77: the tails beyond 5.77 sigma are cut off.
"""
from __future__ import annotations

import numpy as np

MASK32 = 0xFFFFFFFF
# Multipliers and Weyl key increments of Philox4x32 (Random123, philox.h).
M0, M1 = 0xD2511F53, 0xCD9E8D57
W0, W1 = 0x9E3779B9, 0xBB67AE85


def _mulhilo(m: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """High and low 32-bit halves of the 64-bit product m * x."""
    product = np.uint64(m) * x.astype(np.uint64)
    return (product >> np.uint64(32)).astype(np.uint32), (product & np.uint64(MASK32)).astype(np.uint32)


def philox4x32_10(counter: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """Philox4x32 with 10 rounds. counter: uint32 array (..., 4); key: two uint32 words.

    Returns a uint32 array (..., 4). One round, with (c0, c1, c2, c3) the counter:
        (hi0, lo0) = M0 * c0,  (hi1, lo1) = M1 * c2          (64-bit products)
        counter    = (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
    and the key grows by (W0, W1) (mod 2**32) before every round but the first.
    """
    c = np.asarray(counter, dtype=np.uint32)
    c0, c1, c2, c3 = c[..., 0], c[..., 1], c[..., 2], c[..., 3]
    k0, k1 = key[0] & MASK32, key[1] & MASK32
    for round_ in range(10):
        if round_ > 0:
            k0, k1 = (k0 + W0) & MASK32, (k1 + W1) & MASK32
        hi0, lo0 = _mulhilo(M0, c0)
        hi1, lo1 = _mulhilo(M1, c2)
        c0, c1, c2, c3 = hi1 ^ c1 ^ np.uint32(k0), lo1, hi0 ^ c3 ^ np.uint32(k1), lo0
    return np.stack([c0, c1, c2, c3], axis=-1)


def _blocks(n: int, seed: int, offset: int) -> np.ndarray:
    """The ceil(n / 4) Philox blocks of a draw, as uint32 (ceil(n / 4), 4)."""
    b = np.arange((n + 3) // 4, dtype=np.uint64)
    counter = np.empty(b.shape + (4,), dtype=np.uint32)
    counter[:, 0] = (b & np.uint64(MASK32)).astype(np.uint32)
    counter[:, 1] = (b >> np.uint64(32)).astype(np.uint32)
    counter[:, 2] = offset & MASK32
    counter[:, 3] = (offset >> 32) & MASK32
    return philox4x32_10(counter, (seed & MASK32, (seed >> 32) & MASK32))


def random_uint32(n: int, seed: int, offset: int) -> np.ndarray:
    """n raw uint32 words: element i is word i % 4 of block i // 4."""
    return _blocks(n, seed, offset).reshape(-1)[:n]


def uniform_open(words: np.ndarray) -> np.ndarray:
    """U(w) = (floor(w / 2**9) + 0.5) / 2**23 in float64, in the open interval (0, 1).

    The value is an odd multiple of 2**-24 below 1, so it is exact in float32 too: the GPU
    computes exactly the same uniforms.
    """
    return ((words >> np.uint32(9)).astype(np.float64) + 0.5) * 2.0**-23


def normal(n: int, seed: int, offset: int, dtype=np.float32) -> np.ndarray:
    """n standard normals by Box-Muller: words (w0, w1) give n0, n1; (w2, w3) give n2, n3.

    Computed in float64 and rounded to dtype; the float32 GPU kernel computes log, sqrt and
    cos/sin in float32, so its values agree to a few float32 ulps, not bit for bit.
    """
    u = uniform_open(_blocks(n, seed, offset))   # (blocks, 4)
    radius = np.sqrt(-2.0 * np.log(u[:, 0::2]))  # from w0 and w2
    angle = 2.0 * np.pi * u[:, 1::2]             # from w1 and w3
    pairs = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=-1)  # (blocks, 2, 2)
    return pairs.reshape(-1)[:n].astype(dtype)
