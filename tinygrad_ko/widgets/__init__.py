"""Live exploration in Jupyter: ``explore("(a+b)*(b+1)", a=2, b=1)``.

A slider per input, the mode (values / forward / reverse / both) and the input
forward mode differentiates by (``wrt``) as controls, Prev/Next through the
step-through's frames; every change redraws the graph with the engine.
The state is Python's too: ``w.set(a=3)``, ``w.values``, ``w.svg``.
Needs ipywidgets (``pip install 'tinygrad_ko[classroom]'``) and Graphviz.
"""

from __future__ import annotations

from ..errors import TinygradKoError
from .exploration import Exploration, ExploreError

INSTALL = "pip install 'tinygrad_ko[classroom]' (or: pip install ipywidgets)"


class MissingWidgetsError(TinygradKoError, ImportError):
    """ipywidgets is not installed, so there is no widget to show."""


def explore(expr_or_function, *, mode: str = "both", wrt: str | None = None, ranges: dict | None = None,
            **values):
    """A widget exploring the graph of ``expr_or_function`` from ``values``.

    ``expr_or_function``: an expression (``"(a+b)*(b+1)"``, parsed by the
    whitelist parser, never eval'd) or a function of named Tensors
    (``tools.olah.olah``). ``values``: each input's starting value.
    ``ranges``: optional ``{name: (min, max)}`` of the sliders."""
    try:
        from .explorer import Explorer
    except ImportError:
        raise MissingWidgetsError(f"explore needs ipywidgets, which is not installed: {INSTALL}") from None
    return Explorer(Exploration(expr_or_function, values, mode=mode, wrt=wrt), ranges)


__all__ = ["explore", "Exploration", "ExploreError", "MissingWidgetsError"]
