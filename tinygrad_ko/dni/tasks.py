"""Copy and Repeat Copy (Graves et al. 2014), generated in code, with a curriculum.

Both tasks test memory: the network reads a sequence of N random 8-bit binary
vectors and must write it back after a delimiter, so its first output depends
on an input N + 1 steps earlier. Truncated BPTT with chunks of T steps cannot
carry a gradient across more than T steps, which is what a synthetic gradient
at the truncation boundary is meant to extend (Jaderberg et al. 2016, §3.1).
The setup follows the Neural Turing Machine paper, as the DNI paper does.

Layout of one episode, time running down, batch of B sequences, b = 8 bits:

Copy, length N (2N + 1 steps; inputs b + 1 channels, outputs b)::

    step        input                          target
    0 … N−1     random bits xᵢ ∈ {0, 1}ᵇ       —
    N           delimiter channel = 1          —
    N+1 … 2N    nothing                        xᵢ  (i = 0 … N−1)

Repeat Copy, length N, R repeats (N + 2 + R·N + 1 steps; inputs b + 2, outputs b + 1)::

    0 … N−1     random bits xᵢ                 —
    N           delimiter                      —
    N+1         repeat channel = R / max_repeats   —
    N+2 …       nothing                        x₀ … x_{N−1}, R times
    last        nothing                        the end-marker channel = 1

Every output channel is a Bernoulli prediction (a sigmoid), trained by binary
cross-entropy; only the target steps carry a loss (``mask``). The error of an
episode is its cross-entropy in bits per target step (summed over the output
channels, averaged over the steps and the batch). A curriculum moves to length
N + 1 once the recent average is below ``threshold`` bits (0.15), and "the
longest length solved" is the last N whose threshold was passed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from ..errors import TinygradKoError
from ..validate import integer, real


class TaskError(TinygradKoError, ValueError):
    """A task was asked for with impossible settings (a length below 1, an unknown name)."""


@dataclass
class Episode:
    """One batch of sequences: inputs and float targets (time, batch, channels) and a loss mask."""

    inputs: np.ndarray    # float32 (time, batch, input_size)
    targets: np.ndarray   # float32 (time, batch, output_size), 0 or 1; meaningless where mask is False
    mask: np.ndarray      # bool (time,): True at the steps that carry a loss
    length: int           # N, the curriculum level that made it

    @property
    def steps(self) -> int:
        return self.inputs.shape[0]


class CopyTask:
    """Read N random binary vectors, then write them back after the delimiter."""

    name = "copy"

    def __init__(self, bits: int = 8):
        self.bits = integer("bits", bits, minimum=1, error=TaskError)
        self.input_size = self.bits + 1      # the bits and the delimiter channel
        self.output_size = self.bits

    def episode(self, length: int, batch_size: int, rng: np.random.Generator) -> Episode:
        n = _check_length(length)
        vectors = _random_bits(rng, n, batch_size, self.bits)
        steps = 2 * n + 1
        inputs = np.zeros((steps, batch_size, self.input_size), dtype=np.float32)
        inputs[:n, :, :self.bits] = vectors
        inputs[n, :, self.bits] = 1.0
        targets = np.zeros((steps, batch_size, self.output_size), dtype=np.float32)
        targets[n + 1:] = vectors
        mask = np.zeros(steps, dtype=bool)
        mask[n + 1:] = True
        return Episode(inputs, targets, mask, n)


class RepeatCopyTask:
    """Read N binary vectors and a repeat count R, write the vectors R times, then the end marker.

    R is drawn per episode from 1 … ``max_repeats``; the curriculum level is N."""

    name = "repeat-copy"

    def __init__(self, bits: int = 8, max_repeats: int = 3):
        self.bits = integer("bits", bits, minimum=1, error=TaskError)
        self.max_repeats = integer("max_repeats", max_repeats, minimum=1, error=TaskError)
        self.input_size = self.bits + 2      # bits, delimiter, repeat count
        self.output_size = self.bits + 1     # bits and the end marker
        self.end_marker = self.bits

    def episode(self, length: int, batch_size: int, rng: np.random.Generator) -> Episode:
        n = _check_length(length)
        repeats = int(rng.integers(1, self.max_repeats + 1))
        vectors = _random_bits(rng, n, batch_size, self.bits)
        first_output = n + 2
        steps = first_output + repeats * n + 1
        inputs = np.zeros((steps, batch_size, self.input_size), dtype=np.float32)
        inputs[:n, :, :self.bits] = vectors
        inputs[n, :, self.bits] = 1.0
        inputs[n + 1, :, self.bits + 1] = repeats / self.max_repeats
        targets = np.zeros((steps, batch_size, self.output_size), dtype=np.float32)
        targets[first_output:steps - 1, :, :self.bits] = np.tile(vectors, (repeats, 1, 1))
        targets[steps - 1, :, self.end_marker] = 1.0
        mask = np.zeros(steps, dtype=bool)
        mask[first_output:] = True
        return Episode(inputs, targets, mask, n)


def _random_bits(rng: np.random.Generator, length: int, batch_size: int, bits: int) -> np.ndarray:
    """(length, batch, bits) of independent fair coin flips, as float32 0/1."""
    return rng.integers(0, 2, size=(length, batch_size, bits)).astype(np.float32)


TASKS = {"copy": CopyTask, "repeat-copy": RepeatCopyTask}


def make_task(name: str, **options):
    """A task by name: "copy" or "repeat-copy"."""
    if name not in TASKS:
        raise TaskError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    return TASKS[name](**options)


class Curriculum:
    """Start at length ``start``; step up once the recent error is below ``threshold`` bits.

    ``record(bits)`` takes the error of one episode (bits per target step)
    and returns True when the level went up. The average is over the last
    ``window`` episodes at the current level, and a level needs a full window
    before it can be passed, so one lucky batch does not count. ``passed``
    lists (level, episode number) for every level passed: the curriculum trace."""

    def __init__(self, start: int = 1, threshold: float = 0.15, window: int = 10, max_length: int | None = None):
        self.length = _check_length(start)
        self.threshold = real("threshold", threshold, above=0, error=TaskError)
        self.window = integer("window", window, minimum=1, error=TaskError)
        self.max_length = None if max_length is None else integer("max_length", max_length, minimum=1,
                                                                  error=TaskError)
        self.solved = self.length - 1          # the longest length passed so far
        self.recent: deque = deque(maxlen=self.window)
        self.episodes = 0
        self.passed: list[tuple[int, int]] = []

    def record(self, bits: float) -> bool:
        self.episodes += 1
        self.recent.append(float(bits))
        if len(self.recent) < self.window or np.mean(self.recent) >= self.threshold:
            return False
        self.solved = self.length
        self.passed.append((self.length, self.episodes))
        if self.max_length is None or self.length < self.max_length:
            self.length += 1
        self.recent.clear()
        return True


def _check_length(length) -> int:
    if isinstance(length, (int, np.integer)) and not isinstance(length, bool) and length >= 1:
        return int(length)
    raise TaskError(f"a sequence length must be a positive integer, got {length!r}")
