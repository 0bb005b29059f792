"""The Jupyter widget of ``explore``: ipywidgets controls around an ``Exploration``.

Only standard ipywidgets (sliders, toggle buttons, a dropdown, buttons and an
HTML area for the SVG), so it runs in Jupyter Notebook, JupyterLab and VS Code
with no front-end build. Every control calls ``Exploration.set`` / ``step`` and
the picture is redrawn by the engine; Python drives the same state
(``w.set(a=3)``, ``w.values``, ``w.svg``), which is how the tests use it.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..errors import TinygradKoError
from ..tools.viz import MODES
from .exploration import Exploration

MODE_LABELS = {"values": "값 · values", "forward": "순방향 · forward", "reverse": "역방향 · reverse",
               "both": "둘 다 · both"}


def slider_range(value: float) -> tuple[float, float]:
    """A slider's (min, max) around its starting value: value ± max(5, 2|value|)."""
    reach = max(5.0, 2 * abs(value))
    return value - reach, value + reach


class Explorer:
    """Sliders per input, mode and wrt controls, Prev/Next through the step-through, the graph."""

    def __init__(self, exploration: Exploration, ranges: dict | None = None):
        self.state = exploration
        self._syncing = False
        ranges = ranges or {}
        self.sliders = {}
        for name, value in exploration.values.items():
            low, high = ranges.get(name, slider_range(value))
            slider = widgets.FloatSlider(value=value, min=low, max=high, step=0.1, description=name,
                                         continuous_update=False, readout_format=".2f")
            slider.observe(lambda change, name=name: self._on_control(**{name: change["new"]}), names="value")
            self.sliders[name] = slider
        self.mode_control = widgets.ToggleButtons(options=[(MODE_LABELS[m], m) for m in MODES],
                                                  value=exploration.mode, description="모드 · mode")
        self.mode_control.observe(lambda change: self._on_control(mode=change["new"]), names="value")
        self.wrt_control = widgets.Dropdown(options=exploration.inputs, value=exploration.wrt,
                                            description="wrt")
        self.wrt_control.observe(lambda change: self._on_control(wrt=change["new"]), names="value")
        self.prev_button = widgets.Button(description="◀ 이전 · Prev")
        self.next_button = widgets.Button(description="다음 · Next ▶")
        self.whole_button = widgets.Button(description="전체 · whole figure")
        self.prev_button.on_click(lambda _: self._on_step(-1))
        self.next_button.on_click(lambda _: self._on_step(+1))
        self.whole_button.on_click(lambda _: self._on_frame(None))
        self.caption = widgets.HTML()
        self.picture = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox(list(self.sliders.values())),
            widgets.HBox([self.mode_control, self.wrt_control]),
            widgets.HBox([self.prev_button, self.next_button, self.whole_button]),
            self.caption, self.picture])
        self._redraw()

    # ------------------------------------------------------------ Python side
    def set(self, **changes) -> None:
        """``w.set(a=3)``, ``w.set(mode="reverse", wrt="b")``, ``w.set(frame=2)``: change and redraw."""
        self.state.set(**changes)
        self._redraw()

    def step(self, by: int) -> None:
        """Prev (-1) or Next (+1) through the step-through's frames."""
        self.state.step(by)
        self._redraw()

    @property
    def values(self) -> dict:
        return dict(self.state.values)

    @property
    def mode(self) -> str:
        return self.state.mode

    @property
    def wrt(self) -> str:
        return self.state.wrt

    @property
    def frame(self):
        return self.state.frame

    @property
    def output(self):
        """The output Tensor of the graph drawn now."""
        return self.state.output

    @property
    def svg(self) -> str:
        """The SVG shown now (or, where it cannot be drawn, the message shown instead)."""
        return self.picture.value

    # ------------------------------------------------------------ widget side
    def _on_control(self, **changes) -> None:
        if not self._syncing:
            self._guarded(lambda: self.state.set(**changes))

    def _on_step(self, by: int) -> None:
        self._guarded(lambda: self.state.step(by))

    def _on_frame(self, frame) -> None:
        self._guarded(lambda: self.state.go_to(frame))

    def _guarded(self, change) -> None:
        """Apply a change from a control; an engine error is shown, not raised into the front end."""
        try:
            change()
        except TinygradKoError as error:
            self.caption.value = f"<b>⚠ {html.escape(str(error))}</b>"
            return
        self._redraw()

    def _redraw(self) -> None:
        """Controls follow the state, then the picture is drawn again."""
        self._syncing = True
        try:
            for name, slider in self.sliders.items():
                value = self.state.values[name]
                slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = value
            self.mode_control.value = self.state.mode
            self.wrt_control.value = self.state.wrt
        finally:
            self._syncing = False
        self.wrt_control.disabled = self.state.mode not in ("forward", "both")
        self.prev_button.disabled = self.state.frame == 0
        self.next_button.disabled = self.state.frame is not None and self.state.frame == self.state.frame_count - 1
        self.caption.value = f"<p>{html.escape(self.state.caption)}</p>"
        try:
            self.picture.value = self.state.svg
        except TinygradKoError as error:     # no Graphviz, or nothing to differentiate: say so in place
            self.picture.value = f"<pre>⚠ {html.escape(str(error))}</pre>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        """In Jupyter the widget itself; in a front end without widgets, this object's repr."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value:g}" for name, value in self.state.values.items())
        return f"<explore: {self.state.output.name} at {values}, mode={self.state.mode}, wrt={self.state.wrt}>"
