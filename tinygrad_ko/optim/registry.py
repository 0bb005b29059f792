"""The optimizer registry: every optimizer a run can name, in one table.

One entry per name holds what the command line, the training code, the tour and
the benchmarks need: the default learning rate, where ∂L/∂θ comes from, the
update in one line (the ``--help`` text is made from these), the settings it
takes beyond ``lr`` and ``seed``, and how to build it.

| name      | ∂L/∂θ from              | update                                   | default lr |
|-----------|-------------------------|------------------------------------------|-----------|
| sgd       | backprop                | θ − α·g  (optional momentum)             | 0.1       |
| adam      | backprop                | Adam                                     | 0.001     |
| sgd-noise | backprop                | θ − α·g + s·ε, s fixed (GO-UP's first)   | 0.03      |
| goup      | backprop                | (1−k)θ + α(θ − g + ε·std(θ − g))         | 0.03      |
| goup-fwd  | K forward-mode passes   | the same GO-UP update, no backward pass  | 0.01      |

GO-UP's defaults stay below α = 0.05, where its noise makes the weights'
spread grow geometrically (see ``tinygrad_ko.optim.goup``). Adding an
optimizer is one ``register_optimizer(OptimizerEntry(...))`` call here
(CONTRIBUTING.md has the recipe).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .adam import Adam
from .forward_gradient import ForwardGradient
from .goup import GOUP
from .noisy_sgd import NoisySGD
from .optimizer import Optimizer, OptimizerError
from .sgd import SGD

# The settings some optimizers take, with the value each has when not given.
SETTING_DEFAULTS = {"momentum": 0.0, "k": None, "noise_scale": 1.0, "directions": 16}


@dataclass(frozen=True)
class OptimizerEntry:
    """One optimizer a run can name.

    ``build(params, lr, seed, **settings)`` returns ``(optimizer, gradient)``:
    ``gradient`` is None when ∂L/∂θ comes from backprop, else the
    ``ForwardGradient`` that fills ``.grad``. It receives exactly the
    ``settings`` named here, each given or at its ``SETTING_DEFAULTS`` value."""

    name: str
    default_lr: float
    gradient_from: str
    update: str
    build: Callable[..., tuple[Optimizer, ForwardGradient | None]]
    settings: tuple[str, ...] = ()


OPTIMIZERS: dict[str, OptimizerEntry] = {}


def register_optimizer(entry: OptimizerEntry) -> OptimizerEntry:
    """Add ``entry`` to the table (its name must be new, its settings known) and return it."""
    if entry.name in OPTIMIZERS:
        raise ValueError(f"optimizer {entry.name!r} is registered twice")
    unknown = set(entry.settings) - set(SETTING_DEFAULTS)
    if unknown:
        raise ValueError(f"optimizer {entry.name!r}: unknown settings {sorted(unknown)}; known: {sorted(SETTING_DEFAULTS)}")
    OPTIMIZERS[entry.name] = entry
    return entry


def optimizers_taking(setting: str) -> tuple[str, ...]:
    """The names of the optimizers that take ``setting`` (e.g. "momentum" -> ("sgd",))."""
    return tuple(name for name, entry in OPTIMIZERS.items() if setting in entry.settings)


def build_optimizer(name: str, params, lr: float | None = None, *, seed: int | None = None, **settings):
    """Return ``(optimizer, gradient)`` for ``name``; ``gradient`` is None (backprop) or a ForwardGradient.

    ``lr`` defaults to the entry's ``default_lr``. ``settings`` are any of
    ``SETTING_DEFAULTS`` (momentum, k, noise_scale, directions); each optimizer
    takes the ones its entry names, and the others are ignored. ``seed`` seeds
    the optimizer's noise (GO-UP, sgd-noise) and the forward gradient's
    directions, so one seed fixes a whole run."""
    if name not in OPTIMIZERS:
        raise OptimizerError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    unknown = set(settings) - set(SETTING_DEFAULTS)
    if unknown:
        raise OptimizerError(f"unknown optimizer settings {sorted(unknown)}; known: {', '.join(SETTING_DEFAULTS)}")
    entry = OPTIMIZERS[name]
    taken = {key: settings.get(key, SETTING_DEFAULTS[key]) for key in entry.settings}
    return entry.build(params, entry.default_lr if lr is None else lr, seed, **taken)


def _forward_goup(params, lr, seed, *, k, noise_scale, directions):
    # The directions get their own stream, (seed, 1), apart from GO-UP's ε (seed).
    gradient = ForwardGradient(directions, seed=None if seed is None else (seed, 1))
    return GOUP(params, lr, k=k, noise_scale=noise_scale, seed=seed), gradient


register_optimizer(OptimizerEntry(
    name="sgd", default_lr=0.1, gradient_from="backprop", update="θ − α·g (optional momentum)",
    settings=("momentum",),
    build=lambda params, lr, seed, *, momentum: (SGD(params, lr, momentum=momentum), None),
))
register_optimizer(OptimizerEntry(
    name="adam", default_lr=1e-3, gradient_from="backprop", update="Adam",
    build=lambda params, lr, seed: (Adam(params, lr), None),
))
register_optimizer(OptimizerEntry(
    name="sgd-noise", default_lr=0.03, gradient_from="backprop",
    update="θ − α·g + s·ε, s fixed (GO-UP's first control)",
    build=lambda params, lr, seed: (NoisySGD(params, lr, seed=seed), None),
))
register_optimizer(OptimizerEntry(
    name="goup", default_lr=0.03, gradient_from="backprop", update="(1−k)θ + α(θ − g + ε·std(θ − g))",
    settings=("k", "noise_scale"),
    build=lambda params, lr, seed, *, k, noise_scale: (GOUP(params, lr, k=k, noise_scale=noise_scale, seed=seed), None),
))
register_optimizer(OptimizerEntry(
    name="goup-fwd", default_lr=0.01, gradient_from="K forward-mode passes",
    update="the GO-UP update with a forward-mode gradient estimate, no backward pass",
    settings=("k", "noise_scale", "directions"),
    build=_forward_goup,
))
