"""Gradient models M: ĝ = M(h) or, conditioned on the label, ĝ = M(h, y) (cDNI).

Both end in a zero-initialised layer, so at the start ĝ = 0 and the module
behind the interface does not move until M has learnt something — training
starts "as if the gradient were zero" rather than from a random direction.

* ``LinearPredictor``:  ĝ = h A + onehot(y) C + b.  All zero at the start.
  On the digits network this is the one that works with bootstrapping: the
  deeper MLP predictors tended to collapse to predicting zero, a fixed point
  that bootstrapping cannot leave (zero predicted above gives zero targets below).
* ``MLPPredictor``:  [h, onehot(y)] → (Linear → BatchNorm → ReLU) × k → zero-initialised Linear,
  the paper's form for feed-forward nets.
* ``ConvPredictor``:  ĝ = conv([h, planes(y)], K) + b for an activation h of shape (N, C, H, W):
  the linear model made convolutional, the label as extra input channels (cDNI); with
  ``hidden_layers`` = k > 0, (Conv2d → BatchNorm2d → ReLU) × k before the zero-initialised
  convolution, the MLP model made convolutional.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidValueError, ShapeError
from ..nn import BatchNorm1d, BatchNorm2d, Conv2d, Linear, Module, Parameter, ReLU, Sequential
from ..tensor import Tensor, concatenate


def one_hot(labels, num_classes: int, dtype=np.float32) -> Tensor:
    """Labels (N,) as a constant (N, num_classes) tensor of zeros with a 1 per row."""
    labels = labels.numpy() if isinstance(labels, Tensor) else np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ShapeError(f"one_hot needs a 1-D array of integer labels, got {labels.dtype} {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ShapeError(f"one_hot: labels must lie in 0..{num_classes - 1}")
    out = np.zeros((labels.shape[0], num_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return Tensor(out)


def _context(context, num_classes: int, batch: int) -> Tensor | None:
    """The one-hot label for a conditional predictor; an error if it is missing."""
    if num_classes == 0:
        return None
    if context is None:
        raise ShapeError("this gradient model is conditioned on the label (cDNI): pass the labels as context")
    context = one_hot(context, num_classes)
    if context.shape[0] != batch:
        raise ShapeError(f"{context.shape[0]} labels for a batch of {batch}")
    return context


class LinearPredictor(Module):
    """ĝ = h A + b (+ onehot(y) C when ``num_classes`` > 0), every weight zero at the start."""

    def __init__(self, features: int, num_classes: int = 0):
        super().__init__()
        self.features, self.num_classes = int(features), int(num_classes)
        self.weight = Parameter(np.zeros((self.features, self.features), dtype=np.float32))
        self.bias = Parameter(np.zeros(self.features, dtype=np.float32))
        if self.num_classes:
            self.label_weight = Parameter(np.zeros((self.num_classes, self.features), dtype=np.float32))

    def forward(self, h: Tensor, context=None) -> Tensor:
        out = h @ self.weight + self.bias
        labels = _context(context, self.num_classes, h.shape[0])
        return out if labels is None else out + labels @ self.label_weight

    def extra_repr(self) -> str:
        return f"{self.features}, num_classes={self.num_classes}"


class MLPPredictor(Module):
    """[h, onehot(y)] → (Linear → BatchNorm1d → ReLU) × ``layers`` → Linear (zero-initialised)."""

    def __init__(self, features: int, hidden: int = 256, layers: int = 1, num_classes: int = 0, rng=None):
        super().__init__()
        self.features, self.num_classes = int(features), int(num_classes)
        blocks, width = [], self.features + self.num_classes
        for _ in range(int(layers)):
            blocks += [Linear(width, hidden, rng=rng), BatchNorm1d(hidden), ReLU()]
            width = hidden
        self.hidden = Sequential(*blocks)
        self.out = Linear(width, self.features, rng=rng)
        self.out.weight.data[...] = 0
        self.out.bias.data[...] = 0

    def forward(self, h: Tensor, context=None) -> Tensor:
        labels = _context(context, self.num_classes, h.shape[0])
        x = h if labels is None else concatenate([h, labels], axis=1)
        return self.out(self.hidden(x))

    def extra_repr(self) -> str:
        return f"{self.features}, num_classes={self.num_classes}"


class ConvPredictor(Module):
    """ĝ = conv([h, planes(y)], K) + b, zero-initialised, with "same" padding: ĝ has h's shape.

    For an activation of ``channels`` × H × W, a convolution with ``kernel_size`` × ``kernel_size``
    windows (odd) and ``channels`` outputs. cDNI (``num_classes`` > 0) gives it the label in one of
    two ways (``label_input``); both keep ĝ linear in h and in the one-hot label:

    * ``"planes"``: ``num_classes`` extra input channels, one constant H × W plane per class, all ones
      for the image's class and zeros for the rest, so ĝ = conv(h, K_h) + K_y[y] ∗ 1 + b. The label's
      part is the same at every position away from the border: the convolution shares its weights
      across positions, and the planes are constant.
    * ``"maps"``: a learned C × H × W map per class, added to the convolution of h:
      ĝ = conv(h, K_h) + b + M[y]. The label's part may differ from position to position, as the true
      gradient's does: before a Linear head, ∂L/∂h = Wᵀ (p − onehot(y)), a different image per class.
      ``activation_size`` = (H, W) is then required.

    ``hidden_layers`` = k > 0 puts k blocks Conv2d(``kernel_size``, ``channels``) → BatchNorm2d → ReLU in front
    of the zero-initialised convolution: ĝ is then no longer linear in h, and can switch with the
    ReLU and max-pool gates that the true gradient passes through. The label enters the first of them
    ("planes") or is added at the end ("maps"). At the start ĝ = 0 all the same."""

    def __init__(self, channels: int, num_classes: int = 0, kernel_size: int = 3, label_input: str = "planes",
                 activation_size=None, hidden_layers: int = 0, rng=None):
        super().__init__()
        self.channels, self.num_classes, self.label_input = int(channels), int(num_classes), label_input
        if kernel_size % 2 != 1:
            raise ShapeError(f"ConvPredictor needs an odd kernel size (so that ĝ keeps h's shape), got {kernel_size}")
        if label_input not in LABEL_INPUTS:
            raise InvalidValueError(f"label_input must be one of {', '.join(LABEL_INPUTS)}, got {label_input!r}")
        if int(hidden_layers) < 0:
            raise InvalidValueError(f"hidden_layers must be 0 or more, got {hidden_layers}")
        self.hidden_layers = int(hidden_layers)
        planes = self.num_classes if label_input == "planes" else 0
        blocks, in_channels = [], self.channels + planes
        for _ in range(self.hidden_layers):
            blocks += [Conv2d(in_channels, self.channels, kernel_size, padding=kernel_size // 2, rng=rng),
                       BatchNorm2d(self.channels), ReLU()]
            in_channels = self.channels
        self.hidden = Sequential(*blocks)
        self.conv = Conv2d(in_channels, self.channels, kernel_size, padding=kernel_size // 2)
        self.conv.weight.data[...] = 0
        if label_input == "maps" and self.num_classes:
            if activation_size is None:
                raise ShapeError("ConvPredictor with label_input='maps' needs the activation's (H, W)")
            height, width = activation_size
            self.label_maps = Parameter(np.zeros((self.num_classes, self.channels * height * width),
                                                 dtype=np.float32))

    def forward(self, h: Tensor, context=None) -> Tensor:
        labels = _context(context, self.num_classes, h.shape[0])
        if labels is None:
            return self.conv(self.hidden(h))
        if self.label_input == "planes":
            return self.conv(self.hidden(concatenate([h, label_planes(labels, h.shape[2:])], axis=1)))
        if self.label_maps.shape[1] != h.shape[1] * h.shape[2] * h.shape[3]:
            raise ShapeError(f"ConvPredictor's label maps are for {self.label_maps.shape[1]} values per image, "
                             f"got an activation of shape {h.shape}")
        return self.conv(self.hidden(h)) + (labels @ self.label_maps).reshape(h.shape)

    def extra_repr(self) -> str:
        return (f"{self.channels}, num_classes={self.num_classes}, kernel_size={self.conv.kernel_size}, "
                f"label_input={self.label_input!r}, hidden_layers={self.hidden_layers}")


LABEL_INPUTS = ("planes", "maps")


def label_planes(labels: Tensor, image_size) -> Tensor:
    """One-hot labels (N, K) as K constant planes of ``image_size``: (N, K, H, W)."""
    planes = np.broadcast_to(labels.data[:, :, None, None], labels.shape + tuple(image_size))
    return Tensor(np.ascontiguousarray(planes))


def make_predictor(kind: str, features: int, num_classes: int = 0, rng=None) -> Module:
    """"linear" or "mlp", conditioned on the label when ``num_classes`` > 0."""
    if kind == "linear":
        return LinearPredictor(features, num_classes)
    if kind == "mlp":
        return MLPPredictor(features, hidden=features, layers=1, num_classes=num_classes, rng=rng)
    raise ValueError(f"unknown predictor {kind!r}; choose 'linear' or 'mlp'")
