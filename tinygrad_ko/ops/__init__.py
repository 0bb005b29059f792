"""The primitive registry. Importing this package registers every primitive.

``PRIMITIVES`` maps a name to its ``Primitive`` entry (forward, VJP rules, JVP
rules, FLOP count; its kind, partials, symbol and typed name as data).
Everything else in tinygrad_ko — Tensor methods, composite functions, the
expression parser, the drawing and the cost counter — is built on these entries.
"""

from . import elementwise, linalg, reduce, shape
from .primitive import PRIMITIVES, Kind, PerInput, Primitive, register
from . import lstm  # the fused LSTM cell
from . import conv  # im2col, col2im, conv2d and pooling

__all__ = ["PRIMITIVES", "Primitive", "Kind", "PerInput", "register", "elementwise", "linalg", "reduce", "shape",
           "conv"]
