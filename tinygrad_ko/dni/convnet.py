"""Convolutional networks trained by No Bprop, Bprop, DNI or cDNI: the CNN rows of the paper's Table 1.

Depth is counted the paper's way, as for the FCNs (feedforward.py): a CNN of
``layers = n`` has n − 1 convolutional blocks and a Linear output layer. Each block is

    Conv2d(k × k, ``width`` channels, "same" padding) → BatchNorm2d → ReLU → MaxPool2d(3, stride 2, pad 1)

so every block halves the image (28 → 14 → 7 → 4), and the output layer reads
the flattened last activation. RESEARCH.md gives the paper's CNN numbers, not
its CNN layers; as we remember its appendix (unchecked here), they are blocks of
this kind with 64 channels of 5 × 5, the label entering cDNI as extra channels.

The methods and the training step are those of ``FeedForwardTrainer``, unchanged:
a synthetic gradient after every block (DNI between every layer), each block
updated the moment its gradient model answers. Only the parts differ:

* the gradient model of an activation h (N, C, H, W) is itself convolutional
  (``ConvPredictor``): ĝ = conv(h, K) + b, zero-initialised, so ĝ has h's shape
  (``predictor="mlp"``: a hidden Conv2d → BatchNorm2d → ReLU block in front of it);
* cDNI gives it the label as ``num_classes`` extra input channels, one constant
  plane per class, all ones for the image's class: ĝ = conv([h, planes(y)], K) + b.

The data arrive flat, as ``load_dataset`` gives them, (N, H·W) with square images
(784 = 28², 64 = 8²); ``train_convnet`` lays them out as (N, 1, H, W).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidValueError, ShapeError
from ..nn import BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential
from ..ops.conv import output_size
from ..tensor import Tensor
from .feedforward import (SYNTHETIC_INPUT_METHODS, FeedForwardConfig, FeedForwardResult, FeedForwardTrainer,
                          number_of_classes, run_training)
from .predictors import LABEL_INPUTS, ConvPredictor

CONV_METHODS = ("no-bprop", "bprop", "dni", "cdni")
CONV_PREDICTORS = {"linear": 0, "mlp": 1}     # the gradient model's hidden conv blocks (ConvPredictor)
POOL = {"kernel_size": 3, "stride": 2, "padding": 1}


@dataclass
class ConvNetConfig(FeedForwardConfig):
    """FeedForwardConfig for CNNs: ``width`` is the number of channels of every block.

    ``kernel_size``: the blocks' convolutions; ``predictor_kernel_size``: the
    gradient models' (odd, so that ĝ keeps h's shape). ``predictor``: "linear" (one
    zero-initialised convolution) or "mlp" (one hidden block Conv2d → BatchNorm2d → ReLU
    in front of it); ``label_input`` says how cDNI's label enters it ("planes" or "maps",
    see ``ConvPredictor``)."""

    width: int = 32
    kernel_size: int = 5
    predictor_kernel_size: int = 3
    label_input: str = "planes"

    def __post_init__(self):
        if self.method in SYNTHETIC_INPUT_METHODS:
            raise InvalidValueError(f"{self.method} is for FCNs; a CNN trains by one of {', '.join(CONV_METHODS)}")
        super().__post_init__()
        if self.predictor not in CONV_PREDICTORS:
            raise InvalidValueError(f"a CNN's gradient model is one of {', '.join(CONV_PREDICTORS)} "
                                    f"(convolutional), got predictor={self.predictor!r}")
        if self.label_input not in LABEL_INPUTS:
            raise InvalidValueError(f"label_input must be one of {', '.join(LABEL_INPUTS)}, got {self.label_input!r}")
        if self.predictor_kernel_size < 1 or self.predictor_kernel_size % 2 != 1:
            raise InvalidValueError(f"predictor_kernel_size must be odd and positive, got {self.predictor_kernel_size}")


class ConvNet(Module):
    """``blocks``: L × (Conv2d → BatchNorm2d → ReLU → MaxPool2d); ``head``: Flatten → Linear.

    ``activation_sizes[i]``: the (H, W) of block i's output."""

    def __init__(self, image_shape, num_classes: int, hidden_layers: int, channels: int, kernel_size: int,
                 rng=None):
        super().__init__()
        (in_channels, height, width), blocks, sizes = image_shape, [], []
        for _ in range(hidden_layers):
            blocks.append(Sequential(Conv2d(in_channels, channels, kernel_size, padding=kernel_size // 2, rng=rng),
                                     BatchNorm2d(channels), ReLU(), MaxPool2d(**POOL)))
            in_channels = channels
            height, width = (output_size(n, POOL["kernel_size"], POOL["stride"], POOL["padding"])
                             for n in (height, width))
            sizes.append((height, width))
        self.blocks = Sequential(*blocks)
        self.activation_sizes = sizes
        self.head = Sequential(Flatten(), Linear(in_channels * height * width, num_classes, rng=rng))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.blocks(x))


class ConvNetTrainer(FeedForwardTrainer):
    """FeedForwardTrainer with a ConvNet and convolutional gradient models.

    ``image_shape`` is (channels, height, width) of one input image."""

    evaluation_batch = 500      # the im2col columns of 10,000 images at once would take gigabytes

    def __init__(self, config: ConvNetConfig, image_shape, num_classes: int):
        if len(image_shape) != 3:
            raise ShapeError(f"ConvNetTrainer needs the image shape as (channels, height, width), got {image_shape}")
        super().__init__(config, tuple(image_shape), num_classes)

    def build_network(self, image_shape, num_classes: int) -> Module:
        c = self.config
        return ConvNet(image_shape, num_classes, c.hidden_layers, c.width, c.kernel_size, rng=self.rng)

    def gradient_model(self, num_classes: int, block: int) -> Module:
        c = self.config
        return ConvPredictor(c.width, num_classes, c.predictor_kernel_size, label_input=c.label_input,
                             activation_size=self.network.activation_sizes[block],
                             hidden_layers=CONV_PREDICTORS[c.predictor], rng=self.rng)


def as_images(X: np.ndarray) -> np.ndarray:
    """Flat square images (N, H·W) as (N, 1, H, W)."""
    if X.ndim != 2 or math.isqrt(X.shape[1]) ** 2 != X.shape[1]:
        raise ShapeError(f"expected flat square images (N, H·W), got shape {X.shape}")
    side = math.isqrt(X.shape[1])
    return X.reshape(len(X), 1, side, side)


def train_convnet(config: ConvNetConfig, data, progress=None) -> FeedForwardResult:
    """Train a CNN on flat ``data = (X_train, y_train, X_test, y_test)``; as ``train_feedforward``."""
    X_train, y_train, X_test, y_test = data
    images = (as_images(X_train), y_train, as_images(X_test), y_test)
    trainer = ConvNetTrainer(config, images[0].shape[1:], number_of_classes(data))
    return run_training(trainer, images, progress)
