"""Layers for images (NCHW): Conv2d, MaxPool2d, AvgPool2d, BatchNorm2d, Flatten.

Each is a thin Module around one function of tensor/convolution.py; the
derivatives come from the conv2d and pooling primitives (ops/conv.py).
"""

from __future__ import annotations

import numpy as np

from ..backend import default_dtype
from ..errors import ShapeError
from ..tensor import Tensor, avg_pool2d, conv2d, max_pool2d
from ..tensor.convolution import pair
from ..validate import integer
from .init import initial_weight
from .module import Module, Parameter
from .normalization import BatchNorm1d


class Conv2d(Module):
    """y = conv2d(x, W) + b with W of shape (out_channels, in_channels, KH, KW), as in PyTorch.

    ``init`` names the initialiser ("he" for ReLU networks, the default); the
    fan-in of a convolution is in_channels · KH · KW, so the weight is drawn as
    that (fan-in, out_channels) matrix and then laid out as (OC, C, KH, KW).
    The bias starts at zero."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True, init: str = "he", rng=None, dtype=None):
        super().__init__()
        self.in_channels = integer("Conv2d in_channels", in_channels, minimum=1, error=ShapeError)
        self.out_channels = integer("Conv2d out_channels", out_channels, minimum=1, error=ShapeError)
        self.kernel_size = pair("Conv2d", "kernel size", kernel_size, 1)
        self.stride = pair("Conv2d", "stride", stride, 1)
        self.padding = pair("Conv2d", "padding", padding, 0)
        dtype = np.dtype(dtype or default_dtype())
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        matrix = initial_weight(init, (fan_in, self.out_channels), rng, dtype)
        self.weight = Parameter(np.ascontiguousarray(
            matrix.T.reshape((self.out_channels, self.in_channels) + self.kernel_size)))
        self.bias = Parameter(np.zeros(self.out_channels, dtype=dtype)) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None}")


class MaxPool2d(Module):
    """The maximum of each window (stride defaults to the kernel size)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, x: Tensor) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(MaxPool2d):
    """The mean of each window, zero padding counted (stride defaults to the kernel size)."""

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class Flatten(Module):
    """(N, C, H, W) → (N, C·H·W): every axis after the first joined into one."""

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim < 1:
            raise ShapeError("Flatten needs a batch axis, got a 0-d tensor")
        return x.reshape(x.shape[0], -1)


class BatchNorm2d(BatchNorm1d):
    """Batch normalisation per channel: BatchNorm1d's formula with the statistics of each
    channel taken over the batch *and* the image, (N, H, W):

        y[n, c, h, w] = γ_c · (x[n, c, h, w] − μ_c) / √(σ²_c + eps) + β_c

    The running statistics move as in BatchNorm1d, with N·H·W values per channel."""

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim != 4 or x.shape[1] != self.num_features:
            raise ShapeError(f"BatchNorm2d({self.num_features}) needs input of shape "
                             f"(batch, {self.num_features}, H, W), got {x.shape}")
        per_channel = (1, self.num_features, 1, 1)
        if self.training:
            count = x.shape[0] * x.shape[2] * x.shape[3]
            if count < 2:
                raise ShapeError("BatchNorm2d in training mode needs at least 2 values per channel; "
                                 "call eval() to use the running statistics")
            mean = x.mean(axis=(0, 2, 3), keepdims=True)
            centred = x - mean
            variance = (centred * centred).mean(axis=(0, 2, 3), keepdims=True)
            self._update_running_statistics(mean.data.reshape(-1), variance.data.reshape(-1), count)
        else:
            centred = x - Tensor(self.running_mean.reshape(per_channel))
            variance = Tensor(self.running_var.reshape(per_channel))
        scale = self.weight.reshape(per_channel)
        return centred / (variance + self.eps).sqrt() * scale + self.bias.reshape(per_channel)
