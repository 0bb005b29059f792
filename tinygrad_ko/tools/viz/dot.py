"""Writing a drawn graph as DOT (Graphviz's language), with the ``graphviz`` package.

One function, ``dot_source``, writes every drawing: the still figures of
``draw`` and each frame of a step-through. What a figure shows is described by
a ``Show`` (which nodes have their value, tangent and adjoint filled in, which
edges their local derivative, what is highlighted); the numbers come in a
``Numbers`` computed by the engine (``derivatives``).

Layout: inputs at the bottom and the output at the top (``rankdir=BT``), as in
Olah's figures. Labels are HTML-like tables, so the value (black), the forward
tangent (blue) and the reverse adjoint (red) of a node are lines of their own.
A step-through passes a fixed ``Layout`` (positions taken from the finished
figure) so that no node moves between frames.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import graphviz

from ..fonts import GRAPHVIZ_FONTS
from .graph import CONSTANT, INPUT, OP, DrawnGraph, Edge, Node, is_elementwise
from .undefined import UndefinedParts
from .text import array_text, formula, full_text, partial_symbol, rule_formula, shape_text

FONT = GRAPHVIZ_FONTS
"""DejaVu Sans for ∂, superscripts and Latin, then a Korean font for Hangul (``tools.fonts``)."""

INK = "#222222"
FORWARD_COLOR = "#1f5fbf"   # tangents: blue
REVERSE_COLOR = "#c0392b"   # adjoints: red
CONSTANT_COLOR = "#888888"
UNDEFINED_COLOR = "#a04000"  # the legend line that says what became undefined: brown
EDGE_COLOR = "#555555"
INPUT_FILL = "#fff6d5"
CONSTANT_FILL = "#f2f2f2"
CURRENT_FILL = "#fffbe6"
UNKNOWN = "?"
UNDEFINED = "정의 안 됨 · undefined"
NBSP = "&#160;"  # a space after bold text that SVG viewers do not swallow


@dataclass
class Numbers:
    """Everything the engine computed for one drawing (see ``derivatives``).

    ``tangents[i]`` / ``adjoints[i]`` belong to node i; either list is None when
    that mode is not drawn. ``edge_derivatives`` maps ``id(edge)``."""

    edge_derivatives: dict
    tangents: list | None = None
    adjoints: list | None = None
    wrt: Node | None = None          # the input forward mode differentiates by
    direction: object = None         # its tangent: 1, or a direction v for a tensor input
    tensor_direction: bool = False   # wrt has more than one element: tangents are J·v
    seeded_output: bool = False      # the output has more than one element: adjoints are uᵀJ
    undefined: UndefinedParts = field(default_factory=UndefinedParts)   # drawn as UNDEFINED
    problem: str | None = None       # the first undefined number, in one line (``undefined``)


@dataclass
class Show:
    """What one figure fills in. Sets hold node indices (``values`` …) or edge ids."""

    values: set
    tangents: set = field(default_factory=set)
    adjoints: set = field(default_factory=set)
    derivatives: set = field(default_factory=set)
    tangent_rows: bool = False     # draw a tangent line on each node ("?" until known)
    adjoint_rows: bool = False     # draw an adjoint line on each node ("?" until known)
    current: Node | None = None    # the node a step-through frame is about
    forward_edges: set = field(default_factory=set)   # edges just used, drawn blue
    reverse_edges: set = field(default_factory=set)   # edges just used, drawn red


@dataclass
class Layout:
    """Positions from a finished figure (``dot -Tjson``), reused by every frame."""

    bounding_box: str
    nodes: dict   # node id -> (pos, width, height)
    edges: list   # per drawn edge, in order: (pos, label pos or None)


def dot_source(graph: DrawnGraph, numbers: Numbers, show: Show, *, title: str | None = None,
               legend: list[tuple[str, str]] = (), layout: Layout | None = None) -> str:
    """The DOT text of one figure."""
    dot = graphviz.Digraph(
        "computation",
        graph_attr={"rankdir": "BT", "fontname": FONT, "nodesep": "0.45", "ranksep": "0.55",
                    "bgcolor": "white", "pad": "0.2", **({"label": title, "labelloc": "t", "fontsize": "16"}
                                                         if title else {})},
        node_attr={"fontname": FONT, "fontsize": "13", "shape": "box", "style": "rounded,filled",
                   "fillcolor": "white", "color": INK, "fontcolor": INK, "margin": "0.12,0.06"},
        edge_attr={"fontname": FONT, "fontsize": "11", "color": EDGE_COLOR, "fontcolor": EDGE_COLOR,
                   "arrowsize": "0.7"},
    )
    if layout is not None:
        dot.attr("graph", bb=layout.bounding_box, splines="true")
    for node in graph.visible_nodes():
        attributes = _node_style(graph, node, numbers, show)
        if layout is not None:
            pos, width, height = layout.nodes[node.node_id]
            attributes.update(pos=pos, width=width, height=height, fixedsize="true")
        dot.node(node.node_id, label=_node_label(graph, node, numbers, show),
                 tooltip=_node_tooltip(graph, node, numbers, show), **attributes)
    for number, edge in enumerate(graph.visible_edges()):
        attributes = _edge_style(edge, show)
        label = _edge_label(graph, edge, numbers, show)
        if label:
            attributes["label"] = label
        if layout is not None:
            pos, label_pos = layout.edges[number]
            attributes["pos"] = pos
            if label_pos:
                attributes["lp"] = label_pos
        dot.edge(edge.parent.node_id, edge.child.node_id, **attributes)
    if legend:
        attributes = {"shape": "none", "margin": "0", "style": "", "tooltip": "범례 · legend"}
        if layout is not None:
            pos, width, height = layout.nodes["legend"]
            attributes.update(pos=pos, width=width, height=height, fixedsize="true")
        dot.node("legend", label=_legend_label(legend), **attributes)
    return dot.source


# ------------------------------------------------------------------ nodes

def _node_style(graph: DrawnGraph, node: Node, numbers: Numbers, show: Show) -> dict:
    style = {}
    if node.kind == CONSTANT:
        style.update(fillcolor=CONSTANT_FILL, color=CONSTANT_COLOR, fontcolor=CONSTANT_COLOR,
                     fontsize="11")
    elif node.kind == INPUT:
        style.update(fillcolor=INPUT_FILL)
    if node is numbers.wrt and show.tangent_rows:
        style.update(color=FORWARD_COLOR, penwidth="2.2")
    if node is graph.output and show.adjoint_rows:
        style.update(color=REVERSE_COLOR, penwidth="2.2")
    if node is show.current:
        style.update(fillcolor=CURRENT_FILL, penwidth="3")
    return style


def _node_label(graph: DrawnGraph, node: Node, numbers: Numbers, show: Show) -> str:
    """``c = a + b = 3`` (scalars) or name, shape and a summary (tensors), then the
    tangent and adjoint lines."""
    known = node.index in show.values
    value = _shown(node.tensor, node.index in numbers.undefined.values) if known else UNKNOWN
    head = _bold(node.name) if node.kind != CONSTANT else _text(node.name)
    if node.kind == OP:
        head += NBSP + _text(f"= {formula(graph, node)}")
    rows = []
    if node.is_scalar:
        rows.append(head + (NBSP if node.kind != OP else " ") + _text(f"= {value}"))
    else:
        rows.append(head)
        rows.append(_text(shape_text(node)))
        rows.append(_text(value))
    if node.kind != CONSTANT:
        if show.tangent_rows and numbers.tangents is not None:
            tangent = numbers.tangents[node.index]
            known = node.index in show.tangents
            shown = _shown(tangent, node.index in numbers.undefined.tangents) if known else UNKNOWN
            rows.append(_colored(f"{tangent_symbol(node, numbers)} = {shown}", FORWARD_COLOR))
        if show.adjoint_rows and numbers.adjoints is not None and numbers.adjoints[node.index] is not None:
            adjoint = numbers.adjoints[node.index]
            known = node.index in show.adjoints
            shown = _shown(adjoint, node.index in numbers.undefined.adjoints) if known else UNKNOWN
            rows.append(_colored(f"{adjoint_symbol(graph, node, numbers)} = {shown}", REVERSE_COLOR))
    return _table(rows)


def _shown(tensor, undefined: bool) -> str:
    """A number as drawn: its value, or UNDEFINED when it means nothing (``undefined``)."""
    return UNDEFINED if undefined else array_text(tensor.detach().numpy())


def adjoint_symbol(graph: DrawnGraph, node: Node, numbers: Numbers) -> str:
    """∂e/∂c, or uᵀ∂e/∂c when the output has several elements (seed u)."""
    symbol = partial_symbol(graph.output.name, node.name)
    return "uᵀ" + symbol if numbers.seeded_output else symbol


def tangent_symbol(node: Node, numbers: Numbers) -> str:
    """∂c/∂b, or ∂c/∂b·v for a tensor input b (direction v)."""
    symbol = partial_symbol(node.name, numbers.wrt.name)
    return symbol + "·v" if numbers.tensor_direction else symbol


def _node_tooltip(graph: DrawnGraph, node: Node, numbers: Numbers, show: Show) -> str:
    """The full-precision numbers shown so far, for when the mouse rests on a node."""
    lines = [node.name if node.kind != OP else f"{node.name} = {formula(graph, node)}"]
    if not node.is_scalar:
        lines.append(shape_text(node))
    if node.index in show.values:
        lines.append(f"value: {full_text(node.tensor.detach().numpy())}")
    if node.kind != CONSTANT and show.tangent_rows and node.index in show.tangents:
        lines.append(f"{tangent_symbol(node, numbers)}: {full_text(numbers.tangents[node.index].numpy())}")
    if show.adjoint_rows and node.index in show.adjoints and numbers.adjoints[node.index] is not None:
        lines.append(f"{adjoint_symbol(graph, node, numbers)}: "
                     f"{full_text(numbers.adjoints[node.index].numpy())}")
    return "\n".join(lines)


# ------------------------------------------------------------------ edges

def _edge_style(edge: Edge, show: Show) -> dict:
    if edge.parent.kind == CONSTANT:
        return {"style": "dashed", "color": CONSTANT_COLOR}
    if id(edge) in show.reverse_edges:
        return {"color": REVERSE_COLOR, "fontcolor": REVERSE_COLOR, "penwidth": "2.2"}
    if id(edge) in show.forward_edges:
        return {"color": FORWARD_COLOR, "fontcolor": FORWARD_COLOR, "penwidth": "2.2"}
    return {}


def _edge_label(graph: DrawnGraph, edge: Edge, numbers: Numbers, show: Show) -> str | None:
    """``∂e/∂c = d = 2``: the local derivative, in symbols (the registry entry's
    ``partials``) and as a number (from its JVP rule)."""
    if edge.parent.kind == CONSTANT:
        return None
    symbol = partial_symbol(edge.child.name, edge.parent.name)
    derivative = numbers.edge_derivatives[id(edge)]
    if derivative is None:
        return _table([_text(f"{symbol}: 미분 불가 · not differentiable")])
    symbolic = rule_formula(graph, edge)
    if not is_elementwise(edge.child.tensor.node.op) and not (edge.child.is_scalar and edge.parent.is_scalar):
        size = f"{edge.child.tensor.size} × {edge.parent.tensor.size}"
        return _table([_text(f"{symbol}: 야코비안 · Jacobian {size}")])
    undefined = id(edge) in numbers.undefined.edges
    value = _shown(derivative, undefined)
    parts = [symbol]
    if symbolic is not None and symbolic != value and not undefined:
        parts.append(symbolic)
    if id(edge) not in show.derivatives:
        value = UNKNOWN
    if edge.child.is_scalar:
        parts.append(value)
        return _table([_text(" = ".join(parts))])
    return _table([_text(" = ".join(parts)), _text(value)])


# ----------------------------------------------------------------- legend

def _legend_label(lines: list[tuple[str, str]]) -> str:
    rows = "".join(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{color}">{html.escape(text)}</FONT></TD></TR>'
                   for text, color in lines)
    return (f'<<TABLE BORDER="1" COLOR="#bbbbbb" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            f'<TR><TD ALIGN="LEFT"><B>범례 · Legend</B></TD></TR>{rows}</TABLE>>')


# ------------------------------------------------------- HTML-like labels

def _table(rows: list[str]) -> str:
    body = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _bold(text: str) -> str:
    return f"<B>{_text(text)}</B>"


def _colored(text: str, color: str) -> str:
    return f'<FONT COLOR="{color}">{_text(text)}</FONT>'
