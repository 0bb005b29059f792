"""Adam (Kingma & Ba, 2015): per-parameter step sizes from running moments."""

from __future__ import annotations

import numpy as np

from ..backend import array_module
from ..validate import real
from .inplace import blocks, contiguous
from .optimizer import Optimizer, OptimizerError


class Adam(Optimizer):
    """With g = ∂L/∂θ at step t = 1, 2, …:

        m ← β₁ m + (1 − β₁) g              running mean of the gradient
        v ← β₂ v + (1 − β₂) g²             running mean of its square
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (corrects the start from zero)
        θ ← θ − lr · m̂ / (√v̂ + eps)

    Each coordinate moves by about lr whatever the gradient's scale.
    ``weight_decay`` adds weight_decay · θ to g first (L2, as ``torch.optim.Adam``).
    """

    STATE_ENTRIES = {"t": "count", "m": "array", "v": "array"}

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise OptimizerError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        beta1, beta2 = betas
        self.beta1 = real("betas[0]", beta1, minimum=0, below=1, error=OptimizerError)
        self.beta2 = real("betas[1]", beta2, minimum=0, below=1, error=OptimizerError)
        self.eps = real("eps", eps, above=0, error=OptimizerError)
        self.weight_decay = real("weight_decay", weight_decay, minimum=0, error=OptimizerError)

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
        if contiguous(theta, m, v):
            self.update_in_blocks(theta, grad, t, m, v)
            return
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def update_in_blocks(self, theta, grad, t: int, m, v) -> None:
        """The five lines above, block by block through scratch buffers: no full-size
        temporary (``optim/inplace.py``; the same operations on every element, so the same bits).
        (With weight decay, ``grad`` is already g + wd·θ, a new array, as in the lines above.)"""
        correction1, correction2 = 1 - self.beta1 ** t, 1 - self.beta2 ** t
        for th, g, m_part, v_part in blocks(theta, grad, m, v):
            a = self.scratch(0, th.size, th.dtype)
            b = self.scratch(1, th.size, th.dtype)
            m_part *= self.beta1                         # m ← β₁ m + (1 − β₁) g
            np.multiply(g, 1 - self.beta1, out=a)
            m_part += a
            v_part *= self.beta2                         # v ← β₂ v + (1 − β₂) g²
            np.multiply(g, 1 - self.beta2, out=a)
            a *= g
            v_part += a
            np.divide(m_part, correction1, out=a)        # m̂
            np.divide(v_part, correction2, out=b)        # v̂
            np.sqrt(b, out=b)
            b += self.eps                                # √v̂ + eps
            a *= self.lr
            a /= b
            th -= a                                      # θ ← θ − lr · m̂ / (√v̂ + eps)

    def settings(self) -> dict:
        return {"lr": self.lr, "betas": [self.beta1, self.beta2], "eps": self.eps,
                "weight_decay": self.weight_decay}

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps})"
