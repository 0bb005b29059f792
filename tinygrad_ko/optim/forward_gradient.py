"""Gradients without a backward pass: the forward gradient (Baydin et al., 2022).

Forward mode gives, in one pass, the *directional* derivative of the loss along
a tangent v: the JVP  ∇L·v  (one number). Multiplying it back onto v gives a
random vector whose average is the gradient:

    ĝ = (∇L·v)·v,   v ~ N(0, I)   ⇒   E[ĝ] = E[v vᵀ] ∇L = I·∇L = ∇L.

It is unbiased but noisy: E‖ĝ‖² = (n + 2)·‖∇L‖² for n parameters, so each
coordinate carries noise about √n times its signal. Averaging K directions
divides the variance by K; even so a step needs a learning rate of roughly
K/n times SGD's to stay stable.

Every pass here is a forward-mode pass run under ``no_grad()``: no graph is
recorded and no reverse (VJP) rule ever runs. ``jvp_passes`` counts the passes
so this can be checked (the training loop and the tests also watch the engine's
phases with ``observe``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..autodiff import jvp
from ..errors import GradError
from ..generators import generator_from_state, generator_state, seeded_generator
from ..tensor import Tensor, no_grad
from ..validate import integer
from .optimizer import OptimizerError


class ForwardGradient:
    """Estimate ∂L/∂params from ``directions`` forward-mode passes; no backpropagation.

    ``estimator(loss_of, params)`` calls ``loss_of(*tensors)`` (the loss as a
    function of tensors standing for the parameters) once per direction, adds
    the estimate ĝ = (1/K) Σₖ (∇L·vₖ)·vₖ to each parameter's ``.grad`` (as
    ``backward`` would) and returns the loss. The directions vₖ ~ N(0, I) come
    from the estimator's own generator, seeded with ``seed``.
    """

    def __init__(self, directions: int = 1, seed=None):
        self.directions = integer("directions", directions, minimum=1, error=OptimizerError)
        self.rng = seeded_generator("seed", seed, OptimizerError)
        self.jvp_passes = 0

    def random_tangents(self, params) -> list[Tensor]:
        """One direction v ~ N(0, I) over all parameters, as a tensor per parameter."""
        return [Tensor(self.rng.standard_normal(p.shape, dtype=p.dtype)) for p in params]

    def __call__(self, loss_of: Callable, params) -> Tensor:
        params = list(params)
        estimate = [np.zeros_like(p.data) for p in params]
        loss = None
        with no_grad():
            for _ in range(self.directions):
                tangents = self.random_tangents(params)
                loss, slope = jvp(loss_of, params, tangents)        # slope = ∇L·v
                self.jvp_passes += 1
                if loss.size != 1:
                    raise GradError(f"forward gradient: the loss has shape {loss.shape}; "
                                    "it must be a single number")
                weight = slope.item() / self.directions
                for total, v in zip(estimate, tangents):
                    total += weight * v.data                        # (∇L·v)·v / K
        for param, total in zip(params, estimate):
            contribution = Tensor(total)
            param.grad = contribution if param.grad is None else param.grad + contribution
        return loss

    def state_dict(self) -> dict:
        """The number of directions, the passes so far and the directions' generator, as plain data."""
        return {"directions": self.directions, "jvp_passes": self.jvp_passes,
                "rng": generator_state(self.rng)}

    def load_state_dict(self, state) -> None:
        """Continue from ``state_dict()``'s output; everything is checked before anything changes."""
        name = "ForwardGradient.load_state_dict"
        if not isinstance(state, dict):
            raise OptimizerError(f"{name} needs the dict of state_dict(), got {type(state).__name__}")
        directions = integer("directions", state.get("directions"), minimum=1, error=OptimizerError)
        passes = integer(f"{name}: jvp_passes", state.get("jvp_passes"), minimum=0, error=OptimizerError)
        rng = generator_from_state(f"{name}: rng", state.get("rng"), OptimizerError)
        self.directions, self.jvp_passes, self.rng = directions, passes, rng

    def __repr__(self) -> str:
        return f"ForwardGradient(directions={self.directions})"
