"""Matplotlib set-up shared by the training figures (Agg backend: files only, no window)."""

from __future__ import annotations

import contextlib
import pathlib


@contextlib.contextmanager
def figure_style():
    """Use the Agg backend and a font list that can also draw Korean (NanumGothic, if installed).

    Matplotlib falls back glyph by glyph along ``font.family``, so Latin text
    stays in DejaVu Sans and Hangul comes from Nanum."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    installed = {font.name for font in font_manager.fontManager.ttflist}
    families = ["DejaVu Sans"] + [name for name in ("NanumGothic", "NanumBarunGothic") if name in installed]
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        yield pyplot


def save(figure, path) -> pathlib.Path:
    """Write ``figure`` to ``path`` (folders created), close it and return the path."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as pyplot

    pyplot.close(figure)
    return path
