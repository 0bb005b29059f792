"""One figure style module: every figure of the package and the notebooks takes its set-up from tools.figures."""

import pathlib

import pytest

pytest.importorskip("matplotlib")

from tinygrad_ko.tools import figures, fonts  # noqa: E402

REPO = pathlib.Path(__file__).parents[1]


def test_only_the_style_modules_set_matplotlib_fonts():
    # Fonts are chosen in tools/fonts.py and applied through tools/figures.py; nobody else
    # writes rcParams or font.family (a notebook that did drifted from the package's choice).
    allowed = {REPO / "tinygrad_ko/tools/fonts.py", REPO / "tinygrad_ko/tools/figures.py"}
    sources = [*(REPO / "tinygrad_ko").rglob("*.py"), *(REPO / "notebooks/sources").glob("*.py"),
               *(REPO / "benchmarks").glob("*.py")]
    offenders = [str(path.relative_to(REPO)) for path in sources if path not in allowed
                 and any(word in path.read_text(encoding="utf-8") for word in ("rcParams", '"font.family"'))]
    assert offenders == []


def test_notebooks_that_plot_use_the_style_module():
    for source in sorted((REPO / "notebooks/sources").glob("*.py")):
        text = source.read_text(encoding="utf-8")
        if "matplotlib" in text:
            assert "from tinygrad_ko.tools.figures import use_figure_fonts" in text, source.name
            assert "tools.fonts" not in text, source.name


def test_figures_made_and_saved_with_the_style(tmp_path):
    assert figures.use_figure_fonts is fonts.use_figure_fonts
    with figures.figure_style() as maker:
        figure, axes = maker.subplots(1, 2, figsize=(4, 2))
        axes[0].plot([0, 1], [1, 0], label="∂e/∂b")
        loose = maker.figure(figsize=(3, 2), layout="constrained")
        loose.subplots().plot([0, 1])
        tight = figures.finish(figure, axes, tmp_path / "a" / "tight.png", title="제목 / title")
        kept = figures.save(loose, tmp_path / "kept.png", bbox_inches=None)
    from matplotlib.image import imread

    assert imread(kept).shape[:2] == (220, 330)      # 3 × 2 inches at 110 dpi, not cropped
    assert tight.exists() and axes[0].get_legend() is not None
