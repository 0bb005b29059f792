"""Adam (Kingma & Ba, 2015): per-parameter step sizes from running moments."""

from __future__ import annotations

import numpy as np

from ..backend import array_module
from .optimizer import Optimizer, OptimizerError, check_in_unit_interval, check_positive


class Adam(Optimizer):
    """With g = ∂L/∂θ at step t = 1, 2, …:

        m ← β₁ m + (1 − β₁) g              running mean of the gradient
        v ← β₂ v + (1 − β₂) g²             running mean of its square
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (corrects the start from zero)
        θ ← θ − lr · m̂ / (√v̂ + eps)

    Each coordinate moves by about lr whatever the gradient's scale.
    ``weight_decay`` adds weight_decay · θ to g first (L2, as ``torch.optim.Adam``).
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta1 = check_in_unit_interval("betas[0]", betas[0])
        self.beta2 = check_in_unit_interval("betas[1]", betas[1])
        self.eps = check_positive("eps", eps)
        if weight_decay < 0:
            raise OptimizerError(f"weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = float(weight_decay)

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        if self.weight_decay:
            grad = grad + self.weight_decay * theta
        if not state:
            state["t"] = 0
            state["m"] = array_module(theta).zeros_like(theta)
            state["v"] = array_module(theta).zeros_like(theta)
        state["t"] += 1
        t, m, v = state["t"], state["m"], state["v"]
        kernels = self.fused_kernels_for(theta)
        if kernels is not None:   # the five lines below in one kernel
            kernels.adam_update(theta, m, v, grad, lr=self.lr,
                                beta1=self.beta1, beta2=self.beta2, eps=self.eps, step=t)
            return
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps})"
