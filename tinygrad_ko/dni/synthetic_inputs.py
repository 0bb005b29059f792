"""Synthetic inputs: unlock the forward pass too (Jaderberg et al. 2016, Fig. 5 right).

A synthetic gradient frees module i from waiting for the modules *after* it
(update and backward locks). It still waits for the modules *before* it: its
input hᵢ₋₁ is their output (the forward lock). A synthetic-input model Iᵢ
predicts that input from the data alone,

    ĥᵢ₋₁ = Iᵢ(x) ≈ hᵢ₋₁ = fᵢ₋₁(… f₁(x))

so module i can run its forward, its backward (from its own synthetic
gradient) and its update as soon as x arrives. Iᵢ learns by regression once
the real activation has been computed, whenever that happens:

    L_I = (1/N) Σₙ ‖Iᵢ(xₙ) − hᵢ₋₁,ₙ‖²        (N: batch size)

At test time nothing is predicted: the network runs its real forward pass.
"""

from __future__ import annotations

from ..errors import GradError, ShapeError
from ..nn import BatchNorm1d, Linear, Module, ReLU, Sequential
from ..tensor import Tensor
from .interface import handoff


class InputModel(Module):
    """Iᵢ(x): Linear → BatchNorm1d → ReLU → Linear, from the data to a hidden activation."""

    def __init__(self, in_features: int, features: int, hidden: int = 256, rng=None):
        super().__init__()
        self.net = Sequential(Linear(in_features, hidden, rng=rng), BatchNorm1d(hidden), ReLU(),
                              Linear(hidden, features, rng=rng))

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class SyntheticInput:
    """The predicted input of one module: ``predict(x)`` sends ĥ, ``update(h)`` teaches I with the real h.

    ``optimizer`` trains the model's parameters only."""

    def __init__(self, model, optimizer, name: str = "I"):
        self.model = model
        self.optimizer = optimizer
        self.name = name
        self.pending: Tensor | None = None        # the prediction still waiting for its target
        self.losses: list[float] = []              # L_I at every update

    def predict(self, x: Tensor) -> Tensor:
        """ĥ = I(x) as a fresh leaf: the module fed with it collects ∂/∂ĥ in its ``.grad``.

        I's own graph is kept until ``update`` regresses the same prediction onto its target."""
        self.pending = self.model(x)
        return handoff(self.pending)

    def update(self, target: Tensor) -> float:
        """Train I on the real activation its last prediction stood in for; returns L_I."""
        if self.pending is None:
            raise GradError(f"{self.name}: update() without a prediction waiting; call predict() first")
        prediction, self.pending = self.pending, None
        target = target.detach()
        if target.shape != prediction.shape:
            raise ShapeError(f"{self.name}: target of shape {target.shape} for a prediction of "
                             f"shape {prediction.shape}")
        error = prediction - target
        loss = (error * error).sum() / prediction.shape[0]
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.losses.append(loss.item())
        return self.losses[-1]
