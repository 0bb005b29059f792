"""The Tensor, the engine that applies primitives, and composite functions."""

from .functions import concatenate, log_softmax, logsumexp, sigmoid, softmax, stack, tensor, where
from .graph import apply, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor

__all__ = ["Tensor", "tensor", "apply", "no_grad", "enable_grad", "is_grad_enabled",
           "sigmoid", "logsumexp", "log_softmax", "softmax", "concatenate", "stack", "where"]
