"""Convolution and pooling for NCHW tensors: the checks, then one primitive each.

The primitives (ops/conv.py) take kernel, stride and padding as pairs of ints;
these functions accept an int or a pair, check the shapes, and refuse what
cannot work with one ``ShapeError`` line that names the op and the shapes.
Each is also a Tensor method (``x.conv2d(w)``, ``x.max_pool2d(2)``, ...).

    conv2d(x, w, bias=None, stride=1, padding=0)   x (N, C, H, W), w (OC, C, KH, KW) → (N, OC, OH, OW)
    max_pool2d(x, kernel_size, stride=None, padding=0)   stride defaults to the kernel size
    avg_pool2d(x, kernel_size, stride=None, padding=0)
    im2col(x, kernel, stride=1, padding=0)          → (N, C, KH, KW, OH, OW)
    col2im(cols, shape, kernel, stride=1, padding=0)   its adjoint, back to ``shape``
"""

from __future__ import annotations

from ..errors import ShapeError
from ..ops.conv import output_size
from ..validate import integer
from .chain_rule import apply
from .tensor import P, Tensor


def pair(op: str, what: str, value, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints as a pair, each at least ``minimum``."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ShapeError(f"{op}: {what} must be an int or a pair of ints, got {value!r}")
    return tuple(integer(f"{op}: {what}", v, minimum=minimum, error=ShapeError) for v in values)


def _windows(op: str, image_shape, kernel, stride, padding):
    """Checked (kernel, stride, padding) pairs for an image of ``image_shape`` (N, C, H, W)."""
    if len(image_shape) != 4:
        raise ShapeError(f"{op}: needs an NCHW input with 4 axes, got shape {tuple(image_shape)}")
    kernel = pair(op, "kernel size", kernel, 1)
    stride = pair(op, "stride", stride, 1)
    padding = pair(op, "padding", padding, 0)
    padded = (image_shape[2] + 2 * padding[0], image_shape[3] + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ShapeError(f"{op}: kernel {kernel} is larger than the padded input {padded} "
                         f"(input shape {tuple(image_shape)}, padding {padding})")
    return kernel, stride, padding


def im2col(x: Tensor, kernel, stride=1, padding=0) -> Tensor:
    """Every kernel window of x as a column: (N, C, KH, KW, OH, OW)."""
    kernel, stride, padding = _windows("im2col", x.shape, kernel, stride, padding)
    return apply(P["im2col"], x, kernel=kernel, stride=stride, padding=padding)


def col2im(cols: Tensor, shape, kernel, stride=1, padding=0) -> Tensor:
    """The adjoint of im2col: column entries added back onto the pixels of an image of ``shape``."""
    shape = tuple(integer("col2im: each length of shape", n, minimum=1, error=ShapeError) for n in shape)
    kernel, stride, padding = _windows("col2im", shape, kernel, stride, padding)
    expected = shape[:2] + kernel + tuple(output_size(n, k, s, p) for n, k, s, p
                                          in zip(shape[2:], kernel, stride, padding))
    if cols.shape != expected:
        raise ShapeError(f"col2im: columns of shape {cols.shape} do not fit image shape {shape} "
                         f"with kernel {kernel}, stride {stride}, padding {padding} (expected {expected})")
    return apply(P["col2im"], cols, shape=shape, kernel=kernel, stride=stride, padding=padding)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0) -> Tensor:
    """Cross-correlation of x (N, C, H, W) with weight (OC, C, KH, KW), plus bias (OC,)."""
    if weight.ndim != 4:
        raise ShapeError(f"conv2d: the weight needs shape (out_channels, in_channels, KH, KW), "
                         f"got {weight.shape} (input shape {x.shape})")
    _, stride, padding = _windows("conv2d", x.shape, weight.shape[2:], stride, padding)
    if x.shape[1] != weight.shape[1]:
        raise ShapeError(f"conv2d: input shape {x.shape} has {x.shape[1]} channels, "
                         f"weight shape {weight.shape} expects {weight.shape[1]}")
    out = apply(P["conv2d"], x, weight, stride=stride, padding=padding)
    if bias is None:
        return out
    if bias.shape != (weight.shape[0],):
        raise ShapeError(f"conv2d: bias shape {bias.shape} does not fit weight shape {weight.shape} "
                         f"(needs ({weight.shape[0]},))")
    return out + bias.reshape(1, -1, 1, 1)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The maximum of every window; padding never wins (it counts as −∞)."""
    kernel, stride, padding = _windows("max_pool2d", x.shape, kernel_size,
                                       kernel_size if stride is None else stride, padding)
    if 2 * padding[0] > kernel[0] or 2 * padding[1] > kernel[1]:
        raise ShapeError(f"max_pool2d: padding {padding} must be at most half the kernel {kernel} "
                         f"(input shape {x.shape}); a window could hold padding only")
    return apply(P["max_pool2d"], x, kernel=kernel, stride=stride, padding=padding)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of every window, zero padding counted (PyTorch's ``count_include_pad``)."""
    kernel, stride, padding = _windows("avg_pool2d", x.shape, kernel_size,
                                       kernel_size if stride is None else stride, padding)
    return apply(P["avg_pool2d"], x, kernel=kernel, stride=stride, padding=padding)


Tensor.im2col = im2col
Tensor.col2im = col2im
Tensor.conv2d = conv2d
Tensor.max_pool2d = max_pool2d
Tensor.avg_pool2d = avg_pool2d
