"""The LSTM: a cell for one time step, and a layer that runs it over a sequence.

One step, with x the input (N, n_in), h and c the hidden and cell states (N, H):

    [i, f, g, o] = [x, h] W + b              one matmul gives all four gates (N, 4H)
    i, f, o = σ(i), σ(f), σ(o)               input, forget and output gates in (0, 1)
    g = tanh(g)                              the candidate values in (−1, 1)
    c' = f ⊙ c + i ⊙ g                       forget some memory, write some new
    h' = o ⊙ tanh(c')                        expose part of the memory

The elementwise part (everything after the matmul) is one registry primitive,
``lstm_cell`` (ops/lstm.py), with its chain rule derived by hand: one graph
node per step instead of about twenty. Its output is the packed state
s' = [h', c'] (N, 2H); ``LSTMCell.step`` works on that packed state directly.

The cell state c' is a *sum*, so its gradient flows back through time
multiplied by f, not squashed by a derivative at every step: that is why the
LSTM remembers longer than a plain tanh RNN.
"""

from __future__ import annotations

import math

import numpy as np

from ..backend import default_dtype
from ..errors import ShapeError
from ..ops import PRIMITIVES
from ..tensor import Tensor, apply, concatenate, stack
from ..validate import integer
from .init import check_memory_for, uniform
from .module import Module, Parameter


class LSTMCell(Module):
    """One LSTM step: ``h, c = cell(x, (h, c))``; the state defaults to zeros.

    W has shape (n_in + H, 4H) and holds the gates in the order i, f, g, o.
    Weights start from U(−1/√H, 1/√H) (PyTorch's choice); the forget-gate bias
    starts at ``forget_bias`` (1 by default, so that early on the cell keeps
    its memory and gradients flow back through time).
    """

    def __init__(self, input_size: int, hidden_size: int, forget_bias: float = 1.0,
                 rng=None, dtype=None):
        super().__init__()
        self.input_size = integer("LSTMCell input_size", input_size, minimum=1, error=ShapeError)
        self.hidden_size = integer("LSTMCell hidden_size", hidden_size, minimum=1, error=ShapeError)
        dtype = np.dtype(dtype or default_dtype())
        H = self.hidden_size
        check_memory_for(f"LSTMCell({self.input_size}, {H})", (self.input_size + H, 4 * H), dtype)
        bound = 1.0 / math.sqrt(H)
        self.weight = Parameter(uniform((self.input_size + H, 4 * H), bound, rng, dtype))
        bias = np.zeros(4 * H, dtype=dtype)
        bias[H:2 * H] = forget_bias
        self.bias = Parameter(bias)

    def initial_state(self, batch_size: int, dtype=None) -> tuple[Tensor, Tensor]:
        """Zero hidden and cell states for a batch."""
        zeros = np.zeros((batch_size, self.hidden_size), dtype=dtype or self.weight.dtype)
        return Tensor(zeros), Tensor(zeros.copy())

    def forward(self, x: Tensor, state=None) -> tuple[Tensor, Tensor]:
        if x.ndim != 2 or x.shape[1] != self.input_size:
            raise ShapeError(f"LSTMCell({self.input_size}, {self.hidden_size}) needs input of shape "
                             f"(batch, {self.input_size}), got {x.shape}")
        h, c = self.initial_state(x.shape[0], x.dtype) if state is None else state
        state = self._packed_step(x, h, c)
        H = self.hidden_size
        return state[:, :H], state[:, H:]

    def step(self, x: Tensor, state: Tensor) -> Tensor:
        """One step on the packed state s = [h, c] (N, 2H); returns the new packed state."""
        H = self.hidden_size
        return self._packed_step(x, state[:, :H], state[:, H:])

    def _packed_step(self, x: Tensor, h: Tensor, c: Tensor) -> Tensor:
        gates = concatenate([x, h], axis=1) @ self.weight + self.bias
        return apply(PRIMITIVES["lstm_cell"], gates, c)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class LSTM(Module):
    """An LSTMCell run over a sequence shaped (time, batch, features).

    ``outputs, (h, c) = lstm(xs, state)`` returns every step's h stacked to
    (time, batch, H) and the final state, which can be passed to the next call
    (truncated backpropagation through time: ``detach()`` it first to cut the
    graph there).
    """

    def __init__(self, input_size: int, hidden_size: int, forget_bias: float = 1.0,
                 rng=None, dtype=None):
        super().__init__()
        self.cell = LSTMCell(input_size, hidden_size, forget_bias, rng, dtype)

    def forward(self, xs: Tensor, state=None):
        if xs.ndim != 3:
            raise ShapeError(f"LSTM needs input of shape (time, batch, features), got {xs.shape}")
        outputs = []
        for t in range(xs.shape[0]):
            h, c = self.cell(xs[t], state)
            state = (h, c)
            outputs.append(h)
        return stack(outputs, axis=0), state

    def extra_repr(self) -> str:
        return f"{self.cell.input_size}, {self.cell.hidden_size}"
