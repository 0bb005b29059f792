"""The figure style: the one Matplotlib set-up every figure of the package uses.

Training curves, the GO-UP histogram, the DNI plots, the cost sweeps and the
notebooks all take their fonts from here (``tools.fonts``: math from DejaVu
Sans, Hangul from a Korean font, registered from its files).

The package makes figures as ``matplotlib.figure.Figure`` objects, not through
pyplot: they are saved to files or returned, and leaving pyplot alone means
drawing one never changes the backend of the notebook or script that asked for
it. Notebooks and scripts that plot with pyplot call ``use_figure_fonts()``
once instead, which puts the same fonts in ``rcParams`` for the session.
"""

from __future__ import annotations

import contextlib
import pathlib

from .fonts import figure_fonts, use_figure_fonts

__all__ = ["FigureMaker", "figure_style", "save", "finish", "use_figure_fonts"]


class FigureMaker:
    """Figures no window manager knows: ``figure(...)``, and ``subplots(...)`` with pyplot's signature."""

    @staticmethod
    def figure(figsize=None, layout=None):
        from matplotlib.figure import Figure

        return Figure(figsize=figsize, layout=layout)

    @staticmethod
    def subplots(nrows: int = 1, ncols: int = 1, *, figsize=None, squeeze: bool = True):
        figure = FigureMaker.figure(figsize)
        return figure, figure.subplots(nrows, ncols, squeeze=squeeze)


@contextlib.contextmanager
def figure_style():
    """The fonts of every figure (``tools.fonts``: math from DejaVu Sans, Hangul from a
    Korean font, registered from its files), and a FigureMaker."""
    with figure_fonts():
        yield FigureMaker


def save(figure, path, *, bbox_inches="tight") -> pathlib.Path:
    """Write ``figure`` to ``path`` at 110 dpi (folders created; the format follows the
    file name) and return the path. ``bbox_inches=None`` keeps the figure's own size
    (for a figure whose layout engine already placed everything)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with figure_fonts():
        figure.savefig(path, dpi=110, bbox_inches=bbox_inches)
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
