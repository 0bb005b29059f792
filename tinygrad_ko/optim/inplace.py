"""Optimizer updates on NumPy without full-size temporaries, in blocks.

``theta -= lr * grad`` reads well, but NumPy first makes ``lr * grad``: a new
array as large as the parameter, for every parameter at every step. Adam's
five lines make six such arrays. On the GPU one fused kernel per parameter
avoids them (``kernels/optim.cu``); on the CPU the same effect comes from
walking the parameter in blocks of ``BLOCK`` elements, each through a small
scratch buffer that is made once and reused::

    for t, g in blocks(theta, grad):      # matching flat views, BLOCK elements each
        s = scratch(0, len(t), t.dtype)
        np.multiply(g, lr, out=s)         # lr · g, into the scratch
        np.subtract(t, s, out=t)          # θ ← θ − lr · g, in place

Every element goes through the same operations in the same order as in the
one-line formula, so the result is the same, bit for bit (the golden tests in
``tests/test_optim_inplace.py`` compare with the formulas); only the memory
differs — a block stays in the cache between its operations, too.

A parameter (or a state buffer) that is not one contiguous block of memory
cannot be walked as flat views that write through: ``contiguous`` says so,
and the optimizers then use the formula as written.
"""

from __future__ import annotations

import numpy as np

BLOCK = 1 << 18
"""Elements per block: 1 MiB of float32 (a 784 × 256 weight is one block), about a core's L2 cache.

Larger than it need be for the cache alone: every block costs two NumPy calls of
Python overhead, and with 1 << 16 the four blocks of a 784 × 256 weight made
plain SGD slower than ``theta -= lr * grad`` (issue 17); the memory saved at
H = 2048 is the same (one 1 MiB scratch in place of a 16 MiB temporary)."""


def contiguous(*arrays) -> bool:
    """True when every array is a C-contiguous NumPy array (flat views of it write through)."""
    for a in arrays:  # (a loop, not all(...): an update asks this for every parameter at every step)
        if type(a) is not np.ndarray or not a.flags.c_contiguous:
            return False
    return True


def blocks(*arrays) -> list:
    """Matching flat views of ``arrays`` (all of one size), ``BLOCK`` elements at a time:
    a list of blocks, each a list with one view per array. An array of at most ``BLOCK``
    elements is one block, its flat views themselves (most parameters are)."""
    flat = [a.reshape(-1) for a in arrays]
    size = flat[0].size
    if size <= BLOCK:
        return [flat]
    return [[f[start:start + BLOCK] for f in flat] for start in range(0, size, BLOCK)]


class Scratch:
    """A few reusable buffers of ``BLOCK`` elements per dtype, made at first use."""

    def __init__(self):
        self.buffers: dict[tuple, np.ndarray] = {}

    def __call__(self, number: int, length: int, dtype) -> np.ndarray:
        """Scratch buffer ``number`` (0, 1, …) of ``dtype``, ``length`` elements long."""
        key = (number, dtype if isinstance(dtype, np.dtype) else np.dtype(dtype))
        buffer = self.buffers.get(key)
        if buffer is None:
            buffer = self.buffers[key] = np.empty(BLOCK, dtype=dtype)
        return buffer[:length]
