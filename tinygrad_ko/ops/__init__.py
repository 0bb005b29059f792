"""The primitive registry. Importing this package registers every primitive.

``PRIMITIVES`` maps a name to its ``Primitive`` entry (forward, VJP rules, JVP
rules, FLOP count). Everything else in tinygrad_ko — Tensor methods, composite
functions, the drawing and the cost counter — is built on these entries.
"""

from . import elementwise, linalg, reduce, shape
from .primitive import PRIMITIVES, PerInput, Primitive, register
from . import lstm  # the fused LSTM cell
from . import conv  # im2col, col2im, conv2d and pooling

__all__ = ["PRIMITIVES", "Primitive", "PerInput", "register", "elementwise", "linalg", "reduce", "shape", "conv"]
