"""Stochastic gradient descent, with momentum and weight decay."""

from __future__ import annotations

import numpy as np

from ..backend import array_module
from ..validate import real
from .inplace import BLOCK, blocks, contiguous
from .optimizer import Optimizer, OptimizerError


class SGD(Optimizer):
    """θ ← θ − lr · v, where (with g = ∂L/∂θ)

        g ← g + weight_decay · θ           (L2 regularisation, if weight_decay > 0)
        v ← momentum · v + g               (v = g when momentum = 0)

    The same rule as ``torch.optim.SGD`` without dampening or Nesterov.
    """

    STATE_ENTRIES = {"velocity": "array"}

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = real("momentum", momentum, minimum=0, below=1, error=OptimizerError)
        self.weight_decay = real("weight_decay", weight_decay, minimum=0, error=OptimizerError)

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        kernels = self.fused_kernels_for(theta)
        if kernels is not None:
            # one kernel: v ← momentum·v + (g + wd·θ); θ ← θ − lr·v  (v starts at 0, so v₁ = g)
            if "velocity" not in state:
                state["velocity"] = array_module(theta).zeros_like(theta)
            kernels.sgd_momentum_update(theta, state["velocity"], grad, lr=self.lr, momentum=self.momentum,
                                        weight_decay=self.weight_decay)
            return
        if not self.momentum and not self.weight_decay and type(theta) is np.ndarray and theta.size <= BLOCK:
            # plain SGD on a parameter of one block (most are): θ ← θ − lr·g through one scratch
            # buffer, as update_in_blocks does, without cutting the parameter into flat views
            step = self.scratch(0, theta.size, theta.dtype).reshape(theta.shape)
            np.multiply(grad, self.lr, out=step)
            theta -= step
            return
        if contiguous(theta, state.get("velocity", theta)):
            self.update_in_blocks(theta, grad, state)
            return
        if self.weight_decay:
            grad = grad + self.weight_decay * theta
        if self.momentum:
            velocity = state.get("velocity")
            if velocity is None:   # (an array even where g + wd·θ of a 0-d parameter is a NumPy scalar)
                velocity = state["velocity"] = array_module(theta).array(grad, copy=True)
            else:
                velocity *= self.momentum
                velocity += grad
            grad = velocity
        theta -= self.lr * grad

    def update_in_blocks(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        """The update above, block by block through scratch buffers: no full-size temporary
        (``optim/inplace.py``; the same operations on every element, so the same bits)."""
        velocity, first_step = None, False
        if self.momentum:
            velocity = state.get("velocity")
            if velocity is None:
                velocity = state["velocity"] = np.empty_like(theta)
                first_step = True
        arrays = (theta, grad) if velocity is None else (theta, grad, velocity)
        lr, weight_decay, momentum = self.lr, self.weight_decay, self.momentum  # (read once, not per block)
        step_buffer = self.scratch(0, BLOCK, theta.dtype)
        for parts in blocks(*arrays):
            t, g = parts[0], parts[1]
            if weight_decay:                           # g ← g + wd·θ
                decayed = self.scratch(1, t.size, t.dtype)
                np.multiply(t, weight_decay, out=decayed)
                np.add(g, decayed, out=decayed)
                g = decayed
            if velocity is not None:                   # v ← momentum·v + g (v₁ = g)
                v = parts[2]
                if first_step:
                    v[...] = g
                else:
                    v *= momentum
                    v += g
                g = v
            step = step_buffer[:t.size]                # θ ← θ − lr·v
            np.multiply(g, lr, out=step)
            t -= step

    def settings(self) -> dict:
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"
