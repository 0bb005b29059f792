"""Batch normalisation: the layer whose training and evaluation modes differ."""

from __future__ import annotations

import numpy as np

from ..backend import default_dtype
from ..errors import ShapeError
from ..tensor import Tensor
from .module import Module, Parameter


class BatchNorm1d(Module):
    """Normalise each feature over the batch, then scale and shift:

        y = γ · (x − μ) / √(σ² + eps) + β

    In training mode μ and σ² are the batch's mean and (biased) variance, and
    the gradient flows through them. Each training call also moves the saved
    running statistics toward the batch's:
    ``running ← (1 − momentum) · running + momentum · batch`` (with the unbiased
    variance, as PyTorch does). In evaluation mode (``eval()``) the running
    statistics are used instead, so one example's output no longer depends on
    the others in its batch.
    """

    def __init__(self, num_features: int, momentum: float = 0.1, eps: float = 1e-5, dtype=None):
        super().__init__()
        self.num_features = int(num_features)
        self.momentum, self.eps = float(momentum), float(eps)
        dtype = np.dtype(dtype or default_dtype())
        self.weight = Parameter(np.ones(self.num_features, dtype=dtype))
        self.bias = Parameter(np.zeros(self.num_features, dtype=dtype))
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype=dtype))
        self.register_buffer("running_var", np.ones(self.num_features, dtype=dtype))

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ShapeError(f"BatchNorm1d({self.num_features}) needs input of shape "
                             f"(batch, {self.num_features}), got {x.shape}")
        if self.training:
            if x.shape[0] < 2:
                raise ShapeError("BatchNorm1d in training mode needs a batch of at least 2 rows; "
                                 "call eval() to use the running statistics")
            mean = x.mean(axis=0)
            centred = x - mean
            variance = (centred * centred).mean(axis=0)
            self._update_running_statistics(mean.data, variance.data, x.shape[0])
        else:
            centred = x - Tensor(self.running_mean)
            variance = Tensor(self.running_var)
        return centred / (variance + self.eps).sqrt() * self.weight + self.bias

    def _update_running_statistics(self, mean: np.ndarray, variance: np.ndarray, n: int) -> None:
        unbiased = variance * (n / (n - 1))
        self.running_mean *= 1 - self.momentum
        self.running_mean += self.momentum * mean
        self.running_var *= 1 - self.momentum
        self.running_var += self.momentum * unbiased

    def extra_repr(self) -> str:
        return f"{self.num_features}, momentum={self.momentum}, eps={self.eps}"
