"""The state behind ``explore``: inputs, mode, wrt and frame in, the engine's picture out.

Nothing here knows ipywidgets; the widget (``explorer.py``) only shows this state
and changes it. Each change rebuilds the graph with the engine (an expression
through ``tools.viz.expression_graph``, or the student's function on named
Tensors) and draws it with ``tools.viz``: the whole figure (``draw``), or one
frame of the step-through (``step_through``) when stepping.

The computed nodes are named with letters, as in Olah's figure: after inputs
a and b come c, d, e, … in the order the engine computed them, so
``(a+b)*(b+1)`` is drawn as c = a + b, d = b + 1, e = c · d.
"""

from __future__ import annotations

import string
from typing import Callable

import numpy as np

from ..autodiff import topological_order
from ..errors import TinygradKoError
from ..tensor import Tensor
from ..tools.viz import MODES, draw, expression_graph, step_through
from ..tools.viz.render import pipe


class ExploreError(TinygradKoError, ValueError):
    """``explore`` or ``set`` was given something it cannot use (an unknown input, mode or frame)."""


def build_graph(source, values: dict) -> tuple[Tensor, list[Tensor]]:
    """(output, inputs) of ``source`` at ``values``: an expression string or a function
    called with one named float64 Tensor per value (``f(a=Tensor(2.0), b=...)``)."""
    if isinstance(source, str):
        output, inputs = expression_graph(source, values)
        output.name = None       # named with the others, below
    elif callable(source):
        inputs = [Tensor(value, requires_grad=True, name=name, dtype=np.float64) for name, value in values.items()]
        output = source(**{x.name: x for x in inputs})
        if not isinstance(output, Tensor):
            raise ExploreError(f"explore: the function returned {type(output).__name__}, not a Tensor")
    else:
        raise ExploreError("explore takes an expression such as '(a+b)*(b+1)' or a function of named Tensors")
    name_in_letters(output, [x.name for x in inputs])
    return output, inputs


def name_in_letters(output: Tensor, taken: list[str]) -> None:
    """Give every unnamed computed tensor of the graph the next free letter after
    the inputs' (a, b → c, d, e), inputs first; beyond z they stay unnamed (v1, …)."""
    letters = string.ascii_lowercase
    last = max((letters.index(name) for name in taken if name in letters), default=-1)
    free = [letter for letter in letters[last + 1:] + letters[:last + 1] if letter not in taken]
    for tensor in reversed(topological_order(output)):
        if tensor.name is None and not tensor.is_leaf and free:
            tensor.name = free.pop(0)


class Exploration:
    """The explorer's state: ``values``, ``mode``, ``wrt``, ``frame`` (None: the whole
    figure; k: frame k of the step-through) and the picture they make (``svg``)."""

    def __init__(self, source: str | Callable, values: dict, *, mode: str = "both", wrt: str | None = None):
        if not values:
            raise ExploreError("explore needs a starting value for each input: explore('(a+b)*(b+1)', a=2, b=1)")
        self.source = source
        self.values = {name: float(value) for name, value in values.items()}
        self.inputs = list(self.values)
        self.mode = "both"
        self.wrt = self.inputs[0]
        self.frame = None
        self._rebuild()
        self.set(mode=mode, wrt=wrt or self.wrt)

    def set(self, *, mode=None, wrt=None, frame="keep", **values) -> None:
        """Change any of the inputs' values, the mode, wrt or the frame, then redraw."""
        unknown = [name for name in values if name not in self.values]
        if unknown:
            raise ExploreError(f"no input {unknown[0]!r}; the inputs are {', '.join(self.inputs)}")
        if mode is not None and mode not in MODES:
            raise ExploreError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if wrt is not None and wrt not in self.inputs:
            raise ExploreError(f"wrt={wrt!r} is not an input; the inputs are {', '.join(self.inputs)}")
        self.values.update({name: float(value) for name, value in values.items()})
        self.mode = mode or self.mode
        self.wrt = wrt or self.wrt
        self._rebuild()
        if frame != "keep":
            self.go_to(frame)

    def _rebuild(self) -> None:
        """Record the graph at the current values (the step-through is made when it is first shown)."""
        with np.errstate(all="ignore"):      # log of a negative number: the drawing says "undefined" itself
            self.output, _ = build_graph(self.source, self.values)
        self._steps = None
        if self.frame is not None:
            self.go_to(self.frame)           # the same step, with the new numbers (clamped)

    @property
    def steps(self):
        """The step-through of the current graph, mode and wrt (made once per change)."""
        if self._steps is None:
            self._steps = step_through(self.output, self.mode, wrt=self._wrt_for_mode())
        return self._steps

    def _wrt_for_mode(self):
        return self.wrt if self.mode in ("forward", "both") else None

    @property
    def frame_count(self) -> int:
        return len(self.steps)

    def go_to(self, frame: int | None) -> None:
        """Show frame ``frame`` of the step-through (clamped to its frames), or None for the whole figure."""
        if frame is not None and not isinstance(frame, (int, np.integer)):
            raise ExploreError(f"frame is a whole number or None (the whole figure), not {frame!r}")
        self.frame = None if frame is None else max(0, min(self.frame_count - 1, int(frame)))

    def step(self, by: int) -> None:
        """Prev (-1) / Next (+1): from the whole figure, Next starts at the first frame and Prev at the last."""
        if self.frame is None:
            self.go_to(0 if by > 0 else self.frame_count - 1)
        else:
            self.go_to(self.frame + by)

    @property
    def caption(self) -> str:
        """The current frame's caption, or the figure's title."""
        if self.frame is None:
            return f"{self.output.name}: 전체 그림 · the whole figure ({self.mode})"
        return f"{self.frame + 1}/{self.frame_count}: {self.steps.frames[self.frame].caption}"

    @property
    def svg(self) -> str:
        """The picture shown now, rendered by Graphviz."""
        if self.frame is None:
            return draw(self.output, self.mode, wrt=self._wrt_for_mode()).svg()
        return pipe(self.steps.frames[self.frame].source, "svg", fixed_positions=True).decode("utf-8")
