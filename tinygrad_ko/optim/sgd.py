"""Stochastic gradient descent, with momentum and weight decay."""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, OptimizerError, check_in_unit_interval


class SGD(Optimizer):
    """θ ← θ − lr · v, where (with g = ∂L/∂θ)

        g ← g + weight_decay · θ           (L2 regularisation, if weight_decay > 0)
        v ← momentum · v + g               (v = g when momentum = 0)

    The same rule as ``torch.optim.SGD`` without dampening or Nesterov.
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = check_in_unit_interval("momentum", momentum)
        if weight_decay < 0:
            raise OptimizerError(f"weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = float(weight_decay)

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        if self.weight_decay:
            grad = grad + self.weight_decay * theta
        if self.momentum:
            velocity = state.get("velocity")
            if velocity is None:
                velocity = state["velocity"] = grad.copy()
            else:
                velocity *= self.momentum
                velocity += grad
            grad = velocity
        theta -= self.lr * grad

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"
