"""The tour's drawing section: Olah's figures in every mode, and the step-through."""

from __future__ import annotations

import pathlib

from ...tensor import Tensor
from .drawing import MODES, draw
from .render import GraphvizNotFoundError
from .steps import step_through


TITLE = "e = (a + b) * (b + 1)"
"""The expression as typed in the tour's code: the title of every figure and of the page."""


def olah_graph():
    """e = (a + b) * (b + 1) at a = 2, b = 1, every tensor named as in Olah's figure."""
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(1.0, requires_grad=True, name="b")
    c = a + b
    c.name = "c"
    d = b + 1
    d.name = "d"
    e = c * d
    e.name = "e"
    return a, b, e


def drawings_section(out_dir: pathlib.Path) -> None:
    """Write olah_<mode>.svg (and .dot) for every mode and olah_steps.html."""
    print("== 그림 / Drawings: Olah의 계산 그래프 · the Olah figures ==")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    a, b, e = olah_graph()
    drawings = {mode: draw(e, mode=mode, wrt=b, title=f"{TITLE}:  {mode}") for mode in MODES}
    for mode, drawing in drawings.items():
        print(f"  wrote {drawing.save(out_dir / f'olah_{mode}.dot')}")
    try:
        for mode, drawing in drawings.items():
            print(f"  wrote {drawing.save(out_dir / f'olah_{mode}.svg')}")
        steps = step_through(e, "both", wrt=b, title=TITLE).save(out_dir / "olah_steps.html")
    except GraphvizNotFoundError:
        print("  no pictures (.svg, olah_steps.html): Graphviz is not installed — sudo apt-get install graphviz "
              "(macOS: brew install graphviz); the .dot files open in any Graphviz viewer")
        print()
        return
    print(f"  wrote {steps}")
    print("values · forward (∂·/∂b) · reverse (∂e/∂·) · both. Open olah_steps.html in a browser "
          "and step through the forward and reverse passes (Next, or ← →).")
    print()
