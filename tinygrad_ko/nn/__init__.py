"""Neural-network building blocks: modules, layers, losses and initialisers.

>>> from tinygrad_ko import nn
>>> nn.manual_seed(0)                       # doctest: +ELLIPSIS
Generator(...)
>>> model = nn.MLP([64, 32, 10])
>>> [tuple(p.shape) for p in model.parameters()]
[(64, 32), (32,), (32, 10), (10,)]
"""

from . import init
from .init import manual_seed
from .convolution import AvgPool2d, BatchNorm2d, Conv2d, Flatten, MaxPool2d
from .layers import ACTIVATIONS, MLP, Linear, ModuleList, ReLU, Sequential, Sigmoid, Tanh
from .losses import cross_entropy, cross_entropy_composite, mse_loss
from .module import Module, ModuleError, Parameter, functional_call, substituted_parameters
from .normalization import BatchNorm1d
from .recurrent import LSTM, LSTMCell

__all__ = [
    "Module", "ModuleError", "Parameter", "functional_call", "substituted_parameters",
    "Linear", "ReLU", "Tanh", "Sigmoid", "ACTIVATIONS", "Sequential", "ModuleList", "MLP",
    "LSTMCell", "LSTM", "BatchNorm1d",
    "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "BatchNorm2d",
    "mse_loss", "cross_entropy", "cross_entropy_composite",
    "init", "manual_seed",
]
