"""Running Graphviz: DOT text in, SVG / PNG / PDF / layout out.

Writing DOT needs nothing but Python. Turning it into a picture needs
Graphviz's ``dot`` program; without it every function here raises
``GraphvizNotFoundError``, whose message says how to install it.
"""

from __future__ import annotations

import json

import graphviz

from ...errors import TinygradKoError

INSTALL_HINT = (
    "install Graphviz: `sudo apt-get install graphviz fonts-nanum` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS), `conda install graphviz`, or see https://graphviz.org/download/ "
    "— without it you can still save the DOT source (.dot) and paste it into any Graphviz viewer")

PICTURE_FORMATS = ("svg", "png", "pdf")
"""What a drawing can be saved as besides DOT (and a step-through as HTML)."""


class VizError(TinygradKoError, ValueError):
    """A drawing was asked for in a way that cannot work (wrong mode, wrong file type, ...)."""


class GraphvizNotFoundError(TinygradKoError, RuntimeError):
    """Graphviz's ``dot`` program is not installed, so DOT cannot become a picture."""


def pipe(source: str, format: str = "svg", *, fixed_positions: bool = False) -> bytes:
    """Render DOT ``source`` to ``format``.

    ``fixed_positions`` keeps the ``pos`` of every node and edge that the
    source already carries (``neato -n2``), for the frames of a step-through."""
    engine, no_op = ("neato", 2) if fixed_positions else ("dot", None)
    try:
        return graphviz.pipe(engine, format, source.encode("utf-8"), neato_no_op=no_op, quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(
            f"rendering to {format.upper()} needs Graphviz's `{engine}` program, which is not on PATH: "
            + INSTALL_HINT) from None
    except graphviz.CalledProcessError as error:
        message = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise VizError(f"Graphviz could not render this drawing: {message[0] if message else error}") from None


def layout(source: str) -> dict:
    """Where ``dot`` puts every node and edge, as Graphviz's JSON."""
    return json.loads(pipe(source, "json").decode("utf-8"))
