"""A step-through: the graph filled in one node at a time, as frames.

1. The empty graph (every value is ``?``).
2. **Forward pass**, one frame per node, inputs first: the node's value appears,
   with the local derivatives on the edges into it (and, with ``wrt``, its
   tangent: forward mode carries ∂node/∂wrt along with the value, in the same
   pass — ∂c/∂b = ∂c/∂a·∂a/∂b + ∂c/∂b·∂b/∂b).
3. **Reverse pass**, one frame per node, output first: the node's adjoint
   appears, the sum over the edges leaving it —
   ∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5.

All numbers are the engine's (``derivatives``); a caption only writes the
products out. Every frame is laid out with the positions of the finished
figure (``dot`` once, then ``neato -n2`` per frame), so nothing moves between
frames. ``StepThrough.save("e.html")`` writes one self-contained HTML page
(SVG frames, buttons, a slider, keyboard arrows; no network access), with a
line on how to change the inputs live in Jupyter (``live.py``).
"""

from __future__ import annotations

import hashlib
import html
import pathlib
import re
import unicodedata
from dataclasses import dataclass

from ...tensor import Tensor
from ..fonts import GRAPHVIZ_FONTS
from .dot import UNDEFINED, Layout, Numbers, Show, adjoint_symbol, dot_source, tangent_symbol
from .drawing import compute_numbers, legend_lines
from .graph import CONSTANT, INPUT, DrawnGraph, Edge, Node, collect
from .live import live_inputs_line
from .render import VizError, layout, pipe
from .text import array_text, formula, partial_symbol, shape_text

MAX_FRAMES = 400
"""A step-through of a bigger graph would be too long to watch (and to render)."""


@dataclass
class Frame:
    caption: str   # one line, Korean · English
    source: str    # DOT, with every position fixed


class StepThrough:
    """The frames of a step-through; ``save("x.html")`` writes the page."""

    def __init__(self, frames: list[Frame], title: str, live: tuple[str, str] | None = None):
        self.frames = frames
        self.title = title
        self.live = live          # (words, code): how to get live inputs in Jupyter, for the page
        self._svgs = None

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        return f"<StepThrough: {len(self.frames)} frames; .save('x.html') writes the page>"

    def svgs(self) -> list[str]:
        """Every frame rendered as SVG (needs Graphviz; rendered once, then kept)."""
        if self._svgs is None:
            self._svgs = [pipe(frame.source, "svg", fixed_positions=True).decode("utf-8")
                          for frame in self.frames]
        return self._svgs

    def html_fragment(self) -> str:
        """The player alone (for Jupyter): frames, controls and their script."""
        return _player(self, standalone=False)

    def html(self) -> str:
        """A complete, self-contained HTML page."""
        return _page(self)

    def save(self, path) -> pathlib.Path:
        path = pathlib.Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise VizError(f"a step-through is saved as an HTML page, not {path.name!r}: use a name ending in .html")
        page = self.html()
        path.parent.mkdir(parents=True, exist_ok=True)   # missing folders are made
        path.write_text(page, encoding="utf-8")
        return path

    def _repr_html_(self):
        return self.html_fragment()


def step_through(output: Tensor, mode: str = "reverse", *, wrt=None, direction=None, seed=None,
                 title: str | None = None) -> StepThrough:
    """Frames that fill in the graph of ``output`` one node at a time.

    ``mode``: "values" (the forward pass only), "forward" (values and tangents
    with respect to ``wrt``), "reverse" (values, then adjoints; the default) or
    "both" (values with tangents, then adjoints)."""
    graph = collect(output)
    numbers = compute_numbers(graph, mode, wrt=wrt, direction=direction, seed=seed)
    nodes = graph.visible_nodes()
    frame_count = 2 + len(nodes) * (2 if numbers.adjoints is not None else 1)
    if frame_count > MAX_FRAMES:
        raise VizError(f"this graph has {len(nodes)} nodes: a step-through would have {frame_count} frames "
                       f"(at most {MAX_FRAMES}); step through a smaller expression, or draw() this one")
    title = title or _default_title(graph, numbers)
    legend = legend_lines(graph, numbers, check=False)
    shows = list(_shows(graph, numbers))
    finished = shows[-1][1]
    positions = _fixed_layout(graph, dot_source(graph, numbers, finished, legend=legend))
    frames = [Frame(caption, dot_source(graph, numbers, show, legend=legend, layout=positions))
              for caption, show in shows]
    return StepThrough(frames, title, live=live_inputs_line(graph))


def _default_title(graph: DrawnGraph, numbers: Numbers) -> str:
    output = graph.output
    head = f"{output.name} = {formula(graph, output)}" if output.kind == "op" else output.name
    passes = ["순방향 · forward" + (f" (∂/∂{numbers.wrt.name})" if numbers.wrt is not None else "")]
    if numbers.adjoints is not None:
        passes.append("역방향 · reverse")
    return f"{head}:  " + ", ".join(passes)


# ----------------------------------------------------------------- frames

def _shows(graph: DrawnGraph, numbers: Numbers):
    """(caption, Show) for every frame, in order."""
    folded = {node.index for node in graph.nodes if node.folded}
    forward = numbers.tangents is not None
    reverse = numbers.adjoints is not None
    show = Show(values=set(folded), tangents=set(folded), tangent_rows=forward)
    yield ("계산 그래프: 아직 아무것도 계산하지 않았습니다 · the graph, nothing computed yet"
           + _notation(graph, numbers), _copy(show))

    nodes = graph.visible_nodes()
    for step, node in enumerate(nodes, 1):
        into = graph.edges_into(node)
        show.values.add(node.index)
        show.tangents.add(node.index)
        show.derivatives.update(id(edge) for edge in into)
        show.current = node
        show.forward_edges = {id(edge) for edge in into}
        caption = f"순방향 {step}/{len(nodes)} · forward: {_forward_caption(graph, node, numbers)}"
        yield caption, _copy(show)

    if reverse:
        show.adjoint_rows = True
        show.forward_edges = set()
        with_adjoint = [node for node in reversed(nodes) if numbers.adjoints[node.index] is not None]
        for step, node in enumerate(with_adjoint, 1):
            show.adjoints.add(node.index)
            show.current = node
            show.reverse_edges = {id(edge) for edge in graph.edges_out_of(node)}
            caption = f"역방향 {step}/{len(with_adjoint)} · reverse: {_reverse_caption(graph, node, numbers)}"
            yield caption, _copy(show)

    show.current = None
    show.forward_edges = show.reverse_edges = set()
    yield _summary_caption(graph, numbers), _copy(show)


def _copy(show: Show) -> Show:
    return Show(values=set(show.values), tangents=set(show.tangents), adjoints=set(show.adjoints),
                derivatives=set(show.derivatives), tangent_rows=show.tangent_rows,
                adjoint_rows=show.adjoint_rows, current=show.current,
                forward_edges=set(show.forward_edges), reverse_edges=set(show.reverse_edges))


def _value_text(node: Node) -> str:
    if node.is_scalar:
        return array_text(node.tensor.detach().numpy())
    return shape_text(node)


def _forward_caption(graph: DrawnGraph, node: Node, numbers: Numbers) -> str:
    """``c = a + b = 3`` and, with a tangent, its chain rule in numbers:
    ``ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ = 1·0 + 1·1 = 1``."""
    if node.kind == CONSTANT:
        return f"상수 · constant {node.name} = {_value_text(node)}"
    if node.kind == INPUT:
        text = f"입력 · input {node.name} = {_value_text(node)}"
    else:
        text = f"{node.name} = {formula(graph, node)} = {_value_text(node)}"
    if numbers.tangents is None:
        return text
    tangent = f"{dotted(node.name)} = {_tangent(numbers, node)}"
    if node.kind == INPUT:
        return f"{text};  {'시작 · seed ' if node is numbers.wrt else ''}{tangent}"
    terms = [edge for edge in graph.edges_into(node) if edge.parent.kind != CONSTANT]
    symbols = " + ".join(f"{partial_symbol(node.name, e.parent.name)}·{dotted(e.parent.name)}" for e in terms)
    if not _all_scalar(node, terms):
        return f"{text};  {dotted(node.name)} = {symbols}"
    products = " + ".join(f"{_edge_derivative(numbers, e)}·{_tangent(numbers, e.parent)}"
                          for e in terms)
    return f"{text};  {dotted(node.name)} = {symbols} = {products} = {_tangent(numbers, node)}"


def _reverse_caption(graph: DrawnGraph, node: Node, numbers: Numbers) -> str:
    """The adjoint of ``node`` as a sum over the edges that leave it:
    ``b̄ = c̄·∂c/∂b + d̄·∂d/∂b = 2·1 + 3·1 = 5``."""
    result = _adjoint(numbers, node)
    if node is graph.output:
        return f"시작 · seed {barred(node.name)} = {adjoint_symbol(graph, node, numbers)} = {result}"
    terms = graph.edges_out_of(node)
    symbols = " + ".join(f"{barred(e.child.name)}·{partial_symbol(e.child.name, node.name)}" for e in terms)
    if not _all_scalar(node, terms, outward=True):
        return f"{barred(node.name)} = {symbols}  (벡터-야코비안 곱 · vector-Jacobian products)"
    products = " + ".join(f"{_adjoint(numbers, e.child)}·{_edge_derivative(numbers, e)}"
                          for e in terms)
    return f"{barred(node.name)} = {symbols} = {products} = {result}"


def dotted(name: str) -> str:
    """ḃ, v̇1: the forward-mode tangent of ``name`` (∂name/∂wrt), Baydin et al.'s notation."""
    return _marked(name, "\u0307")


def barred(name: str) -> str:
    """b̄, v̄1: the reverse-mode adjoint of ``name`` (∂output/∂name)."""
    return _marked(name, "\u0304")


def _marked(name: str, mark: str) -> str:
    """``name`` with a combining ``mark`` on its last letter, never on a digit (v1 → v̄1)."""
    match = re.fullmatch(r"(.*\D)(\d+)", name)
    stem, digits = (match.group(1), match.group(2)) if match else (name, "")
    return unicodedata.normalize("NFC", stem + mark) + digits


def _notation(graph: DrawnGraph, numbers: Numbers) -> str:
    """What ẋ and x̄ mean, for the first frame."""
    parts = []
    if numbers.tangents is not None:
        wrt = numbers.wrt.name
        parts.append(f"{dotted('x')} = ∂x/∂{wrt}" + ("·v" if numbers.tensor_direction else "") + " 접선 · tangent")
    if numbers.adjoints is not None:
        output = graph.output.name
        parts.append(f"{barred('x')} = " + ("uᵀ" if numbers.seeded_output else "") + f"∂{output}/∂x 수반 · adjoint")
    return ("  (" + ";  ".join(parts) + ")") if parts else ""


def _summary_caption(graph: DrawnGraph, numbers: Numbers) -> str:
    output = graph.output.name
    parts = []
    if numbers.tangents is not None:
        parts.append(f"순방향 한 번 · one forward pass: {tangent_symbol(graph.output, numbers)} = "
                     f"{_tangent(numbers, graph.output)}")
    if numbers.adjoints is not None:
        grads = ", ".join(f"{adjoint_symbol(graph, node, numbers)} = {_adjoint(numbers, node)}"
                          for node in graph.inputs())
        parts.append(f"역방향 한 번 · one reverse pass: {grads}")
    if not parts:
        parts.append(f"{output} = {_value_text(graph.output)}")
    return "완성 · done — " + ";  ".join(parts)


def _all_scalar(node: Node, edges: list[Edge], outward: bool = False) -> bool:
    others = [edge.child if outward else edge.parent for edge in edges]
    return node.is_scalar and all(other.is_scalar for other in others)


def _tangent(numbers: Numbers, node: Node) -> str:
    if node.index in numbers.undefined.tangents:
        return UNDEFINED
    return _number(numbers.tangents[node.index])


def _adjoint(numbers: Numbers, node: Node) -> str:
    if node.index in numbers.undefined.adjoints:
        return UNDEFINED
    return _number(numbers.adjoints[node.index])


def _edge_derivative(numbers: Numbers, edge: Edge) -> str:
    if id(edge) in numbers.undefined.edges:
        return UNDEFINED
    return _number(numbers.edge_derivatives[id(edge)])


def _number(tensor) -> str:
    return array_text(tensor.detach().numpy()) if tensor.size <= 4 else "(" + ", ".join(map(str, tensor.shape)) + ")"


# ----------------------------------------------------------------- layout

def _fixed_layout(graph: DrawnGraph, finished_source: str) -> Layout:
    """Positions of every node and edge in the finished figure."""
    laid_out = layout(finished_source)
    names = {obj["_gvid"]: obj["name"] for obj in laid_out.get("objects", [])}
    nodes = {obj["name"]: (obj["pos"], obj["width"], obj["height"]) for obj in laid_out.get("objects", [])}
    by_ends: dict[tuple[str, str], list] = {}
    for edge in laid_out.get("edges", []):
        ends = (names[edge["tail"]], names[edge["head"]])
        by_ends.setdefault(ends, []).append((edge["pos"], edge.get("lp")))
    edges = []
    for edge in graph.visible_edges():
        edges.append(by_ends[(edge.parent.node_id, edge.child.node_id)].pop(0))
    return Layout(laid_out["bb"], nodes, edges)


# ------------------------------------------------------------------- HTML

_PAGE_STYLE = """
body { font-family: FONTS;
       margin: 1.5em; color: #222; background: #fff; }
.tgk-steps h1 { font-size: 1.3em; margin: 0 0 .5em; }
.tgk-controls { display: flex; gap: .6em; align-items: center; margin-bottom: .6em; }
.tgk-controls button { font: inherit; font-size: 1.05em; padding: .35em .9em; cursor: pointer; }
.tgk-controls input[type=range] { flex: 1; max-width: 32em; }
.tgk-counter { font-variant-numeric: tabular-nums; min-width: 5em; }
.tgk-frame { margin: 0; }
.tgk-frame figcaption { font-size: 1.3em; margin: .3em 0 .6em; min-height: 2.6em; }
.tgk-frame svg { width: 100%; height: auto; max-height: 68vh; }
.tgk-help { color: #777; font-size: .9em; }
.tgk-live { color: #555; font-size: .9em; }
.tgk-live code { user-select: all; background: #f4f4f4; padding: .1em .3em; }
@media print { .tgk-frame[hidden] { display: block; } .tgk-controls, .tgk-help { display: none; } }
""".replace("FONTS", ", ".join(f'"{name}"' if " " in name else name for name in GRAPHVIZ_FONTS.split(",")))
"""The page's look. Its text uses the drawings' font chain (``tools.fonts``): ∂ and the
marks of b̄, ċ from DejaVu Sans, Hangul from a Korean font. The frames grow to the
window's width (up to 68 % of its height), for a projector."""

_SCRIPT = """
(function () {
  var root = document.getElementById(%(root)s);
  var frames = root.querySelectorAll(".tgk-frame");
  var slider = root.querySelector(".tgk-slider");
  var counter = root.querySelector(".tgk-counter");
  var prev = root.querySelector(".tgk-prev");
  var next = root.querySelector(".tgk-next");
  var standalone = %(standalone)s;
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    for (var i = 0; i < frames.length; i++) { frames[i].hidden = (i !== current); }
    slider.value = current;
    counter.textContent = (current + 1) + " / " + frames.length;
    prev.disabled = current === 0;
    next.disabled = current === frames.length - 1;
    root.setAttribute("data-current", current);
    if (standalone) { history.replaceState(null, "", "#frame=" + (current + 1)); }
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  if (standalone) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") { show(current + 1); }
      else if (event.key === "ArrowLeft" || event.key === "PageUp") { show(current - 1); }
      else if (event.key === "Home") { show(0); }
      else if (event.key === "End") { show(frames.length - 1); }
      else { return; }
      event.preventDefault();
    });
  }
  var match = standalone && /frame=(\\d+)/.exec(location.hash);
  show(match ? parseInt(match[1], 10) - 1 : 0);
})();
"""


def _player(steps: StepThrough, *, standalone: bool) -> str:
    svgs = steps.svgs()
    key = "tgk-" + hashlib.sha1("".join(frame.source for frame in steps.frames).encode("utf-8")).hexdigest()[:10]
    count = len(steps.frames)
    figures = []
    for index, (frame, svg) in enumerate(zip(steps.frames, svgs)):
        figures.append(f'<figure class="tgk-frame" data-index="{index}">'
                       f"<figcaption>{html.escape(frame.caption)}</figcaption>"
                       f"{_inline_svg(svg, f'{key}-f{index}-')}</figure>")
    script = _SCRIPT % {"root": f'"{key}"', "standalone": "true" if standalone else "false"}
    return (f'<div class="tgk-steps" id="{key}">\n'
            f"<h1>{html.escape(steps.title)}</h1>\n"
            f'<div class="tgk-controls">'
            f'<button type="button" class="tgk-prev">◀ 이전 · Prev</button>'
            f'<input type="range" class="tgk-slider" min="0" max="{count - 1}" value="0" aria-label="frame">'
            f'<button type="button" class="tgk-next">다음 · Next ▶</button>'
            f'<span class="tgk-counter">1 / {count}</span></div>\n'
            + "\n".join(figures)
            + '\n<p class="tgk-help">← → 키로도 넘길 수 있습니다 · the arrow keys work too</p>\n'
            f"<script>{script}</script>\n</div>")


def _page(steps: StepThrough) -> str:
    return ("<!DOCTYPE html>\n"
            '<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(steps.title)}</title>\n"
            f"<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n"
            f"{_player(steps, standalone=True)}\n{_live_line(steps)}</body>\n</html>\n")


def _live_line(steps: StepThrough) -> str:
    """The page cannot recompute the graph: it says how to get live inputs in Jupyter."""
    if steps.live is None:
        return ""
    words, code = steps.live
    return f'<p class="tgk-live">{html.escape(words)} <code>{html.escape(code)}</code></p>\n'


_XML_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)


def _inline_svg(svg: str, id_prefix: str) -> str:
    """An SVG file's text ready to sit inside HTML: no XML prologue or comments,
    and ids made unique across frames."""
    svg = _XML_PROLOGUE.sub("", svg).strip()
    return re.sub(r'\bid="', f'id="{id_prefix}', svg)
