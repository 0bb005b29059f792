"""The line a standalone step-through page carries about live inputs.

A saved page stays self-contained (no network, no server), so it cannot
recompute the graph when an input changes: every number on it is the engine's,
and the page has no engine. It says instead how to get sliders in Jupyter —
``explore`` from ``tinygrad_ko.widgets`` — with the graph written back as an
expression a student can paste (``(a + b) * (b + 1)``) and the inputs' values.
"""

from __future__ import annotations

from .graph import CONSTANT, INPUT, DrawnGraph, Node, number_text

PLACEHOLDER = "식 · your expression"
"""Written instead of the expression when the graph cannot be typed back."""


def typed_expression(graph: DrawnGraph, node: Node | None = None) -> str | None:
    """The expression that records this graph, in the parser's syntax; None when
    some operation cannot be typed (a reduction, a matmul on tensors, a tensor constant)."""
    node = graph.output if node is None else node
    if node.kind == INPUT or node.folded:
        return node.name
    if node.kind == CONSTANT:
        return None
    op = node.tensor.node.op
    operands = [typed_expression(graph, edge.parent) for edge in graph.edges_into(node)]
    if op.typed is None or None in operands:
        return None
    wrapped = [text if _is_atom(edge.parent) else f"({text})"
               for text, edge in zip(operands, graph.edges_into(node))]
    if op.typed == op.name:                      # a function: sin(a)
        return f"{op.name}({operands[0]})"
    if len(wrapped) == 2:                        # infix: (a + b) * (b + 1)
        return f"{wrapped[0]} {op.symbol} {wrapped[1]}"
    return f"{op.symbol}{wrapped[0]}"            # prefix: -a


def _is_atom(node: Node) -> bool:
    """Needs no parentheses as an operand: a name, a number, a call such as sin(a)."""
    if node.kind == INPUT or node.folded:
        return True
    op = node.tensor.node.op
    return op is not None and op.typed == op.name


def explore_command(graph: DrawnGraph) -> str:
    """``explore("(a + b) * (b + 1)", a=2, b=1)`` for this graph (scalar inputs), ready to paste."""
    inputs = graph.inputs()
    values = ", ".join(f"{node.name}={number_text(node.tensor.item())}" for node in inputs if node.is_scalar)
    expression = typed_expression(graph) or PLACEHOLDER
    return f'explore("{expression}"' + (f", {values}" if values else "") + ")"


def live_inputs_line(graph: DrawnGraph) -> tuple[str, str]:
    """(words, command): the sentence for the page and the code to paste."""
    words = ("입력값을 슬라이더로 바꾸며 보려면 Jupyter 에서 · to change the inputs with sliders, in Jupyter "
             "(pip install 'tinygrad_ko[classroom]'):")
    return words, f"from tinygrad_ko.widgets import explore; {explore_command(graph)}"
