"""Matrix multiplication (batched: leading axes broadcast like NumPy)."""

import numpy as np

from .either import matrix_product, matrix_transpose
from .primitive import BROADCASTS, Kind, Primitive, register


def _matmul_flops(out, x, y) -> int:
    """Each output element is a dot product of length k: k multiplies and k adds."""
    return int(2 * out.size * x.shape[-1])


matmul = register(Primitive(
    name="matmul",
    doc="Z = X @ Y for matrices (inputs have at least 2 axes; Tensor.matmul handles vectors).   "
        "∂L/∂X = G @ Yᵀ,  ∂L/∂Y = Xᵀ @ G;  tangents: Ẋ @ Y and X @ Ẏ",
    kind=Kind.LINEAR_ALGEBRA,
    symbol="@",
    forward=np.matmul,
    vjp=(lambda g, z, x, y: matrix_product(g, matrix_transpose(y)),
         lambda g, z, x, y: matrix_product(matrix_transpose(x), g)),
    jvp=(lambda t, z, x, y: matrix_product(t, y),
         lambda t, z, x, y: matrix_product(x, t)),
    flops=_matmul_flops,
    broadcasts=True,
    on_arrays=True,
    batching=BROADCASTS,
))
