"""Seeded random generators, and their state as plain data for checkpoints.

Every random stream of a run (the weights' initialisation, the batch order,
GO-UP's noise, the forward gradient's directions) is a ``numpy.random.Generator``
made here from a seed the user passed, so a bad seed is refused in one line.
``generator_state`` / ``generator_from_state`` turn a generator into a dict of
numbers and back, which is what lets a resumed run draw exactly the numbers the
uninterrupted one would have drawn.
"""

from __future__ import annotations

import copy

import numpy as np

from .validate import integer

BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")


def seeded_generator(name: str, seed, error: type[Exception]) -> np.random.Generator:
    """``numpy.random.default_rng(seed)``, with ``seed`` checked first.

    ``seed`` is None (fresh entropy), an integer ≥ 0, a tuple of them (a stream
    apart from the one of the first integer alone), or already a Generator,
    BitGenerator or SeedSequence (used as it is)."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.BitGenerator,
                                         np.random.SeedSequence)):
        return np.random.default_rng(seed)
    if isinstance(seed, (tuple, list)):
        return np.random.default_rng([integer(name, part, minimum=0, error=error) for part in seed])
    return np.random.default_rng(integer(name, seed, minimum=0, error=error))


def generator_state(generator: np.random.Generator) -> dict:
    """A copy of the generator's state: a dict of strings and (large) integers."""
    return copy.deepcopy(generator.bit_generator.state)


def generator_from_state(name: str, state, error: type[Exception]) -> np.random.Generator:
    """A new generator that continues exactly where the one ``state`` came from stopped.

    ``error`` names ``name`` when ``state`` is not a saved generator state."""
    kind = state.get("bit_generator") if isinstance(state, dict) else None
    if kind not in BIT_GENERATORS:
        raise error(f"{name}: not a saved random generator state (expected a dict with "
                    f"'bit_generator' one of {', '.join(BIT_GENERATORS)}), got {type(state).__name__}")
    bit_generator = getattr(np.random, kind)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as problem:
        raise error(f"{name}: damaged random generator state ({problem})") from None
    return np.random.Generator(bit_generator)
