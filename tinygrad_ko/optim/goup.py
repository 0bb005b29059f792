"""GO-UP: the update of a Korean blog post that calls itself "no optimizer, no
gradient descent, no backpropagation", implemented as the post writes it but for
one choice (the standard deviation, below), and what it is.

The post's update, for every parameter tensor θ with loss gradient g = ∂L/∂θ:

    θ ← (1 − α)·θ + α·(θ − g + ε·std(θ − g)),        ε ~ N(0, I)

read as an Ornstein–Uhlenbeck step: θ is pulled, at rate α, toward a noisy
target θ − g whose noise is as wide as the target's own spread. The post's
justification is that αθ − α·∂L/∂θ "looks Gaussian"
(``tinygrad_ko.train.gaussian_check`` redraws that figure). The post hedges its
own claims, and we quote the hedges beside them: the update is "no gradient
descent", yet "SGD 기반이긴 합니다만" (it is SGD-based, it says); the
Ornstein–Uhlenbeck reading is offered as a "(엄밀하지는 않은) 수학적 원리" (a
mathematical principle, "not rigorous"); and at one step the reader is asked to
go on "이유는 묻지 말고" (without asking why).

**Which standard deviation.** The post computes std with PyTorch's
``torch.std``, which by default is the *sample* standard deviation (divided by
N − 1). We use the *population* standard deviation (divided by N, NumPy's
``std``): it is the spread of the numbers that are there, it is what the
"as wide as the target's own spread" reading means, and it is defined for every
tensor — on a one-element tensor (a single bias) the sample std divides by 0 and
the post's update gives NaN, ours gives 0 (no noise). For a tensor of N entries
the two differ by the factor √(N / (N − 1)): 0.8 % for the 64 biases of the
digits MLP, 0.01 % for its 4,096 weights.

Here the pull rate is a separate number k (default k = α, the post's choice)
and the noise has a scale σ (default 1):

    θ ← (1 − k)·θ + α·(θ − g + σ·ε·std(θ − g))

**The algebra.** Expanding, θ ← θ − α·g − (k − α)·θ + α·σ·std(θ − g)·ε, so with
k = α the update is exactly

    θ − α·g + α·std(θ − g)·ε

— one step of gradient descent with learning rate α, plus isotropic Gaussian
noise. The gradient is the ordinary loss gradient (computed by backprop, unless
a forward-gradient estimate replaces it, see ``forward_gradient``); k > α adds
weight decay (k − α)·θ, k < α its opposite.

**Why it blows up for larger α.** The noise is α·std(θ − g) ≈ α·std(θ), a fixed
*fraction* of the weights' own spread. Where the gradient does little, each step
multiplies Var(θ) by (1 + α²), so after T steps std(θ) has grown by
(1 + α²)^(T/2): ×5 at α = 0.05 and ×600 at α = 0.1 over 1,290 steps (30 epochs
of digits at batch 32). SGD plus noise of a *fixed* size (``NoisySGD``) has
no such feedback and trains normally at those rates.
"""

from __future__ import annotations

import numpy as np

from ..generators import generator_from_state, generator_state, seeded_generator
from ..validate import integer, real
from .inplace import blocks, contiguous
from .optimizer import Optimizer, OptimizerError


class GOUP(Optimizer):
    """θ ← (1 − k)·θ + lr·(θ − g + noise_scale·ε·std(θ − g)),  ε ~ N(0, I), per tensor.

    ``lr`` is α; ``k`` (the mean-reversion rate) defaults to α, which makes the
    update θ − α·g + α·std(θ − g)·ε: gradient descent plus Gaussian noise (see
    the module docstring for the algebra and for why std(θ) grows like
    (1 + α²)^(T/2)). ε comes from a ``numpy.random.Generator`` seeded with
    ``seed`` and owned by the optimizer; it is drawn parameter by parameter in
    the order given, in the parameter's dtype, so a seed fixes every step.

    On the GPU one reduction kernel takes std(θ − g) and one fused kernel does
    the rest, drawing ε inside the kernel from the counter-based Philox
    generator: draw number d (one per parameter per step) uses the counter
    offset d under a key taken once from the seeded generator, so a seed still
    fixes every step, though not to the same numbers as on the CPU.
    """

    def __init__(self, params, lr: float, k: float | None = None, noise_scale: float = 1.0,
                 seed: int | None = None):
        super().__init__(params, lr)
        self.k = self.lr if k is None else real("k (the mean-reversion rate)", k, above=0, maximum=1,
                                                error=OptimizerError)
        self.noise_scale = real("noise_scale", noise_scale, minimum=0, error=OptimizerError)
        self.rng = seeded_generator("seed", seed, OptimizerError)
        self.philox_key: int | None = None   # the GPU generator's key, drawn at the first GPU step
        self.philox_draws = 0

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        kernels = self.fused_kernels_for(theta)
        if kernels is not None:
            self.fused_update(kernels, theta, grad)
            return
        target = theta - grad                                   # θ − g
        spread = target.std()                                   # std over the whole tensor
        if contiguous(theta):
            self.finish_in_blocks(theta, target, spread)
            return
        noise = self.rng.standard_normal(theta.shape, dtype=theta.dtype)  # ε ~ N(0, I)
        noise *= self.noise_scale * spread                      # σ · std(θ − g) · ε
        target += noise                                         # θ − g + σ·ε·std(θ − g)
        target *= self.lr                                       # α · (…)
        theta *= 1 - self.k                                     # (1 − k) · θ
        theta += target

    def finish_in_blocks(self, theta, target, spread) -> None:
        """The rest of the update block by block, the noise drawn into a scratch buffer
        (``optim/inplace.py``): no full-size noise array. The generator fills block after
        block with the numbers one draw of the whole shape gives, so the result is the
        same bit for bit. (θ − g is still made whole: std needs all of it.)"""
        scale = self.noise_scale * spread
        for th, tg in blocks(theta, target):
            noise = self.scratch(0, th.size, th.dtype)
            self.rng.standard_normal(dtype=th.dtype, out=noise)   # ε ~ N(0, I)
            noise *= scale                                        # σ · std(θ − g) · ε
            tg += noise                                           # θ − g + σ·ε·std(θ − g)
            tg *= self.lr                                         # α · (…)
            th *= 1 - self.k                                      # (1 − k) · θ
            th += tg

    def fused_update(self, kernels, theta, grad) -> None:
        """The same update on the GPU: std(θ − g) by a reduction, then one kernel."""
        if self.philox_key is None:
            self.philox_key = int(self.rng.integers(2 ** 63))
        _, spread = kernels.mean_std(theta - grad)
        kernels.goup_update(theta, grad, alpha=self.lr, k=self.k, s=self.noise_scale, std=spread,
                            seed=self.philox_key, offset=self.philox_draws)
        self.philox_draws += 1

    def settings(self) -> dict:
        return {"lr": self.lr, "k": self.k, "noise_scale": self.noise_scale}

    def extra_state(self) -> dict:
        """The noise generators: NumPy's (CPU) and the GPU's Philox key and draw count."""
        return {"rng": generator_state(self.rng), "philox_key": self.philox_key,
                "philox_draws": self.philox_draws}

    def load_extra_state(self, state: dict) -> None:
        name = "GOUP.load_state_dict"
        key = state.get("philox_key")
        if key is not None:
            key = integer(f"{name}: philox_key", key, minimum=0, maximum=2 ** 63 - 1, error=OptimizerError)
        draws = integer(f"{name}: philox_draws", state.get("philox_draws"), minimum=0, error=OptimizerError)
        self.rng = generator_from_state(f"{name}: rng", state.get("rng"), OptimizerError)
        self.philox_key, self.philox_draws = key, draws

    def __repr__(self) -> str:
        return f"GOUP(lr={self.lr}, k={self.k}, noise_scale={self.noise_scale})"
