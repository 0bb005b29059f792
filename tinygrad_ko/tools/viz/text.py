"""The words and numbers written on a drawing: formulas, values, summaries.

Only display is decided here. Numbers are passed in (computed by the engine);
the symbolic form of a local derivative is read from the primitive's own
docstring in the registry (``∂z/∂x = y`` for ``mul``), never written again.
"""

from __future__ import annotations

import inspect
import re

import numpy as np

from .graph import ELEMENTWISE_PRIMITIVES, DrawnGraph, Edge, Node, number_text

INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}
"""Primitives written between their inputs, as in Python (so a student's typed
expression and the drawing read the same); every other primitive is written
as a call, ``exp(a)``, ``sum(h)``."""

SMALL_TENSOR = 4
"""Tensors with at most this many elements are written out in full."""


def formula(graph: DrawnGraph, node: Node) -> str:
    """How ``node`` was computed, in its inputs' names: ``a + b``, ``-a``, ``exp(c)``."""
    op = node.tensor.node.op.name
    operands = [edge.parent.name for edge in graph.edges_into(node)]
    if op in INFIX and len(operands) == 2:
        return f"{operands[0]} {INFIX[op]} {operands[1]}"
    if op == "neg":
        return f"-{operands[0]}"
    return f"{op}({', '.join(operands)})"


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

_PARTIAL = re.compile(r"∂z/∂(\w+)\s*=\s*(.+?)(?:,\s{2}|\s{2}|;|$)")


def rule_formula(graph: DrawnGraph, edge: Edge) -> str | None:
    """The local derivative in symbols, ``d`` for the edge c → e of ``e = c * d``.

    Read from the primitive's docstring (``∂z/∂x = y,  ∂z/∂y = x``) with the
    rule's own argument names (``t, z, x, y``) replaced by the drawn names.
    Where the docstring gives two forms (``eˣ = z``) the last one is used.
    None for primitives that are not elementwise (their derivative is a
    Jacobian, not a formula per element) or when the docstring has no formula
    for this input."""
    op = edge.child.tensor.node.op
    template = _rule_template(op, edge.position, len(edge.child.tensor.node.inputs))
    if template is None:
        return None
    text, output_name, input_names = template
    replacements = {output_name: edge.child.name}
    for parent_edge in graph.edges_into(edge.child):
        replacements[input_names[parent_edge.position]] = parent_edge.parent.name
    names = "|".join(re.escape(name) for name in replacements)
    pattern = re.compile(rf"(?<![A-Za-z])({names})(?![A-Za-z])")
    return pattern.sub(lambda match: replacements[match.group(1)], text)


_TEMPLATES: dict = {}


def _rule_template(op, position: int, input_count: int):
    """(formula, the rule's name for the output, its names for the inputs), or None;
    read once per primitive and input."""
    key = (op.name, position, input_count)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _read_rule_template(op, position, input_count)
    return _TEMPLATES[key]


def _read_rule_template(op, position: int, input_count: int):
    rule = op.jvp[position]
    if rule is None or op.name not in ELEMENTWISE_PRIMITIVES:
        return None
    try:
        parameters = list(inspect.signature(rule).parameters.values())
    except (TypeError, ValueError):
        return None
    named = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    if len(named) < 2 + input_count:
        return None
    output_name, input_names = named[1], named[2:2 + input_count]
    text = dict(_PARTIAL.findall(op.doc)).get(input_names[position])
    if text is None:
        return None
    return text.split(" = ")[-1].strip().replace("−", "-"), output_name, input_names


def partial_symbol(top: str, bottom: str) -> str:
    """∂top/∂bottom."""
    return f"∂{top}/∂{bottom}"

