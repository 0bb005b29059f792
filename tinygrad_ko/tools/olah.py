"""Chris Olah's example graph, built in one place.

    c = a + b,   d = b + 1,   e = c · d          (at a = 2, b = 1: c = 3, d = 2, e = 6)

Local derivatives on the edges: ∂c/∂a = ∂c/∂b = 1, ∂d/∂b = 1, ∂e/∂c = d = 2,
∂e/∂d = c = 3; so ∂e/∂a = 2 and ∂e/∂b = 1·2 + 1·3 = 5 (two paths from b).

The tour, the drawings, the cost examples and the notebooks all build it from
here; tests keep an independent copy, so a mistake here cannot hide.
"""

from __future__ import annotations

from typing import NamedTuple

from ..tensor import Tensor

TITLE = "e = (a + b) * (b + 1)"
"""The expression as the code writes it: the title of the tour's figures."""


class OlahGraph(NamedTuple):
    """The five named tensors of the graph, inputs first."""

    a: Tensor
    b: Tensor
    c: Tensor
    d: Tensor
    e: Tensor


def olah_nodes(a, b):
    """(c, d, e) for inputs a and b: c = a + b, d = b + 1, e = c · d, in this order.

    a and b may be Tensors of any shape (elementwise) or anything Tensor
    operations accept."""
    c = a + b
    d = b + 1
    return c, d, c * d


def olah(a, b):
    """e = (a + b)(b + 1), as a function of its two inputs (for jvp, grad, the cost counter)."""
    return olah_nodes(a, b)[2]


def olah_graph(a: float = 2.0, b: float = 1.0, *, dtype=None) -> OlahGraph:
    """The graph at (a, b), every tensor named as in Olah's figure; a and b require grad."""
    a = Tensor(a, requires_grad=True, name="a", dtype=dtype)
    b = Tensor(b, requires_grad=True, name="b", dtype=dtype)
    c, d, e = olah_nodes(a, b)
    c.name, d.name, e.name = "c", "d", "e"
    return OlahGraph(a, b, c, d, e)
