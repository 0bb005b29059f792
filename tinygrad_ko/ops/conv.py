"""Convolution and pooling on NCHW images, built on im2col and its adjoint col2im.

Shapes: an image batch x is (N, C, H, W); a kernel window is (KH, KW), moved
by ``stride`` (SH, SW) over x padded by ``padding`` (PH, PW) on each side, so
there are OH × OW window positions with

    OH = (H + 2 PH − KH) // SH + 1,      OW = (W + 2 PW − KW) // SW + 1.

**im2col** (DeZero's lesson) copies every window out into its own column::

    cols[n, c, i, j, p, q] = x_padded[n, c, p·SH + i, q·SW + j]     (N, C, KH, KW, OH, OW)

It is linear in x and only copies, so its adjoint sends each column entry back
to the pixel it was copied from, *adding up* where windows overlap: that is
**col2im**, and ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for every x and c. So the VJP
of im2col is col2im and the VJP of col2im is im2col; both JVPs are the op
itself (a linear map is its own derivative).

With the windows laid out as columns, the other three are one contraction or
reduction over the window axes (i, j), with c the input channel:

* **conv2d** (cross-correlation, as in PyTorch), weight w (OC, C, KH, KW)::

      z[n, o, p, q] = Σ_{c,i,j} w[o, c, i, j] · cols[n, c, i, j, p, q]

  bilinear like matmul: ∂L/∂x = col2im(wᵀ g), ∂L/∂w = g · colsᵀ;
  tangents conv2d(ẋ, w) and conv2d(x, ẇ).
* **max_pool2d**: z = max over (i, j) of cols (padding counts as −∞);
  ∂z/∂cols = 1 at the window's maximum, shared equally between ties (as the
  ``max`` primitive does), so ∂L/∂x = col2im(g · share).
* **avg_pool2d**: z = mean over (i, j) of cols (zero padding counted in the
  mean, PyTorch's default); ∂L/∂x = col2im(g / (KH·KW) in every window slot).

Parameters are tuples of two ints (``kernel``, ``stride``, ``padding``); the
Tensor layer (tensor/convolution.py) checks and normalises what a user wrote.
"""

import numpy as np

from ..backend import array_module
from .primitive import Kind, Primitive, no_flops, register


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Window positions along one axis: (size + 2·padding − kernel) // stride + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def _im2col_array(x, kernel, stride, padding, fill=0.0):
    """The windows of x as columns, (N, C, KH, KW, OH, OW); padding holds ``fill``
    (0; max pooling pads with −∞, which never wins a window)."""
    xp = array_module(x)
    N, C, H, W = x.shape
    (KH, KW), (SH, SW), (PH, PW) = kernel, stride, padding
    OH, OW = output_size(H, KH, SH, PH), output_size(W, KW, SW, PW)
    padded = xp.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)), constant_values=fill)
    cols = xp.empty((N, C, KH, KW, OH, OW), dtype=x.dtype)
    for i in range(KH):
        for j in range(KW):
            cols[:, :, i, j] = padded[:, :, i:i + SH * OH:SH, j:j + SW * OW:SW]
    return cols


def _col2im_array(cols, shape, kernel, stride, padding):
    """The adjoint of im2col: every column entry added back onto its pixel (padding dropped)."""
    xp = array_module(cols)
    N, C, H, W = shape
    (KH, KW), (SH, SW), (PH, PW) = kernel, stride, padding
    OH, OW = cols.shape[-2:]
    padded = xp.zeros((N, C, H + 2 * PH + SH - 1, W + 2 * PW + SW - 1), dtype=cols.dtype)
    for i in range(KH):
        for j in range(KW):
            padded[:, :, i:i + SH * OH:SH, j:j + SW * OW:SW] += cols[:, :, i, j]
    return padded[:, :, PH:PH + H, PW:PW + W]


im2col = register(Primitive(
    name="im2col",
    kind=Kind.SHAPE,
    doc="cols[n,c,i,j,p,q] = x_padded[n,c,p·SH+i,q·SW+j] (zero padding).   "
        "Linear and a pure copy: the adjoint is col2im, the tangent im2col(ẋ)",
    forward=_im2col_array,
    vjp=(lambda g, z, x, kernel, stride, padding: g.col2im(x.shape, kernel, stride, padding),),
    jvp=(lambda t, z, x, kernel, stride, padding: t.im2col(kernel, stride, padding),),
    flops=no_flops,
))

col2im = register(Primitive(
    name="col2im",
    kind=Kind.SHAPE,
    doc="x[n,c,h,w] = Σ of the column entries im2col copied from pixel (h, w).   "
        "The adjoint of im2col, so its own adjoint is im2col; the tangent col2im(ċ)",
    forward=_col2im_array,
    vjp=(lambda g, z, cols, shape, kernel, stride, padding: g.im2col(kernel, stride, padding),),
    jvp=(lambda t, z, cols, shape, kernel, stride, padding: t.col2im(shape, kernel, stride, padding),),
    flops=lambda out, cols, **params: int(cols.size),   # one addition per column entry
))


# ------------------------------------------------------------------ conv2d
def _conv2d_forward(x, w, stride, padding):
    cols = _im2col_array(x, w.shape[2:], stride, padding)
    out = array_module(x).tensordot(w, cols, axes=((1, 2, 3), (1, 2, 3)))   # (OC, N, OH, OW)
    return out.transpose(1, 0, 2, 3)


def _rows(cols):
    """Columns (N, C, KH, KW, OH, OW) as a matrix with one row per window: (N·OH·OW, C·KH·KW)."""
    N, C, KH, KW, OH, OW = cols.shape
    return cols.transpose((0, 4, 5, 1, 2, 3)).reshape(N * OH * OW, C * KH * KW)


def _pixels(g):
    """An output adjoint (N, OC, OH, OW) as a matrix with one row per window: (N·OH·OW, OC)."""
    N, OC, OH, OW = g.shape
    return g.transpose((0, 2, 3, 1)).reshape(N * OH * OW, OC)


def _conv2d_vjp_x(g, z, x, w, stride, padding):
    """∂L/∂x = col2im(cols_g) with cols_g[n,c,i,j,p,q] = Σ_o g[n,o,p,q] · w[o,c,i,j]."""
    N, OC, OH, OW = g.shape
    _, C, KH, KW = w.shape
    rows = _pixels(g) @ w.reshape(OC, C * KH * KW)
    cols = rows.reshape(N, OH, OW, C, KH, KW).transpose((0, 3, 4, 5, 1, 2))
    return cols.col2im(x.shape, (KH, KW), stride, padding)


def _conv2d_vjp_w(g, z, x, w, stride, padding):
    """∂L/∂w[o,c,i,j] = Σ_{n,p,q} g[n,o,p,q] · cols[n,c,i,j,p,q]."""
    rows = _rows(x.im2col(w.shape[2:], stride, padding))
    return (_pixels(g).mT @ rows).reshape(w.shape)


def _conv2d_flops(out, x, w, stride, padding) -> int:
    """Each output element is a dot product of length C·KH·KW: a multiply and an add each."""
    return int(2 * out.size * w[0].size)


conv2d = register(Primitive(
    name="conv2d",
    kind=Kind.LINEAR_ALGEBRA,
    doc="z[n,o,p,q] = Σ_{c,i,j} w[o,c,i,j] · x_padded[n,c,p·SH+i,q·SW+j].   "
        "∂L/∂x = col2im(Σ_o g·w),  ∂L/∂w = Σ_{n,p,q} g · im2col(x);  tangents conv2d(ẋ, w) + conv2d(x, ẇ)",
    forward=_conv2d_forward,
    vjp=(_conv2d_vjp_x, _conv2d_vjp_w),
    jvp=(lambda t, z, x, w, stride, padding: t.conv2d(w, stride=stride, padding=padding),
         lambda t, z, x, w, stride, padding: x.conv2d(t, stride=stride, padding=padding)),
    flops=_conv2d_flops,
))


# ------------------------------------------------------------------ pooling
def _pooled_shape(x_shape, out_shape):
    """Where the window axes sit: (N, C, 1, 1, OH, OW), to broadcast against the columns."""
    return x_shape[:2] + (1, 1) + out_shape[2:]


def _max_share(x, z, kernel, stride, padding):
    """∂z/∂cols: 1/k at each of the k window entries equal to the window's maximum, else 0.

    A constant (which entry is the maximum does not move under an infinitesimal
    change), so it is computed on the arrays and returned as an array: a rule
    multiplies a Tensor by it, which takes it in as a constant. The rules stay
    linear in g and t, and their own derivatives are exact."""
    cols = _im2col_array(x.data, kernel, stride, padding, fill=-np.inf)
    is_max = cols == z.data.reshape(_pooled_shape(x.shape, z.shape))
    share = is_max / is_max.sum(axis=(2, 3), keepdims=True)
    return share.astype(x.dtype, copy=False)


def _max_pool_vjp(g, z, x, kernel, stride, padding):
    share = _max_share(x, z, kernel, stride, padding)
    return (g.reshape(_pooled_shape(x.shape, z.shape)) * share).col2im(x.shape, kernel, stride, padding)


def _max_pool_jvp(t, z, x, kernel, stride, padding):
    share = _max_share(x, z, kernel, stride, padding)
    return (t.im2col(kernel, stride, padding) * share).sum((2, 3))


max_pool2d = register(Primitive(
    name="max_pool2d",
    kind=Kind.REDUCTION,
    doc="z[n,c,p,q] = max_{i,j} x_padded[n,c,p·SH+i,q·SW+j] (padding −∞).   "
        "∂z/∂x = 1 at each window's maximum (shared equally between ties): ∂L/∂x = col2im(g · share)",
    forward=lambda x, kernel, stride, padding:
        _im2col_array(x, kernel, stride, padding, fill=-np.inf).max(axis=(2, 3)),
    vjp=(_max_pool_vjp,),
    jvp=(_max_pool_jvp,),
    flops=lambda out, x, kernel, stride, padding: int(out.size * (kernel[0] * kernel[1] - 1)),
))


def _avg_pool_vjp(g, z, x, kernel, stride, padding):
    window = kernel[0] * kernel[1]
    cols_shape = x.shape[:2] + tuple(kernel) + z.shape[2:]
    spread = (g / window).reshape(_pooled_shape(x.shape, z.shape)).broadcast_to(cols_shape)
    return spread.col2im(x.shape, kernel, stride, padding)


avg_pool2d = register(Primitive(
    name="avg_pool2d",
    kind=Kind.REDUCTION,
    doc="z[n,c,p,q] = (1/(KH·KW)) Σ_{i,j} x_padded[n,c,p·SH+i,q·SW+j] (zero padding counted).   "
        "∂L/∂x = col2im(g / (KH·KW) in every window slot);  tangent avg_pool2d(ẋ)",
    forward=lambda x, kernel, stride, padding:
        _im2col_array(x, kernel, stride, padding).mean(axis=(2, 3)),
    vjp=(_avg_pool_vjp,),
    jvp=(lambda t, z, x, kernel, stride, padding: t.avg_pool2d(kernel, stride, padding),),
    flops=lambda out, x, kernel, stride, padding: int(out.size * kernel[0] * kernel[1]),
))
