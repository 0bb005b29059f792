"""The primitive registry. Importing this package registers every primitive but one.

``PRIMITIVES`` maps a name to its ``Primitive`` entry (forward, VJP rules, JVP
rules, FLOP count; its kind, partials, symbol and typed name as data).
Everything else in tinygrad_ko — Tensor methods, composite functions, the
expression parser, the drawing and the cost counter — is built on these entries.

The one left: the fused LSTM cell. Its math is ``lstm`` here, on arrays; its
rules run it on Tensors or on arrays, a choice that reads the engine's
switches, so its entry is registered one floor up, by tensor/lstm_cell.py.
"""

from . import elementwise, linalg, reduce, shape, softmax
from .primitive import PRIMITIVES, Kind, PerInput, Primitive, register
from . import lstm  # the fused LSTM cell's math (its entry: tensor/lstm_cell.py)
from . import conv  # im2col, col2im, conv2d and pooling

__all__ = ["PRIMITIVES", "Primitive", "Kind", "PerInput", "register", "elementwise", "linalg", "reduce", "shape",
           "softmax", "conv"]
