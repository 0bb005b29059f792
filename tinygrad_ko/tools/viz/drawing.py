"""``draw(output, mode)``: a still figure of a recorded graph, Olah style.

Modes (what each node shows besides its value; edges always show ∂child/∂parent):

=========  ==============================================================
values     the value of every node (이 값들이 순방향 계산 / the forward pass)
forward    + ∂node/∂wrt for one input ``wrt`` (forward mode, one pass per input)
reverse    + ∂output/∂node (reverse mode, one pass for all inputs)
both       + both: compare ∂output/∂wrt at the output (forward) and at wrt (reverse)
=========  ==============================================================
"""

from __future__ import annotations

import pathlib

import numpy as np

from ...errors import GradError
from ...tensor import Tensor
from . import derivatives, undefined
from .dot import (CONSTANT_COLOR, FORWARD_COLOR, INK, REVERSE_COLOR, UNDEFINED, UNDEFINED_COLOR, Numbers,
                  Show, dot_source)
from .graph import CONSTANT, INPUT, DrawnGraph, Node, collect
from .render import PICTURE_FORMATS, GraphvizNotFoundError, VizError, pipe
from .text import array_text, partial_symbol

MODES = ("values", "forward", "reverse", "both")


class Drawing:
    """A figure: its DOT source, and the pictures Graphviz makes of it.

    In Jupyter it shows itself (as SVG when Graphviz is installed)."""

    def __init__(self, source: str):
        self.source = source

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return f"<Drawing: {self.source.count('->')} edges; .source has the DOT, .save('x.svg') renders it>"

    def pipe(self, format: str = "svg") -> bytes:
        """The figure rendered by Graphviz (``svg``, ``png``, ``pdf``, …)."""
        return pipe(self.source, format)

    def svg(self) -> str:
        return self.pipe("svg").decode("utf-8")

    def save(self, path) -> pathlib.Path:
        """Write the figure; the file type follows the suffix: .dot/.gv (no Graphviz
        needed), .svg, .png, .pdf. Missing folders are made."""
        path = pathlib.Path(path)
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in ("dot", "gv") + PICTURE_FORMATS:
            raise VizError(f"cannot save a drawing as {path.name!r}: use .dot, .gv, "
                           f"{', '.join('.' + f for f in PICTURE_FORMATS)} (and .html for a step-through)")
        if suffix in ("dot", "gv"):
            data = self.source.encode("utf-8")
        else:
            data = self.pipe(suffix)     # rendered before any folder or file is made
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def _repr_svg_(self):
        try:
            return self.svg()
        except GraphvizNotFoundError:
            return None

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self)}
        svg = self._repr_svg_()
        if svg is not None:
            bundle["image/svg+xml"] = svg
        else:
            bundle["text/plain"] += "\n(install Graphviz to see the picture)\n" + self.source
        return bundle


def draw(output: Tensor, mode: str = "values", *, wrt=None, direction=None, seed=None,
         title: str | None = None, legend: bool = True) -> Drawing:
    """Draw the recorded graph that produced ``output``.

    ``mode``: "values", "forward", "reverse" or "both" (see the module docstring).
    ``wrt``: the input forward mode differentiates by, a Tensor or its name (may be
    left out when the graph has one input). ``direction`` (default ones) is the
    tangent v of a tensor input; ``seed`` (default ones) the adjoint u of a
    tensor output. Works before or after ``backward(retain_graph=True)``; the
    user's tensors, gradients and graph are never changed.
    """
    graph = collect(output)
    numbers = compute_numbers(graph, mode, wrt=wrt, direction=direction, seed=seed)
    every_node = {node.index for node in graph.nodes}
    show = Show(values=every_node,
                tangents=every_node if numbers.tangents is not None else set(),
                adjoints=every_node if numbers.adjoints is not None else set(),
                derivatives={id(edge) for edge in graph.edges},
                tangent_rows=numbers.tangents is not None,
                adjoint_rows=numbers.adjoints is not None)
    lines = legend_lines(graph, numbers) if legend else []
    return Drawing(dot_source(graph, numbers, show, title=title, legend=lines))


def compute_numbers(graph: DrawnGraph, mode: str, *, wrt=None, direction=None, seed=None) -> Numbers:
    """Ask the engine for what ``mode`` shows: edge derivatives always, tangents
    and adjoints when the mode draws them; then which of them are undefined
    (``undefined``: nan, ±inf and whatever is computed from them).

    NumPy's warnings about them (``divide by zero encountered in log``) are not
    passed on: the drawing says in words where and why instead."""
    if mode not in MODES:
        raise VizError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    with np.errstate(all="ignore"):
        numbers = _engine_numbers(graph, mode, wrt=wrt, direction=direction, seed=seed)
        numbers.undefined = undefined.undefined_parts(graph, numbers)
        numbers.problem = undefined.first_undefined(graph, numbers) if numbers.undefined else None
    return numbers


def _engine_numbers(graph: DrawnGraph, mode: str, *, wrt, direction, seed) -> Numbers:
    numbers = Numbers(edge_derivatives=derivatives.local_derivatives(graph))
    if mode in ("forward", "both"):
        numbers.wrt = find_input(graph, wrt)
        numbers.tensor_direction = not numbers.wrt.is_scalar
        numbers.direction = derivatives.direction_for(numbers.wrt, direction)
        numbers.tangents = derivatives.forward_tangents(graph, numbers.wrt, numbers.direction)
    if mode in ("reverse", "both"):
        if not graph.output.tensor.requires_grad:
            raise GradError(
                "reverse mode needs an output computed from an input with requires_grad=True; "
                "this one depends on constants only")
        numbers.seeded_output = not graph.output.is_scalar
        numbers.adjoints = derivatives.reverse_adjoints(graph, seed)
    return numbers


def find_input(graph: DrawnGraph, wrt) -> Node:
    """The input node that ``wrt`` (a Tensor, a name or None) stands for."""
    inputs = graph.inputs()
    names = ", ".join(node.name for node in inputs) or "none"
    if wrt is None:
        if len(inputs) == 1:
            return inputs[0]
        raise VizError(f"forward mode differentiates with respect to one input: pass wrt= one of {names}")
    for node in graph.nodes:
        if node.tensor is wrt or (isinstance(wrt, str) and node.name == wrt and node.kind == INPUT):
            if node.kind != INPUT:
                raise VizError(f"wrt={node.name} is not an input of this graph (a leaf with "
                               f"requires_grad=True); its inputs are {names}")
            return node
    label = wrt if isinstance(wrt, str) else getattr(wrt, "name", None) or "the given tensor"
    raise VizError(f"wrt={label} is not an input of this graph; its inputs are {names}")


def legend_lines(graph: DrawnGraph, numbers: Numbers, *, check: bool = True) -> list[tuple[str, str]]:
    """The legend: what each kind of text on the figure means, in Korean and English.

    ``check`` adds the line that compares ∂output/∂wrt from both modes (left out
    of a step-through, where it would give the answer away)."""
    output = graph.output.name
    lines = [("노드 · node: 이름 = 식 = 값 · name = formula = value", INK),
             ("간선 · edge: 국소 미분 · local derivative ∂출력/∂입력", INK)]
    if numbers.tangents is not None:
        wrt = numbers.wrt.name
        seed = "v (1)" if numbers.tensor_direction else "1"
        lines.append((f"순방향 · forward: {partial_symbol('·', wrt)}, 시작 · seed "
                      f"{partial_symbol(wrt, wrt)} = {seed}", FORWARD_COLOR))
    if numbers.adjoints is not None:
        seed = "u (1)" if numbers.seeded_output else "1"
        lines.append((f"역방향 · reverse: {partial_symbol(output, '·')}, 시작 · seed "
                      f"{partial_symbol(output, output)} = {seed}", REVERSE_COLOR))
    if check and numbers.tangents is not None and numbers.adjoints is not None and not numbers.seeded_output \
            and numbers.problem is None:
        lines.append((_agreement(graph, numbers), INK))
    if numbers.problem is not None:
        lines.append((f"⚠ {UNDEFINED}: {numbers.problem}", UNDEFINED_COLOR))
    if any(node.kind == CONSTANT for node in graph.visible_nodes()):
        lines.append(("상수 · constant (미분하지 않음 · not differentiated)", CONSTANT_COLOR))
    return lines


def _agreement(graph: DrawnGraph, numbers: Numbers) -> str:
    """The same derivative from both modes: ∂e/∂b at e (forward) and at b (reverse).

    For a tensor input b with direction v the forward pass gives ∂e/∂b·v and the
    reverse pass the whole gradient ∂e/∂b, so its dot product with v is shown."""
    wrt, output = numbers.wrt, graph.output.name
    forward = array_text(numbers.tangents[graph.output.index].numpy())
    gradient = numbers.adjoints[wrt.index].numpy()
    if not numbers.tensor_direction:
        return (f"{partial_symbol(output, wrt.name)}: 순방향 · forward {forward}, "
                f"역방향 · reverse {array_text(gradient)}")
    along_v = array_text((gradient * numbers.direction.numpy()).sum())
    return (f"{partial_symbol(output, wrt.name)}·v: 순방향 · forward {forward}, "
            f"역방향 · reverse ({partial_symbol(output, wrt.name)})·v {along_v}")
