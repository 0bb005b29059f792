"""Differentiation: reverse mode, forward mode, Jacobians, Hessians, gradcheck."""

from .forward import dual_level, jvp, make_dual, unpack_dual
from .functional import grad, value_and_grad, vjp
from .gradcheck import GradcheckError, gradcheck, numeric_jacobian
from .reverse import backward, topological_order
from .transforms import hessian, hvp, jacfwd, jacrev

__all__ = ["backward", "topological_order", "grad", "value_and_grad", "vjp",
           "dual_level", "make_dual", "unpack_dual", "jvp",
           "jacfwd", "jacrev", "hessian", "hvp",
           "gradcheck", "GradcheckError", "numeric_jacobian"]
