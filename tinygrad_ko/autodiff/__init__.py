"""Differentiation as functions: reverse mode, forward mode, Jacobians, Hessians, gradcheck.

The chain rule they all call is ``tinygrad_ko/tensor/chain_rule.py``."""

from .forward import dual_level, jvp, make_dual, unpack_dual
from .functional import backward, grad, value_and_grad, vjp
from .gradcheck import GradcheckError, gradcheck, numeric_jacobian
from .transforms import hessian, hvp, hvp_forward_over_reverse, jacfwd, jacfwd_per_column, jacrev, jacrev_per_row
from ..tensor.chain_rule import topological_order

__all__ = ["backward", "topological_order", "grad", "value_and_grad", "vjp",
           "dual_level", "make_dual", "unpack_dual", "jvp",
           "jacfwd", "jacrev", "jacfwd_per_column", "jacrev_per_row", "hessian", "hvp", "hvp_forward_over_reverse",
           "gradcheck", "GradcheckError", "numeric_jacobian"]
