"""The Tensor, the chain rule that applies primitives and differentiates them, and composite functions."""

from .functions import (absolute, concatenate, log_sigmoid, log_softmax, logsumexp, sigmoid, softmax,
                        softplus, stack, tensor, where)
from .chain_rule import apply
from .convolution import avg_pool2d, col2im, conv2d, im2col, max_pool2d
from .graph import enable_grad, is_grad_enabled, no_grad
from . import lstm_cell  # registers the fused LSTM cell
from .tensor import Tensor

__all__ = ["Tensor", "tensor", "apply", "no_grad", "enable_grad", "is_grad_enabled",
           "absolute", "sigmoid", "log_sigmoid", "softplus", "logsumexp", "log_softmax", "softmax", "concatenate", "stack", "where",
           "conv2d", "max_pool2d", "avg_pool2d", "im2col", "col2im"]
