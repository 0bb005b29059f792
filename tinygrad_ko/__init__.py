"""tinygrad_ko — a readable autodiff engine: forward and reverse mode on one graph.

>>> from tinygrad_ko import Tensor
>>> a = Tensor(2.0, requires_grad=True, name="a")
>>> b = Tensor(1.0, requires_grad=True, name="b")
>>> e = (a + b) * (b + 1)
>>> e.backward()
>>> a.grad.item(), b.grad.item()
(2.0, 5.0)
"""

from . import ops
from .autodiff import (GradcheckError, dual_level, grad, gradcheck, hessian, hvp, jacfwd,
                       jacrev, jvp, make_dual, unpack_dual, value_and_grad, vjp)
from .backend import default_dtype, set_default_dtype
from .checkpoint import CheckpointError, load, save
from .errors import (DeviceError, DTypeError, GradError, GraphFreedError, ShapeError,
                     StaleGraphError, TinygradKoError)
from .tensor import (Tensor, absolute, concatenate, enable_grad, is_grad_enabled, log_sigmoid,
                     log_softmax, logsumexp, no_grad, sigmoid, softmax, softplus, stack, tensor, where)
from .tensor import avg_pool2d, col2im, conv2d, im2col, max_pool2d

__version__ = "0.1.0"

__all__ = [
    "Tensor", "tensor", "no_grad", "enable_grad", "is_grad_enabled",
    "absolute", "sigmoid", "log_sigmoid", "softplus", "logsumexp", "log_softmax", "softmax", "concatenate", "stack", "where",
    "conv2d", "max_pool2d", "avg_pool2d", "im2col", "col2im",
    "grad", "value_and_grad", "vjp", "jvp", "dual_level", "make_dual", "unpack_dual",
    "jacfwd", "jacrev", "hessian", "hvp", "gradcheck", "GradcheckError",
    "default_dtype", "set_default_dtype", "save", "load", "CheckpointError",
    "TinygradKoError", "ShapeError", "DTypeError", "GradError", "GraphFreedError", "StaleGraphError",
    "DeviceError",
    "ops",
]
