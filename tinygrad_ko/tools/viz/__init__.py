"""Drawings of computational graphs: Chris Olah's figures, from live code.

>>> from tinygrad_ko import Tensor
>>> from tinygrad_ko.tools.viz import draw
>>> a = Tensor(2.0, requires_grad=True, name="a")
>>> b = Tensor(1.0, requires_grad=True, name="b")
>>> e = (a + b) * (b + 1)
>>> figure = draw(e, mode="both", wrt=b)   # values, ∂·/∂b (forward), ∂e/∂· (reverse)
>>> figure.save("olah.dot")                # doctest: +SKIP   (.svg / .png need Graphviz)

``step_through(e, wrt=b).save("olah.html")`` writes a page that fills the graph
in one node at a time: the forward pass, then the reverse pass.

Every number on a drawing comes from the engine (the registry's JVP rules and
a real backward pass on a copy of the graph); nothing here knows a derivative.
"""

from .drawing import MODES, Drawing, draw
from .steps import StepThrough, step_through
from .render import GraphvizNotFoundError, VizError

__all__ = ["draw", "Drawing", "step_through", "StepThrough", "MODES", "VizError", "GraphvizNotFoundError"]
