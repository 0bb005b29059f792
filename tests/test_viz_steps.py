"""Tests of the step-through: frames, the HTML page, and the page in a real browser.

The browser tests drive headless Chromium through its DevTools protocol
(tests/chromium_driver.py). Set TINYGRAD_KO_SCREENSHOTS=<folder> to keep the
screenshots they take, to look at them.
"""

import io
import os
import pathlib
import re

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.tools.viz import StepThrough, VizError, step_through

from chromium_driver import Chromium
from system_tools import CHROMIUM, CHROMIUM_REASON, GRAPHVIZ_REASON, HAS_GRAPHVIZ as HAS_DOT
from system_tools import needs_chromium as needs_browser, needs_graphviz as needs_dot
from test_viz import label_rows, olah

OLAH_BOTH_CAPTIONS = [
    "계산 그래프: 아직 아무것도 계산하지 않았습니다 · the graph, nothing computed yet"
    "  (ẋ = ∂x/∂b 접선 · tangent;  x̄ = ∂e/∂x 수반 · adjoint)",
    "순방향 1/5 · forward: 입력 · input a = 2;  ȧ = 0",
    "순방향 2/5 · forward: 입력 · input b = 1;  시작 · seed ḃ = 1",
    "순방향 3/5 · forward: c = a + b = 3;  ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ = 1·0 + 1·1 = 1",
    "순방향 4/5 · forward: d = b + 1 = 2;  ḋ = ∂d/∂b·ḃ = 1·1 = 1",
    "순방향 5/5 · forward: e = c * d = 6;  ė = ∂e/∂c·ċ + ∂e/∂d·ḋ = 2·1 + 3·1 = 5",
    "역방향 1/5 · reverse: 시작 · seed ē = ∂e/∂e = 1",
    "역방향 2/5 · reverse: d̄ = ē·∂e/∂d = 1·3 = 3",
    "역방향 3/5 · reverse: c̄ = ē·∂e/∂c = 1·2 = 2",
    "역방향 4/5 · reverse: b̄ = c̄·∂c/∂b + d̄·∂d/∂b = 2·1 + 3·1 = 5",
    "역방향 5/5 · reverse: ā = c̄·∂c/∂a = 2·1 = 2",
    "완성 · done — 순방향 한 번 · one forward pass: ∂e/∂b = 5;  역방향 한 번 · one reverse pass: ∂e/∂a = 2, ∂e/∂b = 5",
]


def frame_rows(source: str, node_id: str) -> list:
    match = re.search(rf"^\t{node_id} \[label=<(.*?)>(?: |\])", source, re.MULTILINE)
    return label_rows(match.group(1))


@pytest.fixture(scope="module")
def olah_steps():
    if not HAS_DOT:
        pytest.skip(GRAPHVIZ_REASON)
    a, b, c, d, e = olah()
    return step_through(e, "both", wrt=b)


# -------------------------------------------------------------------- frames

@needs_dot
def test_olah_frames_fill_in_values_then_adjoints(olah_steps):
    assert [frame.caption for frame in olah_steps.frames] == OLAH_BOTH_CAPTIONS
    first, fourth, seventh, last = (olah_steps.frames[i].source for i in (0, 3, 7, 11))
    assert frame_rows(first, "n2") == ["c = a + b = ?", "∂c/∂b = ?"]
    assert frame_rows(fourth, "n2") == ["c = a + b = 3", "∂c/∂b = 1"]
    assert frame_rows(fourth, "n5") == ["e = c * d = ?", "∂e/∂b = ?"]
    assert frame_rows(seventh, "n4") == ["d = b + 1 = 2", "∂d/∂b = 1", "∂e/∂d = 3"]
    assert frame_rows(seventh, "n1") == ["b = 1", "∂b/∂b = 1", "∂e/∂b = ?"]
    assert frame_rows(last, "n1") == ["b = 1", "∂b/∂b = 1", "∂e/∂b = 5"]


@needs_dot
def test_the_edges_being_used_are_highlighted(olah_steps):
    # forward frame of c: the edges a -> c and b -> c are blue; reverse frame of b: b -> c, b -> d red
    forward_c, reverse_b = olah_steps.frames[3].source, olah_steps.frames[9].source
    assert re.findall(r"^\t(n\d -> n\d) \[.*color=\"#1f5fbf\"", forward_c, re.MULTILINE) == ["n0 -> n2", "n1 -> n2"]
    assert re.findall(r"^\t(n\d -> n\d) \[.*color=\"#c0392b\"", reverse_b, re.MULTILINE) == ["n1 -> n2", "n1 -> n4"]


@needs_dot
def test_nothing_moves_between_frames(olah_steps):
    def positions(source):
        return re.findall(r'^\t(n\d+|legend|n\d+ -> n\d+) \[.*?\bpos="([^"]+)"', source, re.MULTILINE)

    first = positions(olah_steps.frames[0].source)
    assert len(first) == 5 + 5 + 1
    for frame in olah_steps.frames[1:]:
        assert positions(frame.source) == first


@needs_dot
def test_reverse_only_and_values_only_step_throughs():
    a, b, c, d, e = olah()
    reverse = step_through(e)
    assert len(reverse) == 1 + 5 + 5 + 1
    assert reverse.frames[3].caption == "순방향 3/5 · forward: c = a + b = 3"
    assert reverse.frames[9].caption == "역방향 4/5 · reverse: b̄ = c̄·∂c/∂b + d̄·∂d/∂b = 2·1 + 3·1 = 5"
    assert reverse.frames[-1].caption == "완성 · done — 역방향 한 번 · one reverse pass: ∂e/∂a = 2, ∂e/∂b = 5"
    values = step_through(e, "values")
    assert len(values) == 1 + 5 + 1
    assert values.frames[-1].caption == "완성 · done — e = 6"


@needs_dot
def test_tensor_graph_steps_use_vector_jacobian_words():
    W = Tensor(np.arange(6.0).reshape(3, 2) / 10, requires_grad=True, name="W")
    x = Tensor(np.ones((2, 3)), name="x")
    loss = (x @ W).tanh().sum()
    steps = step_through(loss)
    assert any("vector-Jacobian products" in frame.caption for frame in steps.frames)
    assert "상수 · constant x = (2, 3) float64" in [frame.caption.split(": ", 1)[1] for frame in steps.frames[1:3]]


def test_step_through_refuses_huge_graphs_and_other_file_types(tmp_path):
    x = Tensor(0.5, requires_grad=True, name="x")
    y = x
    for _ in range(300):
        y = y.sin()
    with pytest.raises(VizError, match="at most 400"):
        step_through(y)
    with pytest.raises(VizError, match="ending in .html"):
        StepThrough([], "t").save(tmp_path / "steps.svg")


# ---------------------------------------------------------------- the page

@needs_dot
def test_html_page_is_self_contained(olah_steps, tmp_path):
    page = olah_steps.save(tmp_path / "olah.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<figure class="tgk-frame"') == 12 and page.count("<svg") == 12
    assert "<?xml" not in page and "<!--" not in page
    # nothing fetched from anywhere: no links, no external scripts, styles or images
    assert not re.search(r"<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(", page)
    assert set(re.findall(r"https?://[^\s\"']+", page)) <= {"http://www.w3.org/2000/svg",
                                                             "http://www.w3.org/1999/xlink"}
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "element ids must be unique across frames"
    for caption in OLAH_BOTH_CAPTIONS:
        assert caption in page.replace("&#x27;", "'")


@needs_dot
def test_page_is_byte_identical_run_to_run(olah_steps):
    a, b, c, d, e = olah()
    assert step_through(e, "both", wrt=b).html() == olah_steps.html()


@needs_dot
def test_jupyter_gets_the_player_without_the_page_around_it(olah_steps):
    fragment = olah_steps._repr_html_()
    assert fragment.startswith('<div class="tgk-steps"') and "<html" not in fragment
    assert "var standalone = false;" in fragment


# ---------------------------------------------------------------- in Chromium

def screenshot_pixels(png: bytes) -> np.ndarray:
    from matplotlib import image

    return image.imread(io.BytesIO(png), format="png")


def keep_screenshot(name: str, png: bytes, tmp_path: pathlib.Path) -> None:
    (tmp_path / name).write_bytes(png)
    folder = os.environ.get("TINYGRAD_KO_SCREENSHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        (pathlib.Path(folder) / name).write_bytes(png)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None or not HAS_DOT:
        pytest.skip(CHROMIUM_REASON if CHROMIUM is None else GRAPHVIZ_REASON)
    with Chromium(CHROMIUM) as chromium:
        yield chromium


CURRENT = "document.querySelector('.tgk-steps').getAttribute('data-current')"
VISIBLE = "Array.from(document.querySelectorAll('.tgk-frame')).filter(f => !f.hidden).map(f => f.dataset.index)"
CAPTION = "document.querySelector('.tgk-frame:not([hidden]) figcaption').textContent"


@needs_browser
def test_pressing_next_changes_what_is_shown(browser, olah_steps, tmp_path):
    page = olah_steps.save(tmp_path / "olah.html")
    browser.open(page.as_uri())
    assert browser.evaluate(CURRENT) == "0"
    assert browser.evaluate(VISIBLE) == ["0"]
    assert browser.evaluate(CAPTION) == OLAH_BOTH_CAPTIONS[0]
    assert browser.evaluate("document.querySelector('.tgk-prev').disabled") is True
    first = browser.screenshot()
    keep_screenshot("steps_frame01.png", first, tmp_path)

    browser.click(".tgk-next")
    assert browser.evaluate(VISIBLE) == ["1"]
    assert browser.evaluate(CAPTION) == OLAH_BOTH_CAPTIONS[1]
    assert browser.evaluate("location.hash") == "#frame=2"
    after_next = browser.screenshot()
    pixels_first, pixels_next = screenshot_pixels(first), screenshot_pixels(after_next)
    assert pixels_first.shape == pixels_next.shape
    changed = np.any(np.abs(pixels_first - pixels_next) > 0.05, axis=-1).mean()
    assert changed > 0.001, "the screenshot did not change after pressing Next"

    for _ in range(8):
        browser.click(".tgk-next")
    assert browser.evaluate(VISIBLE) == ["9"]
    assert browser.evaluate(CAPTION) == OLAH_BOTH_CAPTIONS[9]
    later = browser.screenshot()
    keep_screenshot("steps_frame10.png", later, tmp_path)
    assert np.any(np.abs(screenshot_pixels(later) - pixels_next) > 0.05, axis=-1).mean() > 0.001

    browser.press_key("ArrowLeft", "ArrowLeft", 37)
    assert browser.evaluate(VISIBLE) == ["8"]


@needs_browser
def test_the_slider_and_a_link_to_a_frame(browser, olah_steps, tmp_path):
    page = olah_steps.save(tmp_path / "olah.html")
    browser.open(page.as_uri() + "#frame=12")
    assert browser.evaluate(VISIBLE) == ["11"]
    assert browser.evaluate("document.querySelector('.tgk-next').disabled") is True
    browser.evaluate("(function () { var s = document.querySelector('.tgk-slider'); s.value = 5;"
                     " s.dispatchEvent(new Event('input')); })()")
    assert browser.evaluate(VISIBLE) == ["5"]
    assert browser.evaluate(CAPTION) == OLAH_BOTH_CAPTIONS[5]
    # the Korean legend is drawn with a Korean font the page asks for
    assert "NanumGothic" in browser.evaluate(
        "getComputedStyle(document.querySelector('.tgk-frame:not([hidden]) svg text')).fontFamily")


# ------------------------------------------------------- live inputs (Jupyter)

LIVE_COMMAND = 'from tinygrad_ko.widgets import explore; explore("(a + b) * (b + 1)", a=2, b=1)'


@needs_dot
def test_the_page_says_how_to_get_live_inputs_in_jupyter(olah_steps):
    page = olah_steps.html().replace("&quot;", '"')
    assert LIVE_COMMAND in page and "Jupyter" in page
    assert "tgk-live" not in olah_steps._repr_html_()       # in Jupyter itself, no need to say it


@pytest.mark.parametrize("text, values", [("(a+b)*(b+1)", {"a": 2, "b": 1}),
                                          ("sin(a*b) + -a**2/3", {"a": 1.5, "b": 2}),
                                          ("exp(-x) * (x - 1)", {"x": 0.5})])
def test_the_command_types_the_graph_back(text, values):
    from tinygrad_ko.tools.viz import expression_graph
    from tinygrad_ko.tools.viz.graph import collect
    from tinygrad_ko.tools.viz.live import typed_expression

    output, _ = expression_graph(text, values)
    again, _ = expression_graph(typed_expression(collect(output)), values)
    assert again.item() == pytest.approx(output.item())
    assert "(sin" not in typed_expression(collect(output))      # a call needs no parentheses


@needs_browser
def test_the_live_inputs_line_is_on_the_page_in_the_browser(browser, olah_steps, tmp_path):
    page = olah_steps.save(tmp_path / "olah.html")
    browser.open(page.as_uri())
    assert browser.evaluate("document.querySelector('.tgk-live code').textContent") == LIVE_COMMAND
    assert browser.evaluate("document.querySelector('.tgk-live').getBoundingClientRect().height") > 0
