"""Mini-batches over NumPy arrays, shuffled reproducibly."""

import numpy as np

from ..generators import generator_from_state, generator_state, seeded_generator
from ..validate import integer
from .errors import DatasetError


class DataLoader:
    """Iterate over ``(xb, yb)`` mini-batches of the arrays ``X`` and ``y``.

    Each ``iter()`` is one epoch. With ``shuffle=True`` every epoch draws a new
    permutation from a ``numpy.random.Generator`` seeded with ``seed``, so two
    loaders built with the same seed give the same batches epoch after epoch.
    The last batch is smaller when ``batch_size`` does not divide the number of
    samples, unless ``drop_last=True`` leaves it out. ``len()`` is the number of
    batches per epoch. ``state_dict()`` / ``load_state_dict()`` save and restore
    the generator, so a resumed run sees the batches the uninterrupted one would.
    """

    def __init__(self, X, y, batch_size, shuffle=True, seed=None, drop_last=False):
        """Keep the arrays and the options; draw nothing until the first epoch."""
        if len(X) != len(y):
            raise DatasetError(f"X has {len(X)} samples but y has {len(y)}; they must match")
        self.X, self.y = X, y
        self.batch_size = integer("batch_size", batch_size, minimum=1, error=DatasetError)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.rng = seeded_generator("seed", seed, DatasetError)

    def state_dict(self):
        """The options and the generator's state, as plain data (the arrays are not saved)."""
        return {"batch_size": self.batch_size, "shuffle": self.shuffle, "drop_last": self.drop_last,
                "rng": generator_state(self.rng)}

    def load_state_dict(self, state):
        """Continue the shuffling from ``state``; its options must be this loader's."""
        if not isinstance(state, dict):
            raise DatasetError(f"DataLoader.load_state_dict needs the dict of state_dict(), "
                               f"got {type(state).__name__}")
        for option in ("batch_size", "shuffle", "drop_last"):
            if state.get(option) != getattr(self, option):
                raise DatasetError(f"DataLoader.load_state_dict: the state was saved with {option}="
                                   f"{state.get(option)!r}; this loader has {option}={getattr(self, option)!r}")
        self.rng = generator_from_state("DataLoader.load_state_dict: rng", state.get("rng"), DatasetError)

    def __len__(self):
        """Number of batches in one epoch."""
        full, rest = divmod(len(self.X), self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def __iter__(self):
        """Start an epoch: fix its sample order now and return an iterator over its batches."""
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        return self._batches(order)

    def _batches(self, order):
        """Yield ``(X[idx], y[idx])`` for consecutive chunks ``idx`` of ``order``."""
        for i in range(len(self)):
            idx = order[i * self.batch_size : (i + 1) * self.batch_size]
            yield self.X[idx], self.y[idx]
