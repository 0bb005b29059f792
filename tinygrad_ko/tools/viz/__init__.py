"""Drawings of computational graphs: Chris Olah's figures, from live code.

>>> from tinygrad_ko import Tensor
>>> from tinygrad_ko.tools.viz import draw
>>> a = Tensor(2.0, requires_grad=True, name="a")
>>> b = Tensor(1.0, requires_grad=True, name="b")
>>> e = (a + b) * (b + 1)
>>> e.name = "e"                            # unnamed tensors are called v1, v2, ...
>>> figure = draw(e, mode="both", wrt=b)   # values, ∂·/∂b (forward), ∂e/∂· (reverse)
>>> "∂e/∂b = 5" in figure.source
True

``figure.save("olah.svg")`` renders it (.svg, .png and .pdf need Graphviz; .dot
does not); in Jupyter the figure shows itself. ``step_through(e, wrt=b)``
fills the graph in one node at a time, the forward pass then the reverse pass;
``.save("olah.html")`` writes it as a page. ``expression_graph("(a+b)*(b+1)",
{"a": 2, "b": 1})`` builds the graph of a typed expression (parsed with a
whitelist, never eval'd).

Every number on a drawing comes from the engine (the registry's JVP rules and
a real backward pass on a copy of the graph); nothing here knows a derivative.
"""

from .drawing import MODES, Drawing, draw
from .expression import expression_graph
from .steps import StepThrough, step_through
from .render import GraphvizNotFoundError, VizError

__all__ = ["draw", "Drawing", "step_through", "StepThrough", "expression_graph", "MODES",
           "VizError", "GraphvizNotFoundError"]
