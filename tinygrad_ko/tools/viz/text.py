"""The words and numbers written on a drawing: formulas, values, summaries.

Only display is decided here. Numbers are passed in (computed by the engine);
how an operation is written (``a + b``, ``-a``, ``exp(a)``) and the symbolic
form of a local derivative (``∂z/∂x = y`` for ``mul``) are read from the
primitive's registry entry (``symbol``, ``partials``), never written again.
"""

from __future__ import annotations

import re

import numpy as np

from ...ops.primitive import OUTPUT
from .graph import DrawnGraph, Edge, Node, is_elementwise, number_text

SMALL_TENSOR = 4
"""Tensors with at most this many elements are written out in full."""


def formula(graph: DrawnGraph, node: Node) -> str:
    """How ``node`` was computed, in its inputs' names: ``a + b``, ``-a``, ``exp(c)``.

    A primitive with a ``symbol`` is written as in Python, so a student's typed
    expression and the drawing read the same: between its two inputs
    (``a + b``, ``X @ W``) or before its one input (``-a``); every other
    primitive is written as a call, ``exp(a)``, ``sum(h)``."""
    op = node.tensor.node.op
    operands = [edge.parent.name for edge in graph.edges_into(node)]
    if op.symbol is not None and len(operands) == 2:
        return f"{operands[0]} {op.symbol} {operands[1]}"
    if op.symbol is not None and len(operands) == 1:
        return f"{op.symbol}{operands[0]}"
    return f"{op.name}({', '.join(operands)})"


def array_text(array) -> str:
    """A value, tangent or adjoint: one number for scalars, the elements of a
    small tensor, or min / mean / max of a large one."""
    array = np.asarray(array)
    if array.size == 1:
        return number_text(array.reshape(()).item())
    if array.size <= SMALL_TENSOR:
        return _nested_text(array.tolist())
    if array.dtype.kind == "b":
        return f"{int(array.sum())} of {array.size} true"
    return (f"min {number_text(array.min())} · mean {number_text(array.mean())} · "
            f"max {number_text(array.max())}")


def _nested_text(values) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested_text(v) for v in values) + "]"
    return number_text(values)


def shape_text(node: Node) -> str:
    """``(64, 10) float32`` for a tensor."""
    shape = ", ".join(str(n) for n in node.tensor.shape)
    if len(node.tensor.shape) == 1:
        shape += ","
    return f"({shape}) {node.tensor.dtype}"


def full_text(array) -> str:
    """A value at full precision (for the hover tooltip)."""
    array = np.asarray(array)
    if array.size == 1:
        return repr(array.reshape(()).item())
    return np.array2string(array, precision=6, threshold=12, separator=", ")


# --------------------------------------------------- symbolic local derivatives

def rule_formula(graph: DrawnGraph, edge: Edge) -> str | None:
    """The local derivative in symbols, ``d`` for the edge c → e of ``e = c * d``.

    Read from the primitive's ``partials`` (``{"x": "y", "y": "x"}`` for
    ``mul``), with the entry's names for the output (z) and the inputs (x, y)
    replaced by the drawn names. None for primitives that are not elementwise
    (their derivative is a Jacobian, not a formula per element) and for an
    input without a formula (the condition of ``where``)."""
    op = edge.child.tensor.node.op
    input_names = list(op.partials)
    if not is_elementwise(op) or edge.position >= len(input_names):
        return None
    text = op.partials[input_names[edge.position]]
    if text is None:
        return None
    replacements = {OUTPUT: edge.child.name}
    for parent_edge in graph.edges_into(edge.child):
        replacements[input_names[parent_edge.position]] = parent_edge.parent.name
    names = "|".join(re.escape(name) for name in replacements)
    pattern = re.compile(rf"(?<![A-Za-z])({names})(?![A-Za-z])")
    return pattern.sub(lambda match: replacements[match.group(1)], text)


def partial_symbol(top: str, bottom: str) -> str:
    """∂top/∂bottom."""
    return f"∂{top}/∂{bottom}"

