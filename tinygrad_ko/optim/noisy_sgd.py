"""SGD plus Gaussian noise of a fixed size: the control experiment for GO-UP."""

from __future__ import annotations

import numpy as np

from ..generators import generator_from_state, generator_state, seeded_generator
from ..validate import real
from .optimizer import Optimizer, OptimizerError


class NoisySGD(Optimizer):
    """θ ← θ − lr·g + s·ε,  ε ~ N(0, I), with s a fixed number per parameter tensor.

    GO-UP with k = lr is θ − lr·g + lr·std(θ − g)·ε: the same, except that its
    noise size follows the weights' spread as it changes. Here it does not:
    with ``noise_std=None`` each tensor's s is set once, at its first step, to
    lr·std(θ₀ − g₀) — the size of GO-UP's first noise step — and then kept.
    Comparing the two separates "noise helps or hurts" from "noise that grows
    with the weights" (see the GO-UP benchmark). ``noise_std`` gives every
    tensor the same fixed s instead.
    """

    STATE_ENTRIES = {"noise_std": "number"}

    def __init__(self, params, lr: float, noise_std: float | None = None, seed: int | None = None):
        super().__init__(params, lr)
        if noise_std is not None:
            noise_std = real("noise_std", noise_std, minimum=0, error=OptimizerError)
        self.noise_std = noise_std
        self.rng = seeded_generator("seed", seed, OptimizerError)

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        if "noise_std" not in state:
            matched = self.lr * (theta - grad).std()
            state["noise_std"] = matched if self.noise_std is None else self.noise_std
        noise = self.rng.standard_normal(theta.shape, dtype=theta.dtype)
        noise *= state["noise_std"]
        theta -= self.lr * grad
        theta += noise

    def settings(self) -> dict:
        return {"lr": self.lr, "noise_std": self.noise_std}

    def extra_state(self) -> dict:
        return {"rng": generator_state(self.rng)}

    def load_extra_state(self, state: dict) -> None:
        self.rng = generator_from_state("NoisySGD.load_state_dict: rng", state.get("rng"), OptimizerError)

    def __repr__(self) -> str:
        size = "matched to GO-UP's first step" if self.noise_std is None else self.noise_std
        return f"NoisySGD(lr={self.lr}, noise_std={size})"
