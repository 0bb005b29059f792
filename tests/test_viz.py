"""Tests of tinygrad_ko.tools.viz.draw: Olah's figures from live code.

The golden DOT files in tests/golden/viz/ are compared byte for byte; after a
deliberate change to the drawings, rewrite them with
``TINYGRAD_KO_UPDATE_GOLDEN=1 python -m pytest tests/test_viz.py`` and read the diff.
"""

import html
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from tinygrad_ko import GraphFreedError, GradError, Tensor, grad, jvp
from tinygrad_ko.tools.viz import MODES, Drawing, GraphvizNotFoundError, VizError, draw

GOLDEN = pathlib.Path(__file__).parent / "golden" / "viz"
from system_tools import needs_graphviz as needs_dot  # noqa: E402


def olah():
    """Chris Olah's example: c = a + b, d = b + 1, e = c * d at a = 2, b = 1."""
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(1.0, requires_grad=True, name="b")
    c = a + b
    c.name = "c"
    d = b + 1
    d.name = "d"
    e = c * d
    e.name = "e"
    return a, b, c, d, e


def label_rows(label: str) -> list:
    """The lines of an HTML-like label, as plain text."""
    rows = re.split(r"</TD></TR>", label)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", row)).replace("\xa0", " ") for row in rows]
    return [text for text in texts if text]


def node_rows(source: str) -> dict:
    """{node id: the lines of its label} read back from DOT."""
    return {match.group(1): label_rows(match.group(2))
            for match in re.finditer(r"^\t(n\d+|legend) \[label=<(.*?)>(?: |\])", source, re.MULTILINE)}


def node_texts(source: str) -> dict:
    """{first line of a node's label: all its lines}; the legend under "legend"."""
    return {(rows[0] if node_id != "legend" else "legend"): rows for node_id, rows in node_rows(source).items()}


def edge_texts(source: str) -> list:
    """[(tail id, head id, label text or None)] read back from DOT, in order."""
    edges = []
    for match in re.finditer(r"^\t(n\d+) -> (n\d+)(?: \[(.*)\])?$", source, re.MULTILINE):
        label = re.search(r"label=<(.*?)>(?: |\]|$)", match.group(3) or "")
        edges.append((match.group(1), match.group(2), " ".join(label_rows(label.group(1))) if label else None))
    return edges


def row_of(rows: list, prefix: str) -> str:
    return next(row for row in rows if row.startswith(prefix))


# ---------------------------------------------------------------- golden DOT

@pytest.mark.parametrize("mode", MODES)
def test_olah_golden_dot(mode):
    a, b, c, d, e = olah()
    source = draw(e, mode=mode, wrt=b).source
    golden = GOLDEN / f"olah_{mode}.dot"
    if os.environ.get("TINYGRAD_KO_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(source.encode("utf-8"))
    assert source.encode("utf-8") == golden.read_bytes()


def test_dot_is_identical_in_a_fresh_interpreter():
    """Node ids come from the graph's order, never from memory addresses."""
    program = ("import sys; sys.path.insert(0, %r); from test_viz import olah; "
               "from tinygrad_ko.tools.viz import draw; a, b, c, d, e = olah(); "
               "sys.stdout.buffer.write(draw(e, mode='both', wrt=b).source.encode())"
               % str(pathlib.Path(__file__).parent))
    first = subprocess.run([sys.executable, "-c", program], capture_output=True, check=True).stdout
    second = subprocess.run([sys.executable, "-c", program], capture_output=True, check=True).stdout
    a, b, c, d, e = olah()
    assert first == second == draw(e, mode="both", wrt=b).source.encode()


# ---------------------------------------------------- the numbers of the figure

def test_olah_values_and_edge_derivatives():
    a, b, c, d, e = olah()
    source = draw(e, mode="values").source
    nodes = node_rows(source)
    assert {node_id: rows[0] for node_id, rows in nodes.items() if node_id != "legend"} == {
        "n0": "a = 2", "n1": "b = 1", "n2": "c = a + b = 3", "n4": "d = b + 1 = 2", "n5": "e = c * d = 6"}
    edges = edge_texts(source)
    assert [label for _, _, label in edges] == [
        "∂c/∂a = 1", "∂c/∂b = 1", "∂d/∂b = 1", "∂e/∂c = d = 2", "∂e/∂d = c = 3"]
    assert [(tail, head) for tail, head, _ in edges] == [("n0", "n2"), ("n1", "n2"), ("n1", "n4"),
                                                         ("n2", "n5"), ("n4", "n5")]
    # the constant 1 of b + 1 is written into d's formula, not drawn
    assert "n3" not in source


def test_olah_forward_tangents_with_respect_to_b():
    a, b, c, d, e = olah()
    nodes = node_texts(draw(e, mode="forward", wrt=b).source)
    tangents = [row_of(nodes[head], f"∂{name}/∂b") for name, head in
                [("a", "a = 2"), ("b", "b = 1"), ("c", "c = a + b = 3"), ("d", "d = b + 1 = 2"),
                 ("e", "e = c * d = 6")]]
    assert tangents == ["∂a/∂b = 0", "∂b/∂b = 1", "∂c/∂b = 1", "∂d/∂b = 1", "∂e/∂b = 5"]


def test_olah_reverse_adjoints_of_e():
    a, b, c, d, e = olah()
    nodes = node_texts(draw(e, mode="reverse").source)
    adjoints = [row_of(nodes[head], f"∂e/∂{name}") for name, head in
                [("a", "a = 2"), ("b", "b = 1"), ("c", "c = a + b = 3"), ("d", "d = b + 1 = 2"),
                 ("e", "e = c * d = 6")]]
    assert adjoints == ["∂e/∂a = 2", "∂e/∂b = 5", "∂e/∂c = 2", "∂e/∂d = 3", "∂e/∂e = 1"]


def test_both_mode_legend_compares_the_two_modes_and_speaks_korean():
    a, b, c, d, e = olah()
    legend = node_texts(draw(e, mode="both", wrt=b).source)["legend"]
    assert "∂e/∂b: 순방향 · forward 5, 역방향 · reverse 5" in legend
    assert any(line.startswith("순방향 · forward") for line in legend)
    assert any(line.startswith("역방향 · reverse") for line in legend)
    assert legend[0] == "범례 · Legend"


def test_unnamed_tensors_get_evaluation_trace_names():
    a = Tensor(2.0, requires_grad=True)
    b = Tensor(1.0, requires_grad=True)
    e = (a + b) * (b + 1)
    nodes = node_texts(draw(e).source)
    assert set(nodes) == {"x1 = 2", "x2 = 1", "v1 = x1 + x2 = 3", "v2 = x2 + 1 = 2",
                          "v3 = v1 * v2 = 6", "legend"}


def test_generated_names_avoid_user_names():
    v1 = Tensor(3.0, requires_grad=True, name="v1")
    y = (v1 * 2).sin()
    nodes = node_texts(draw(y).source)
    assert "v2 = v1 * 2 = 6" in nodes and any(name.startswith("v3 = sin(v2)") for name in nodes)


# ------------------------------------------ numbers come from the real engine

def random_expression(a, b):
    return ((a * b).sin() + a.exp() / (b * b + 1)).tanh() * a - b.sqrt()


@pytest.mark.parametrize("point", [(0.3, 1.7), (-1.2, 0.4), (2.0, 3.0)])
def test_drawn_tangents_and_adjoints_match_jvp_grad_and_finite_differences(point):
    a = Tensor(point[0], requires_grad=True, name="a", dtype=np.float64)
    b = Tensor(point[1], requires_grad=True, name="b", dtype=np.float64)
    y = random_expression(a, b)
    y.name = "y"
    from tinygrad_ko.tools.viz.drawing import compute_numbers
    from tinygrad_ko.tools.viz.graph import collect

    graph = collect(y)
    numbers = compute_numbers(graph, "both", wrt=b)
    forward = numbers.tangents[graph.output.index].item()
    reverse_a = numbers.adjoints[graph.nodes[0].index].item()
    reverse_b = numbers.adjoints[numbers.wrt.index].item()

    f64 = lambda value: Tensor(value, dtype=np.float64)
    _, tangent = jvp(random_expression, (f64(point[0]), f64(point[1])), (f64(0.0), f64(1.0)))
    grads = grad(random_expression, argnums=(0, 1))(f64(point[0]), f64(point[1]))
    h = 1e-6
    f = lambda p, q: random_expression(f64(p), f64(q)).item()
    numeric_b = (f(point[0], point[1] + h) - f(point[0], point[1] - h)) / (2 * h)
    numeric_a = (f(point[0] + h, point[1]) - f(point[0] - h, point[1])) / (2 * h)
    assert forward == pytest.approx(tangent.item(), rel=1e-12)
    assert forward == pytest.approx(reverse_b, rel=1e-10)
    assert reverse_a == pytest.approx(grads[0].item(), rel=1e-12)
    assert reverse_b == pytest.approx(numeric_b, rel=1e-6, abs=1e-8)
    assert reverse_a == pytest.approx(numeric_a, rel=1e-6, abs=1e-8)


def test_drawing_leaves_the_users_graph_and_gradients_alone():
    a, b, c, d, e = olah()
    parents = e.node.inputs
    draw(e, mode="both", wrt=b)
    assert a.grad is None and b.grad is None and c.grad is None
    assert e.node.inputs is parents and e.requires_grad
    e.backward()  # the user's own backward still works afterwards
    assert (a.grad.item(), b.grad.item()) == (2.0, 5.0)


def test_drawing_after_backward_with_retain_graph():
    a, b, c, d, e = olah()
    before = draw(e, mode="both", wrt=b).source
    e.backward(retain_graph=True)
    assert draw(e, mode="both", wrt=b).source == before
    assert (a.grad.item(), b.grad.item()) == (2.0, 5.0)  # not added to by the drawing


def test_drawing_a_released_graph_says_what_to_do():
    a, b, c, d, e = olah()
    e.backward()
    with pytest.raises(GraphFreedError, match="retain_graph=True"):
        draw(e)


def test_x_times_x_has_two_edges_each_with_its_derivative():
    x = Tensor(3.0, requires_grad=True, name="x")
    y = x * x
    y.name = "y"
    source = draw(y, mode="reverse").source
    assert [label for _, _, label in edge_texts(source)] == ["∂y/∂x = x = 3", "∂y/∂x = x = 3"]
    assert "∂y/∂x = 6" in node_texts(source)["x = 3"]


def test_tensor_nodes_show_shape_dtype_and_summary():
    rng = np.random.default_rng(0)
    X = Tensor(rng.normal(size=(4, 3)), name="X")
    W = Tensor(rng.normal(size=(3, 2)), requires_grad=True, name="W")
    h = (X @ W).tanh()
    h.name = "h"
    loss = h.sum()
    loss.name = "L"
    source = draw(loss, mode="reverse").source
    nodes = node_texts(source)
    w_rows = nodes["W"]
    assert w_rows[1] == "(3, 2) float64"
    values = W.numpy()
    assert w_rows[2] == f"min {values.min():.4g} · mean {values.mean():.4g} · max {values.max():.4g}"
    expected_grad = (X.numpy().T @ (1 - np.tanh(X.numpy() @ values) ** 2))
    assert row_of(w_rows, "∂L/∂W") == (f"∂L/∂W = min {expected_grad.min():.4g} · mean "
                                       f"{expected_grad.mean():.4g} · max {expected_grad.max():.4g}")
    labels = [label for _, _, label in edge_texts(source)]
    assert "∂v1/∂W: 야코비안 · Jacobian 8 × 6" in labels        # matmul: a whole Jacobian
    assert None in labels                                          # the constant X: no derivative
    assert any(label.startswith("∂h/∂v1 = 1 - h²") for label in labels if label)  # tanh, elementwise
    assert re.search(r'n0 -> n\d+ \[color="#888888" style=dashed\]', source)   # X is a grey constant


def test_small_tensors_are_written_out():
    x = Tensor([1.0, -2.0, 0.5], requires_grad=True, name="x")
    y = (x * x).sum()
    y.name = "y"
    nodes = node_texts(draw(y, mode="reverse").source)
    assert nodes["x"][1:] == ["(3,) float32", "[1, -2, 0.5]", "∂y/∂x = [2, -4, 1]"]


def test_forward_mode_on_a_tensor_input_uses_a_direction():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = (x * x).sum()
    y.name = "y"
    nodes = node_texts(draw(y, mode="both", wrt=x, direction=[1.0, 0.0]).source)
    assert "∂y/∂x·v = 2" in nodes["y = sum(v1) = 5"]
    assert "∂y/∂x·v: 순방향 · forward 2, 역방향 · reverse (∂y/∂x)·v 2" in nodes["legend"]


def test_where_draws_the_condition_as_a_constant():
    x = Tensor([-1.0, 2.0], requires_grad=True, name="x")
    y = x.where(x > 0, 0.0).sum()
    source = draw(y, mode="reverse").source
    nodes = node_texts(source)
    assert "∂v2/∂x = [0, 1]" in nodes["x"]
    assert nodes["k1"] == ["k1", "(2,) bool", "[false, true]"]   # no tangent, no adjoint
    assert nodes["v1 = where(k1, x, 0)"][3] == "∂v2/∂v1 = [1, 1]"


def test_a_long_chain_draws_without_recursion():
    x = Tensor(0.5, requires_grad=True, name="x")
    y = x
    for _ in range(2000):
        y = y * 1.0001
    source = draw(y, mode="reverse").source
    assert source.count("->") == 2000


# ------------------------------------------------ grad-of-grad: tanh'' grows

def test_create_graph_backward_graph_of_tanh_grows():
    """DeZero's figure: the graphs of tanh', tanh'', tanh''' get bigger."""
    x = Tensor(1.0, requires_grad=True, name="x", dtype=np.float64)
    y = x.tanh()
    y.name = "y"
    y.backward(create_graph=True)
    derivatives = []
    for order in range(1, 4):
        gx = x.grad
        gx.name = f"gx{order}"
        derivatives.append(gx)
        x.zero_grad()
        gx.backward(create_graph=True)
    sources = [draw(gx, mode="reverse").source for gx in derivatives]
    edge_counts = [source.count("->") for source in sources]
    assert edge_counts[0] < edge_counts[1] < edge_counts[2]
    t = np.tanh(1.0)
    first, second, third = 1 - t * t, -2 * t * (1 - t * t), (1 - t * t) * (6 * t * t - 2)
    for gx, value in zip(derivatives, (first, second, third)):
        assert gx.item() == pytest.approx(value, rel=1e-12)
    # The value of tanh'' and its own derivative (tanh''') are on the drawing of tanh''.
    nodes = node_texts(draw(derivatives[1], mode="reverse").source)
    top = next(name for name in nodes if name.startswith("gx2 = "))
    assert top.endswith(f"= {second:.4g}")
    assert f"∂gx2/∂x = {third:.4g}" in nodes["x = 1"]


# -------------------------------------------------------------- bad requests

def test_bad_requests_give_clear_errors():
    a, b, c, d, e = olah()
    with pytest.raises(VizError, match="unknown mode 'sideways'"):
        draw(e, mode="sideways")
    with pytest.raises(VizError, match="pass wrt= one of a, b"):
        draw(e, mode="forward")
    with pytest.raises(VizError, match="wrt=z is not an input of this graph; its inputs are a, b"):
        draw(e, mode="forward", wrt="z")
    with pytest.raises(VizError, match="wrt=c is not an input"):
        draw(e, mode="forward", wrt=c)
    with pytest.raises(GradError, match="depends on constants only"):
        draw(Tensor(2.0) * 3, mode="reverse")
    with pytest.raises(TypeError, match="needs a Tensor"):
        draw(3.0)
    with pytest.raises(VizError, match="use .dot"):
        draw(e).save("e.txt")


def test_wrt_by_name_and_the_single_input_default():
    a, b, c, d, e = olah()
    assert draw(e, mode="forward", wrt="b").source == draw(e, mode="forward", wrt=b).source
    x = Tensor(2.0, requires_grad=True, name="x")
    y = x * x
    assert "∂v1/∂x = 4" in node_texts(draw(y, mode="forward").source)["v1 = x * x = 4"]


# ------------------------------------------------ with and without Graphviz

def test_without_dot_the_source_and_dot_files_still_work(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    a, b, c, d, e = olah()
    drawing = draw(e, mode="both", wrt=b)
    saved = drawing.save(tmp_path / "e.dot")
    assert saved.read_text(encoding="utf-8") == drawing.source
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz"):
        drawing.save(tmp_path / "e.svg")
    assert not (tmp_path / "e.svg").exists()
    assert drawing._repr_svg_() is None
    bundle = drawing._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "install Graphviz" in bundle["text/plain"]


@needs_dot
def test_real_svg_render_contains_the_teachers_numbers(tmp_path):
    a, b, c, d, e = olah()
    path = draw(e, mode="both", wrt=b).save(tmp_path / "olah.svg")
    svg = path.read_text(encoding="utf-8")
    texts = [html.unescape(t).replace("\xa0", " ").strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    joined = "\n".join(texts)
    for expected in ["a", "= 2", "= a + b = 3", "= b + 1 = 2", "= c * d = 6",             # values
                     "∂c/∂a = 1", "∂c/∂b = 1", "∂d/∂b = 1", "∂e/∂c = d = 2", "∂e/∂d = c = 3",  # edges
                     "∂a/∂b = 0", "∂b/∂b = 1", "∂e/∂b = 5",                                  # forward
                     "∂e/∂a = 2", "∂e/∂b = 5", "∂e/∂e = 1",                                  # reverse
                     "범례 · Legend"]:
        assert expected in texts, f"{expected!r} not in the SVG text:\n{joined}"
    assert "NanumGothic" in svg


@needs_dot
def test_png_and_pdf_render(tmp_path):
    a, b, c, d, e = olah()
    drawing = draw(e, mode="reverse")
    assert drawing.save(tmp_path / "e.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawing.save(tmp_path / "e.pdf").read_bytes()[:5] == b"%PDF-"


@needs_dot
def test_jupyter_shows_the_drawing_inline():
    a, b, c, d, e = olah()
    drawing = draw(e, mode="values")
    assert isinstance(drawing, Drawing)
    assert "<svg" in drawing._repr_svg_()
    bundle = drawing._repr_mimebundle_()
    assert bundle["image/svg+xml"].count("<svg") == 1 and "text/plain" in bundle


@needs_dot
def test_ipython_display_formatter_picks_the_svg():
    """What Jupyter itself does with the last value of a cell."""
    formatters = pytest.importorskip("IPython.core.formatters", reason="IPython is not installed")
    a, b, c, d, e = olah()
    data, _ = formatters.DisplayFormatter().format(draw(e, mode="reverse"))
    assert "∂e/∂b = 5" in data["image/svg+xml"]


# ------------------------------------------------------------------ the tour

@needs_dot
def test_tour_writes_every_mode_and_the_step_through(tmp_path, capsys):
    from tinygrad_ko.cli.tour import drawings_section

    drawings_section(tmp_path)
    out = capsys.readouterr().out
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted([f"olah_{mode}.{suffix}" for mode in MODES for suffix in ("dot", "svg")]
                           + ["olah_steps.html"])
    for path in tmp_path.iterdir():
        assert f"wrote {path}" in out
    assert "∂e/∂b = 5" in (tmp_path / "olah_both.svg").read_text(encoding="utf-8")


def test_tour_without_graphviz_writes_the_dot_files_and_says_why(tmp_path, capsys, monkeypatch):
    from tinygrad_ko.cli.tour import drawings_section

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    drawings_section(tmp_path / "out")
    out = capsys.readouterr().out
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(f"olah_{m}.dot" for m in MODES)
    assert "no pictures" in out and "apt-get install graphviz" in out


def test_docstring_examples_run():
    import doctest

    import tinygrad_ko.tools.viz as viz
    from tinygrad_ko.tools.viz import expression

    assert doctest.testmod(viz).failed == 0
    assert doctest.testmod(expression).attempted > 0 and doctest.testmod(expression).failed == 0


def test_save_makes_missing_folders_and_refuses_jpg(tmp_path):
    a, b, c, d, e = olah()
    target = tmp_path / "new" / "folder" / "e.dot"
    assert draw(e).save(target) == target and target.read_text(encoding="utf-8").startswith("digraph")
    with pytest.raises(VizError, match="cannot save a drawing as 'e.jpg'"):
        draw(e).save(tmp_path / "other" / "e.jpg")
    assert not (tmp_path / "other").exists()
