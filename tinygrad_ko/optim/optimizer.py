"""The base class of the optimizers: a list of parameters and a learning rate.

Use it the PyTorch way::

    optimizer = SGD(model.parameters(), lr=0.1)
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = cross_entropy(model(Tensor(xb)), yb)
        loss.backward()            # fills every parameter's .grad
        optimizer.step()           # θ ← θ − lr · ∂L/∂θ (or another rule)

``step()`` writes the new values into each parameter's array in place (through
``param.writable_data()``, which raises the parameter's version, so a graph
recorded before the step refuses a second backward), with NumPy
operations on the arrays, under ``no_grad()``: an update is not part of any
graph, and no Tensor bookkeeping is spent on it.

On the GPU (parameters moved with ``.to("cuda")``) SGD, Adam and GO-UP update
each parameter with one fused kernel from ``kernels/optim.cu``, which reads θ,
g and the optimizer's state once and writes θ and the state once, where the
array expressions would launch a kernel (and make a temporary) per operation.
``Optimizer.fused_kernels_for(theta)`` picks the kernels; every kernel has a
NumPy twin in ``backend/kernel_reference.py`` that the tests check it against.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import TinygradKoError
from ..tensor import Tensor, no_grad


class OptimizerError(TinygradKoError, ValueError):
    """An optimizer was given a bad setting (a non-positive learning rate, no parameters)."""


def check_positive(name: str, value) -> float:
    """``value`` as a float, or OptimizerError if it is not a finite number > 0."""
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise OptimizerError(f"{name} must be a positive number, got {value}")
    return value


def check_in_unit_interval(name: str, value) -> float:
    """``value`` as a float, or OptimizerError unless 0 ≤ value < 1."""
    value = float(value)
    if not 0 <= value < 1:
        raise OptimizerError(f"{name} must be in [0, 1), got {value}")
    return value


class Optimizer:
    """Holds the parameters to update; subclasses define ``update(param, grad, state)``."""

    def __init__(self, params, lr: float):
        self.params = list(params)
        if not self.params:
            raise OptimizerError("the optimizer got no parameters; pass model.parameters()")
        for param in self.params:
            if not isinstance(param, Tensor) or not param.requires_grad:
                raise OptimizerError("every parameter must be a Tensor with requires_grad=True")
        self.lr = check_positive("lr (the learning rate)", lr)
        self.state: list[dict] = [{} for _ in self.params]
        self.steps = 0

    def zero_grad(self) -> None:
        """Forget the gradients (``backward`` adds to ``.grad``)."""
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        with no_grad():
            for param, state in zip(self.params, self.state):
                if param.grad is not None:
                    self.update(param.writable_data(), param.grad.data, state)
        self.steps += 1

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        """Change the array ``theta`` in place, given its gradient ``grad``."""
        raise NotImplementedError

    @staticmethod
    def fused_kernels_for(theta):
        """The fused GPU update kernels (``backend.kernels``) for a CuPy array ``theta``;
        None for a NumPy array, which the plain array code updates."""
        if isinstance(theta, np.ndarray):
            return None
        from ..backend import kernels

        return kernels

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"
