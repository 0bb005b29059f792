"""explore(): the widget's state driven from Python, the graph redrawn by the engine."""

import re
import sys

import pytest

from system_tools import GRAPHVIZ_REASON, HAS_GRAPHVIZ
from tinygrad_ko.errors import TinygradKoError
from tinygrad_ko.tools.olah import olah

pytest.importorskip("ipywidgets", reason="ipywidgets is not installed (pip install -e '.[dev]')")
needs_graphviz = pytest.mark.skipif(not HAS_GRAPHVIZ, reason=GRAPHVIZ_REASON)

from tinygrad_ko.widgets import ExploreError, MissingWidgetsError, explore  # noqa: E402


def svg_text(svg: str) -> str:
    """The words of an SVG, a text line each, as a reader sees them: a node's name and the
    "= formula = value" beside it (two text elements) on one line."""
    lines = "\n".join(re.findall(r">([^<>]+)</text>", svg)).replace("\xa0", " ")
    return lines.replace("\n =", " =")


@needs_graphviz
def test_set_redraws_the_olah_graph_with_the_new_value():
    w = explore("(a+b)*(b+1)", a=2, b=1)
    assert "e = c * d = 6" in svg_text(w.svg)
    w.set(a=3)
    words = svg_text(w.svg)
    assert "e = c * d = 8" in words and "∂e/∂a = 2" in words          # e = 8, ∂e/∂a = d = 2
    assert w.values == {"a": 3.0, "b": 1.0} and w.output.item() == 8.0
    assert w.sliders["a"].value == 3.0                                   # the slider follows Python


@needs_graphviz
def test_the_controls_change_the_state():
    w = explore(olah, a=2, b=1)
    w.sliders["b"].value = 2.0                   # c = 4, d = 3, e = 12, ∂e/∂b = c + d = 7
    w.wrt_control.value = "b"
    assert (w.values, w.wrt) == ({"a": 2.0, "b": 2.0}, "b")
    assert "∂e/∂b = 7" in svg_text(w.svg)
    w.mode_control.value = "values"
    assert "∂e/∂b" not in svg_text(w.svg)


@needs_graphviz
def test_prev_and_next_go_through_the_step_through_frames():
    w = explore("(a+b)*(b+1)", a=2, b=1, mode="reverse")
    assert w.frame is None                       # the whole figure first
    w.next_button.click()
    assert w.frame == 0 and "nothing computed yet" in w.caption.value
    w.prev_button.click()
    assert w.frame == 0
    w.set(frame=100)                             # clamped to the last frame
    last = w.frame
    assert "done" in w.caption.value and "∂e/∂b = 5" in w.caption.value
    w.set(b=2)                                   # the same frame, with the new numbers
    assert w.frame == last and "∂e/∂b = 7" in w.caption.value
    w.whole_button.click()
    assert w.frame is None


def test_bad_input_is_a_one_line_typed_error():
    w = explore("a * b", a=1, b=2, mode="values")
    with pytest.raises(ExploreError, match="no input 'c'; the inputs are a, b"):
        w.set(c=1)
    with pytest.raises(ExploreError, match="unknown mode"):
        w.set(mode="sideways")


def test_without_ipywidgets_explore_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    monkeypatch.delitem(sys.modules, "tinygrad_ko.widgets.explorer", raising=False)
    with pytest.raises(MissingWidgetsError, match=r"pip install 'tinygrad_ko\[classroom\]'") as raised:
        explore("a + b", a=1, b=2)
    assert isinstance(raised.value, TinygradKoError) and "\n" not in str(raised.value)
