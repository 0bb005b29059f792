"""Matplotlib set-up shared by the training and DNI figures.

Figures are made as ``matplotlib.figure.Figure`` objects, not through pyplot:
they are only ever saved to files, and leaving pyplot alone means drawing one
never changes the backend of the notebook or script that asked for it.
"""

from __future__ import annotations

import contextlib
import pathlib

from ..tools.fonts import figure_fonts


class FigureMaker:
    """``subplots(...)`` with pyplot's signature, returning a Figure no window manager knows."""

    @staticmethod
    def subplots(nrows: int = 1, ncols: int = 1, *, figsize=None, squeeze: bool = True):
        from matplotlib.figure import Figure

        figure = Figure(figsize=figsize)
        return figure, figure.subplots(nrows, ncols, squeeze=squeeze)


@contextlib.contextmanager
def figure_style():
    """The fonts of every figure (``tools.fonts``: math from DejaVu Sans, Hangul from a
    Korean font, registered from its files), and a FigureMaker."""
    with figure_fonts():
        yield FigureMaker


def save(figure, path) -> pathlib.Path:
    """Write ``figure`` to ``path`` (folders created) and return the path."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    return path


def finish(figure, axes, path, title: str = "") -> pathlib.Path:
    """Light grid and (where something is labelled) a legend on each axis, ``title``
    above the panels, then ``save``."""
    for axis in axes:
        axis.grid(alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=7)
    if title:
        figure.suptitle(title, y=1.03)
    return save(figure, path)
