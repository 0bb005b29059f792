"""Copy and Repeat Copy (Graves et al. 2014), generated in code, with a curriculum.

Both tasks test memory: the network reads a random sequence of N symbols and must
write it back after a delimiter, so its first output depends on an input N + 1
steps earlier. Truncated BPTT with chunks of T steps cannot carry a gradient
across more than T steps, which is what a synthetic gradient at the truncation
boundary is meant to extend (Jaderberg et al., §3.1 of the ICML 2017 version).

Layout of one episode, time running down, batch of B sequences:

Copy, length N (2N + 1 steps)::

    step        input                     target
    0 … N−1     one-hot symbol sᵢ         —
    N           delimiter                 —
    N+1 … 2N    nothing                   sᵢ  (i = 0 … N−1)

Repeat Copy, length N, R repeats (N + 2 + R·N steps)::

    0 … N−1     one-hot symbol sᵢ         —
    N           delimiter                 —
    N+1         repeat channel = R / max_repeats   —
    N+2 …       nothing                   s₀ … s_{N−1}, R times, then STOP

Only the target steps carry a loss (``mask``). Errors are measured in bits per
target character; a curriculum moves to length N + 1 once the recent average is
below ``threshold`` bits (0.15 in the paper), and "the longest length solved" is
the last N whose threshold was passed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from ..errors import TinygradKoError


class TaskError(TinygradKoError, ValueError):
    """A task was asked for with impossible settings (a length below 1, an unknown name)."""


@dataclass
class Episode:
    """One batch of sequences: inputs (time, batch, features), int targets and a loss mask."""

    inputs: np.ndarray    # float32 (time, batch, input_size)
    targets: np.ndarray   # int64 (time, batch); meaningless where mask is False
    mask: np.ndarray      # bool (time,): True at the steps that carry a loss
    length: int           # N, the curriculum level that made it

    @property
    def steps(self) -> int:
        return self.inputs.shape[0]


class CopyTask:
    """Read N random symbols, then write them back after the delimiter."""

    name = "copy"

    def __init__(self, num_symbols: int = 8):
        if num_symbols < 2:
            raise TaskError(f"the copy task needs at least 2 symbols, got {num_symbols}")
        self.num_symbols = int(num_symbols)
        self.input_size = self.num_symbols + 1     # the symbols and the delimiter channel
        self.num_classes = self.num_symbols

    def episode(self, length: int, batch_size: int, rng: np.random.Generator) -> Episode:
        n = _check_length(length)
        symbols = rng.integers(0, self.num_symbols, size=(n, batch_size))
        steps = 2 * n + 1
        inputs = np.zeros((steps, batch_size, self.input_size), dtype=np.float32)
        inputs[np.arange(n)[:, None], np.arange(batch_size)[None, :], symbols] = 1.0
        inputs[n, :, self.num_symbols] = 1.0
        targets = np.zeros((steps, batch_size), dtype=np.int64)
        targets[n + 1:] = symbols
        mask = np.zeros(steps, dtype=bool)
        mask[n + 1:] = True
        return Episode(inputs, targets, mask, n)


class RepeatCopyTask:
    """Read N symbols and a repeat count R, write the symbols R times, then STOP.

    R is drawn per episode from 1 … ``max_repeats``; the curriculum level is N."""

    name = "repeat-copy"

    def __init__(self, num_symbols: int = 8, max_repeats: int = 3):
        if num_symbols < 2 or max_repeats < 1:
            raise TaskError(f"repeat copy needs ≥ 2 symbols and ≥ 1 repeat, got {num_symbols}, {max_repeats}")
        self.num_symbols = int(num_symbols)
        self.max_repeats = int(max_repeats)
        self.input_size = self.num_symbols + 2     # symbols, delimiter, repeat count
        self.num_classes = self.num_symbols + 1    # symbols and STOP
        self.stop = self.num_symbols

    def episode(self, length: int, batch_size: int, rng: np.random.Generator) -> Episode:
        n = _check_length(length)
        repeats = int(rng.integers(1, self.max_repeats + 1))
        symbols = rng.integers(0, self.num_symbols, size=(n, batch_size))
        first_output = n + 2
        steps = first_output + repeats * n + 1
        inputs = np.zeros((steps, batch_size, self.input_size), dtype=np.float32)
        inputs[np.arange(n)[:, None], np.arange(batch_size)[None, :], symbols] = 1.0
        inputs[n, :, self.num_symbols] = 1.0
        inputs[n + 1, :, self.num_symbols + 1] = repeats / self.max_repeats
        targets = np.zeros((steps, batch_size), dtype=np.int64)
        targets[first_output:steps - 1] = np.tile(symbols, (repeats, 1))
        targets[steps - 1] = self.stop
        mask = np.zeros(steps, dtype=bool)
        mask[first_output:] = True
        return Episode(inputs, targets, mask, n)


TASKS = {"copy": CopyTask, "repeat-copy": RepeatCopyTask}


def make_task(name: str, **options):
    """A task by name: "copy" or "repeat-copy"."""
    if name not in TASKS:
        raise TaskError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    return TASKS[name](**options)


class Curriculum:
    """Start at length ``start``; step up once the recent error is below ``threshold`` bits.

    ``record(bits)`` takes the error of one episode (bits per target character)
    and returns True when the level went up. The average is over the last
    ``window`` episodes at the current level, and a level needs a full window
    before it can be passed, so one lucky batch does not count."""

    def __init__(self, start: int = 1, threshold: float = 0.15, window: int = 10, max_length: int | None = None):
        self.length = _check_length(start)
        self.threshold = float(threshold)
        self.window = int(window)
        self.max_length = max_length
        self.solved = self.length - 1          # the longest length passed so far
        self.recent: deque = deque(maxlen=self.window)
        self.history: list[tuple[int, float]] = []   # (length, bits) per episode

    def record(self, bits: float) -> bool:
        self.history.append((self.length, float(bits)))
        self.recent.append(float(bits))
        if len(self.recent) < self.window or np.mean(self.recent) >= self.threshold:
            return False
        self.solved = self.length
        if self.max_length is None or self.length < self.max_length:
            self.length += 1
        self.recent.clear()
        return True


def _check_length(length) -> int:
    if int(length) != length or length < 1:
        raise TaskError(f"a sequence length must be a positive integer, got {length!r}")
    return int(length)
