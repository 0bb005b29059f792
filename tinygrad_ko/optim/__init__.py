"""Optimizers: SGD, Adam, GO-UP, the fixed-noise SGD control, and the forward gradient.

All update ``param.data`` in place from ``param.grad``; ``ForwardGradient``
fills ``.grad`` without a backward pass, so ``ForwardGradient`` + ``GOUP`` is
the backprop-free GO-UP. ``OPTIMIZERS`` is the table of every optimizer a run
can name (registry.py); ``build_optimizer(name, params, lr)`` builds one.
"""

from .adam import Adam
from .forward_gradient import ForwardGradient
from .goup import GOUP
from .noisy_sgd import NoisySGD
from .optimizer import Optimizer, OptimizerError
from .registry import OPTIMIZERS, OptimizerEntry, build_optimizer, register_optimizer
from .sgd import SGD

__all__ = ["Optimizer", "OptimizerError", "SGD", "Adam", "GOUP", "NoisySGD", "ForwardGradient",
           "OPTIMIZERS", "OptimizerEntry", "build_optimizer", "register_optimizer"]
