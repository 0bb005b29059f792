"""Where the numbers of a drawing stop being defined, and why, in plain words.

At some points a function has no value: ``log(x)`` at x = −1, ``1/x`` at 0,
``x**100000`` at 2 (too large for a float: overflow). NumPy then quietly gives
``nan`` or ``inf``, and every number computed from it — later values, the
tangents of forward mode, the adjoints of reverse mode — means nothing either,
even when it happens to look like an ordinary number (``∂f/∂x = 1/x = -1`` beside
``f = log(-1) = nan``). This module finds

* ``undefined_parts(graph, numbers)``: which values, tangents, adjoints and edge
  derivatives a drawing must show as undefined rather than as numbers;
* ``first_undefined(graph, numbers)``: the first place it happened, as one line —
  which node, at which inputs, and why (``log of a negative number``).

A value is undefined when it is not a finite number or is computed from one that
is undefined; a tangent (∂node/∂wrt) when its node's value is, when it is not
finite, or when a tangent it is computed from is; an adjoint (∂output/∂node) when
the output is undefined, when it is not finite, or when anything it is summed from
(the adjoints and edge derivatives above it) is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .graph import CONSTANT, OP, DrawnGraph, Node
from .text import array_text, formula, partial_symbol


@dataclass
class UndefinedParts:
    """Node indices (values, tangents, adjoints) and edge ids that are undefined."""

    values: set = field(default_factory=set)
    tangents: set = field(default_factory=set)
    adjoints: set = field(default_factory=set)
    edges: set = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.values or self.tangents or self.adjoints or self.edges)


def _finite(tensor) -> bool:
    return tensor is None or bool(np.all(np.isfinite(np.asarray(tensor.detach().numpy()))))


def undefined_parts(graph: DrawnGraph, numbers) -> UndefinedParts:
    """Everything on the drawing that is not a defined number (see the module docstring)."""
    parts = UndefinedParts()
    for node in graph.nodes:  # inputs before the nodes computed from them
        into = graph.edges_into(node)
        if not _finite(node.tensor) or any(edge.parent.index in parts.values for edge in into):
            parts.values.add(node.index)
        for edge in _differentiated(into):
            if edge.child.index in parts.values or not _finite(numbers.edge_derivatives[id(edge)]):
                parts.edges.add(id(edge))
        if numbers.tangents is not None and (
                node.index in parts.values or not _finite(numbers.tangents[node.index])
                or any(edge.parent.index in parts.tangents or id(edge) in parts.edges for edge in into)):
            parts.tangents.add(node.index)
    if numbers.adjoints is not None:
        for node in reversed(graph.nodes):  # the output first
            if numbers.adjoints[node.index] is None:
                continue
            out_of = graph.edges_out_of(node)
            if (node is graph.output and node.index in parts.values) or not _finite(numbers.adjoints[node.index]) \
                    or any(edge.child.index in parts.adjoints or id(edge) in parts.edges for edge in out_of):
                parts.adjoints.add(node.index)
    return parts


def _differentiated(edges):
    """The edges a derivative flows along: not those from constants (∂(x**2)/∂2 at x = -1 is
    log(-1)·1, nan, but nothing is differentiated by the constant 2)."""
    return [edge for edge in edges if edge.parent.kind != CONSTANT]


def first_undefined(graph: DrawnGraph, numbers) -> str | None:
    """One line about the first undefined number, or None when every number is defined.

    ``f = log(x) is undefined at x = -1: log of a negative number``. Values are
    checked first (in the order they are computed), then the edge derivatives,
    the tangents and the adjoints."""
    for node in graph.nodes:
        if not _finite(node.tensor) and all(_finite(edge.parent.tensor) for edge in graph.edges_into(node)):
            return _value_message(graph, node)
    for edge in _differentiated(graph.edges):
        derivative = numbers.edge_derivatives[id(edge)]
        if not _finite(derivative):
            child = edge.child
            return (f"{partial_symbol(child.name, edge.parent.name)}, the derivative of {_label(graph, child)}, "
                    f"is undefined at {_inputs_text(graph, child)}: it is {_kind_of(derivative)} there")
    if numbers.tangents is not None:
        for node in graph.nodes:
            if not _finite(numbers.tangents[node.index]):
                return (f"the forward-mode derivative {partial_symbol(node.name, numbers.wrt.name)} is "
                        f"{_kind_of(numbers.tangents[node.index])} at {node.name}: overflow, it is {_overflow_words(node)}")
    if numbers.adjoints is not None:
        for node in reversed(graph.nodes):
            if not _finite(numbers.adjoints[node.index]):
                return (f"the reverse-mode derivative {partial_symbol(graph.output.name, node.name)} is "
                        f"{_kind_of(numbers.adjoints[node.index])}: overflow, it is {_overflow_words(node)}")
    return None


def _value_message(graph: DrawnGraph, node: Node) -> str:
    if node.kind == CONSTANT and np.all(np.isinf(np.asarray(node.tensor.detach().numpy()))):
        return f"a number in the expression is {_overflow_words(node)}: it became inf"
    if node.kind != OP:
        return f"the input {node.name} is {_kind_of(node.tensor)}"
    return f"{_label(graph, node)} is undefined at {_inputs_text(graph, node)}: {_reason(graph, node)}"


def _reason(graph: DrawnGraph, node: Node) -> str:
    """Why an operation on finite inputs gave nan or ±inf."""
    op = node.tensor.node.op.name
    values = [np.asarray(edge.parent.tensor.detach().numpy()) for edge in graph.edges_into(node)]
    if op == "log" and np.any(values[0] < 0):
        return "log of a negative number"
    if op == "log" and np.any(values[0] == 0):
        return "log of zero is -∞"
    if op == "sqrt" and np.any(values[0] < 0):
        return "square root of a negative number"
    if op == "div" and np.any(values[1] == 0):
        return "division by zero"
    if op == "pow":
        base, exponent = np.broadcast_arrays(*values)
        if np.any((base == 0) & (exponent < 0)):
            return "division by zero (0 to a negative power)"
        if np.any((base < 0) & (exponent != np.round(exponent))):
            return "a negative number to a non-integer power"
    if np.any(np.isinf(np.asarray(node.tensor.detach().numpy()))):
        return "overflow: the result is " + _overflow_words(node)
    return f"{op} gave nan"


def _overflow_words(node: Node) -> str:
    largest = np.finfo(node.tensor.dtype).max
    return f"too large for {node.tensor.dtype} (the largest is about {largest:.2g})"


def _label(graph: DrawnGraph, node: Node) -> str:
    return f"{node.name} = {formula(graph, node)}" if node.kind == OP else node.name


def _inputs_text(graph: DrawnGraph, node: Node) -> str:
    """``x = -1`` (the inputs of ``node`` that are not written into its formula)."""
    shown = [f"{edge.parent.name} = {array_text(edge.parent.tensor.detach().numpy())}"
             for edge in graph.edges_into(node) if not edge.parent.folded]
    return ", ".join(shown) or "these numbers"


def _kind_of(tensor) -> str:
    array = np.asarray(tensor.detach().numpy())
    if np.any(np.isnan(array)):
        return "nan (not a number)"
    return "infinite"
