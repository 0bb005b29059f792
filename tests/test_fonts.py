"""Every glyph a lesson writes comes from a font that has it, whatever Matplotlib's cache says."""

import io
import subprocess
import sys
import warnings

import pytest

from tinygrad_ko.tools import fonts

TEXT = "순방향 · 역방향: ∂e/∂c = 2, x² + y³, ∇f, 2³ = 8"
NEEDS_KOREAN = pytest.mark.skipif(not fonts.korean_font_files(),
                                  reason=f"no Korean font on this machine: {fonts.INSTALL_HINT}")


def glyph_font(character: str, families) -> str | None:
    """The first family of the chain whose font file has ``character`` (what Matplotlib draws it with)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    for family in families:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        if FT2Font(path).get_char_index(ord(character)):
            return family
    return None


@NEEDS_KOREAN
def test_a_figure_with_korean_partials_and_superscripts_draws_every_glyph(caplog):
    """Matplotlib warns "Glyph 8706 missing from font(s) ..." for a tofu box (made an error
    here) and logs "findfont: Font family ... not found" for a family it does not know."""
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        warnings.simplefilter("error")          # "Glyph 8706 missing from font(s) ..." becomes a failure
        with fonts.figure_fonts():
            figure = Figure(figsize=(5, 2))
            axis = figure.subplots()
            axis.set_title(TEXT)
            axis.plot([1, 2], [3, 4], label="순방향 ∂·/∂b")
            axis.legend()
            figure.savefig(io.BytesIO(), format="png")
    assert not [record for record in caplog.records if "font" in record.getMessage().lower()]


@NEEDS_KOREAN
def test_math_comes_from_dejavu_and_hangul_from_the_korean_font():
    families = fonts.matplotlib_families()
    assert families[0] == "DejaVu Sans" and families[1] in fonts.KOREAN_FAMILIES
    for character in "∂²³∇·e":
        assert glyph_font(character, families) == "DejaVu Sans", character
    for character in "순방향":
        assert glyph_font(character, families) == families[1], character


@NEEDS_KOREAN
def test_a_korean_font_installed_after_the_cache_was_built_is_still_used():
    """Simulate the stale cache: Matplotlib's font list without any Korean font in it."""
    program = f"""
import warnings
from matplotlib import font_manager
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist
                                    if not any(w in f.fname.lower() for w in {fonts._KOREAN_FILE_WORDS!r})]
import io
from matplotlib.figure import Figure
from tinygrad_ko.tools import fonts
warnings.simplefilter("error")
with fonts.figure_fonts():
    figure = Figure()
    figure.subplots().set_title({TEXT!r})
    figure.savefig(io.BytesIO(), format="png")
print(fonts.matplotlib_families())
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-1500:]
    assert run.stderr == ""                     # no findfont lines, no glyph warnings
    assert "'DejaVu Sans', 'Nanum" in run.stdout or "'DejaVu Sans', 'Noto" in run.stdout


def test_without_a_korean_font_figures_are_still_written_without_warnings(monkeypatch):
    from matplotlib.figure import Figure

    monkeypatch.setattr(fonts, "matplotlib_families", lambda: ("DejaVu Sans",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fonts.figure_fonts():
            figure = Figure()
            figure.subplots().set_title(TEXT)
            figure.savefig(io.BytesIO(), format="png")


def test_graphviz_labels_use_the_same_chain():
    from tinygrad_ko.tools.viz.dot import FONT

    names = FONT.split(",")
    assert names[0] == "DejaVu Sans" and "NanumGothic" in names and names[-1] == "sans-serif"
