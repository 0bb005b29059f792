"""Exercises that check themselves: a student's answer in, a report out.

* ``check_rule(name, vjp=..., jvp=...)`` — the VJP and JVP rules of a registry
  primitive, through the registry's own adjoint, finite-difference and
  second-order checks (``rule_check``);
* ``check_adjoint_table(answers)`` — a backward pass done by hand on a graph
  (Olah's c = a + b, d = b + 1, e = c · d by default): every x̄ = ∂e/∂x;
* ``check_pass_counts(n, m, forward=..., reverse=...)`` — how many derivative
  passes each mode needs for the whole Jacobian of f: Rⁿ → Rᵐ, counted by the
  cost tools.

Each returns a ``Report`` (truthy when passed) that says, in Korean and English,
what is wrong, where, the smallest counterexample found, the expected value
and a hint — never a traceback.

>>> from tinygrad_ko.exercises import check_rule
>>> report = check_rule("mul", vjp=(lambda g, z, x, y: g * y, lambda g, z, x, y: g * x))
>>> report.passed
True
"""

from .adjoint_table import check_adjoint_table
from .pass_counts import check_pass_counts
from .report import ExerciseError, Report, Words
from .rule_check import check_rule

__all__ = ["check_rule", "check_adjoint_table", "check_pass_counts", "Report", "Words", "ExerciseError"]
