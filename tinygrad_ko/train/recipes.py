"""Optimizers by name, with the defaults the command line, the tour and the benchmark share.

| name      | ∂L/∂θ from              | update                                   | default lr |
|-----------|-------------------------|------------------------------------------|-----------|
| sgd       | backprop                | θ − α·g  (optional momentum)             | 0.1       |
| adam      | backprop                | Adam                                     | 0.001     |
| sgd-noise | backprop                | θ − α·g + s·ε, s fixed (GO-UP's first)   | 0.03      |
| goup      | backprop                | (1−k)θ + α(θ − g + ε·std(θ − g))         | 0.03      |
| goup-fwd  | K forward-mode passes   | the same GO-UP update, no backward pass  | 0.01      |

GO-UP's defaults stay below α = 0.05, where its noise makes the weights'
spread grow geometrically (see ``tinygrad_ko.optim.goup``).
"""

from __future__ import annotations

from ..optim import GOUP, SGD, Adam, ForwardGradient, NoisySGD, OptimizerError

DEFAULT_LR = {"sgd": 0.1, "adam": 1e-3, "sgd-noise": 0.03, "goup": 0.03, "goup-fwd": 0.01}
OPTIMIZER_NAMES = tuple(DEFAULT_LR)


def build_optimizer(name: str, params, lr: float | None = None, *, seed: int | None = None,
                    momentum: float = 0.0, k: float | None = None, noise_scale: float = 1.0,
                    directions: int = 16):
    """Return ``(optimizer, gradient)`` for ``name``; ``gradient`` is None (backprop) or a ForwardGradient.

    ``seed`` seeds the optimizer's noise (GO-UP, sgd-noise) and the forward
    gradient's directions, so one seed fixes a whole run."""
    if name not in DEFAULT_LR:
        raise OptimizerError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZER_NAMES)}")
    lr = DEFAULT_LR[name] if lr is None else lr
    if name == "sgd":
        return SGD(params, lr, momentum=momentum), None
    if name == "adam":
        return Adam(params, lr), None
    if name == "sgd-noise":
        return NoisySGD(params, lr, seed=seed), None
    optimizer = GOUP(params, lr, k=k, noise_scale=noise_scale, seed=seed)
    if name == "goup":
        return optimizer, None
    # The directions get their own stream, (seed, 1), apart from GO-UP's ε (seed).
    return optimizer, ForwardGradient(directions, seed=None if seed is None else (seed, 1))
