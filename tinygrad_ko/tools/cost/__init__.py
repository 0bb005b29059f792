"""Forward versus reverse mode, counted and timed.

* ``count_ops()`` — calls and FLOPs per primitive and pass (primal / jvp / vjp),
  forward and backward passes, and the peak tape memory of a block of code.
* ``compare_modes(f, x)`` — the Jacobian by ``jacfwd`` and by ``jacrev`` (and in
  one vectorised pass each): passes, FLOPs, tape, time, and a cross-check.
* ``run_sweep`` / ``plot_sweep`` — both modes over n and m on built-in examples,
  with the crossover at n ≈ m drawn.
* ``cheap_gradient_check()`` — gradient cost over forward cost for an MLP.

From the command line: ``tinygrad-ko cost``.
"""

from .batched import jacfwd_vectorized, jacrev_vectorized
from .cheap_gradient import cheap_gradient_check, make_mlp
from .compare import ModeComparison, ModeCost, compare_modes
from .counter import OpCounts, count_ops
from .examples import EXAMPLES, Example, make_example
from .plots import make_sweep_figure, plot_sweep
from .sweep import Sweep, run_sweep
from .tape import TapeMeter

__all__ = ["count_ops", "OpCounts", "TapeMeter", "compare_modes", "ModeComparison", "ModeCost",
           "jacfwd_vectorized", "jacrev_vectorized", "EXAMPLES", "Example", "make_example",
           "run_sweep", "Sweep", "plot_sweep", "make_sweep_figure",
           "cheap_gradient_check", "make_mlp"]
