"""A decoupled neural interface: cut the graph at a tensor h, answer with a synthetic gradient.

Backpropagation makes a module wait. Module A, which produced h, can only
update once everything after it has run forwards to the loss (*update lock*) and
backwards down to h (*backward lock*). Jaderberg et al. (2016) put a small model
M at the boundary that predicts the gradient from what is known locally:

    ĝ = M(h, c) ≈ g = ∂L/∂h        (c: optional context, such as the label: cDNI)

and A backpropagates ĝ at once::

      A ──h──▶ [cut] ──h, detached──▶ B … loss
      ▲          │
      └──── ĝ ───┘      A's backward is seeded with ĝ right away

When the real gradient g arrives at the cut — from B's backward, whenever it
runs — M learns from it by regressing its earlier prediction onto it:

    L_M = (1/N) Σₙ ‖ĝₙ − gₙ‖²          (N: batch size)

If B itself sits before another interface, the g it sends back is the
gradient implied by *that* interface's synthetic gradient: the target is
bootstrapped, as in temporal-difference learning.

Two sides, two optimizers: A's belongs to whoever trains A; the optimizer given
here trains only M. Predictions wait in a first-in-first-out queue until their
target arrives, so an interface can be used at many boundaries in a row (the
truncation points of an RNN) before the first target comes back.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from ..errors import GradError, ShapeError
from ..tensor import Tensor, no_grad


class SyntheticGradient:
    """The cut at h with gradient model ``model``.

    ``model(h, context)`` returns ĝ with h's shape; any callable works (a
    predictor from ``dni.predictors``, or an oracle in a test).
    ``optimizer`` trains the model's parameters (None: M stays fixed).
    ``scale`` multiplies ĝ before it is used (the paper's RNNs use 0.1; with
    bootstrapping it acts like a discount on gradients from further ahead).
    """

    def __init__(self, model, optimizer=None, *, scale: float = 1.0, name: str = "M"):
        self.model = model
        self.optimizer = optimizer
        self.scale = float(scale)
        self.name = name
        self.pending: deque[tuple] = deque()      # (h, context, ĝ) still waiting for a target
        self.losses: list[float] = []              # L_M at every update
        self.cosines: list[float] = []             # cos(ĝ, g) at every update

    # ------------------------------------------------------------------ send
    def predict(self, h: Tensor, context=None) -> Tensor:
        """ĝ = scale · M(h, c), detached, ready to seed a backward pass.

        The prediction and what it was made from are queued until ``update``
        receives the gradient it should have been."""
        h = h.detach()
        with no_grad():
            prediction = self.model(h, context)
        if prediction.shape != h.shape:
            raise ShapeError(f"{self.name}: the gradient model returned shape {prediction.shape} "
                             f"for an activation of shape {h.shape}; they must match")
        self.pending.append((h, context, prediction))
        return prediction * self.scale if self.scale != 1.0 else prediction

    def cut(self, h: Tensor, context=None) -> Tensor:
        """Cut the graph at ``h``: backpropagate ĝ into h's producer now, return h for downstream.

        The returned tensor has h's value, no history, and ``requires_grad``:
        after the downstream backward its ``.grad`` holds the gradient that
        arrived at the cut — the target to pass to ``update``."""
        synthetic = self.predict(h, context)
        if h.requires_grad:
            h.backward(seed=synthetic)
        return handoff(h)

    # --------------------------------------------------------------- receive
    def update(self, target) -> float:
        """Train M on the gradient that arrived for the oldest waiting prediction.

        ``target`` is ∂L/∂h (or its bootstrapped stand-in); returns L_M."""
        if not self.pending:
            raise GradError(f"{self.name}: update() without a prediction waiting; call predict() "
                            "or cut() first, one update per prediction")
        if target is None:
            raise GradError(f"{self.name}: no gradient arrived at the cut; run the downstream "
                            "backward pass (from the tensor cut() returned) before update()")
        h, context, used = self.pending.popleft()
        target = target.detach() if isinstance(target, Tensor) else Tensor(target)
        if target.shape != used.shape:
            raise ShapeError(f"{self.name}: target of shape {target.shape} for a prediction of "
                             f"shape {used.shape}")
        # M is run again at its current weights: an update since the prediction was made
        # changed them, so a graph recorded then would give a stale gradient (StaleGraphError).
        prediction = self.model(h, context) if self.optimizer is not None else used
        error = prediction - target
        loss = (error * error).sum() / prediction.shape[0]
        if self.optimizer is not None and loss.requires_grad:
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        self.losses.append(loss.item())
        self.cosines.append(cosine(used.data, target.data))
        return self.losses[-1]

    def drop_pending(self) -> None:
        """Forget predictions whose target will never come (an episode ended early)."""
        self.pending.clear()

    def __repr__(self) -> str:
        return f"SyntheticGradient({self.name}, scale={self.scale}, waiting={len(self.pending)})"


def handoff(h: Tensor) -> Tensor:
    """h's value as a fresh leaf that collects the gradient sent back to it."""
    return h.detach().requires_grad_()


def cosine(a, b) -> float:
    """cos ∠(a, b) over all entries; 0 when either is zero."""
    a = np.ravel(np.asarray(a, dtype=np.float64))
    b = np.ravel(np.asarray(b, dtype=np.float64))
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norms) if norms > 0 else 0.0
