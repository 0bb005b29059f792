"""Fonts for every figure: math and Latin from DejaVu Sans, Hangul from a Korean font.

No single font draws everything a lesson writes well: NanumGothic has Hangul but
draws ``∂`` and superscripts (``²``, ``³``) tiny, so ``∂e/∂c`` reads ``əe/əc`` on a
projector; DejaVu Sans (Matplotlib's own font) has ``∂ ² ³ ∇ ·`` but no Hangul. So
every figure names a *chain* of families, and each character comes from the first
family in the chain that has it:

    DejaVu Sans → NanumGothic (or another Korean font found on this machine)

Matplotlib (3.6 and later) falls back along ``font.family`` glyph by glyph, and so
do Graphviz (through Pango) and the browser showing an SVG.

Matplotlib only knows the fonts in a list it builds once and keeps in
``~/.cache/matplotlib``: a font installed after that first run stays unknown
(tofu boxes, and a ``findfont`` warning for every label) until the cache is
deleted. So we never rely on that list: ``matplotlib_families()`` registers the
Korean font *files* themselves (``font_manager.addfont``), found by ``fc-list``
and in the usual font folders, every time a process first draws.
"""

from __future__ import annotations

import contextlib
import functools
import pathlib
import shutil
import subprocess
import warnings

MATH_FAMILY = "DejaVu Sans"
"""First in every chain: Latin letters, digits, ∂, ∇, ², ³, ·, −, ×."""

KOREAN_FAMILIES = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                   "Apple SD Gothic Neo", "AppleGothic", "Malgun Gothic")
"""Korean fonts we look for, preferred first (fonts-nanum, fonts-noto-cjk, macOS, Windows)."""

FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
"""Where font files live when ``fc-list`` is not there to ask (macOS, Windows)."""

_KOREAN_FILE_WORDS = ("nanum", "notosanscjk", "notosanskr", "applesdgothic", "applegothic", "malgun")

GRAPHVIZ_FONTS = ",".join([MATH_FAMILY, *KOREAN_FAMILIES, "sans-serif"])
"""Graphviz's ``fontname``: the same chain, as one comma-separated list (Pango and
the browser both read it as a fallback list)."""

INSTALL_HINT = ("install a Korean font: sudo apt-get install fonts-nanum (Debian/Ubuntu), "
                "brew install --cask font-nanum-gothic (macOS)")


def korean_font_files() -> list[pathlib.Path]:
    """The Korean font files on this machine (regular TrueType/OpenType files)."""
    files = set(_ask_fontconfig())
    for folder in FONT_FOLDERS:
        root = pathlib.Path(folder).expanduser()
        if root.is_dir():
            files.update(path for pattern in ("*.ttf", "*.otf", "*.ttc") for path in root.rglob(pattern)
                         if any(word in path.name.lower() for word in _KOREAN_FILE_WORDS))
    return sorted(files)


def _ask_fontconfig() -> list[pathlib.Path]:
    """``fc-list :lang=ko file``: every font file that covers Korean, if fontconfig is installed."""
    if shutil.which("fc-list") is None:
        return []
    try:
        listing = subprocess.run(["fc-list", ":lang=ko", "file"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = (pathlib.Path(line.strip().rstrip(":")) for line in listing.splitlines() if line.strip())
    return [path for path in paths if path.suffix.lower() in (".ttf", ".otf", ".ttc") and path.is_file()]


@functools.lru_cache(maxsize=None)
def matplotlib_families() -> tuple[str, ...]:
    """The family chain for Matplotlib: ``("DejaVu Sans", "NanumGothic")`` when a Korean
    font is installed, ``("DejaVu Sans",)`` otherwise.

    Registers the Korean font files with Matplotlib first (once per process), so a
    font installed after Matplotlib built its cache is used at once. Only families
    that are really registered are named, so Matplotlib never warns ``findfont:
    Font family ... not found``."""
    from matplotlib import font_manager

    for path in korean_font_files():
        try:
            font_manager.fontManager.addfont(str(path))
        except (OSError, RuntimeError, ValueError):
            continue  # a file FreeType cannot read: skip it, the others still count
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    korean = next((family for family in KOREAN_FAMILIES if family in known), None)
    return (MATH_FAMILY,) + ((korean,) if korean else ())


def has_korean_font() -> bool:
    return len(matplotlib_families()) > 1


@contextlib.contextmanager
def figure_fonts():
    """Matplotlib settings for every figure we make: the family chain above.

    Without any Korean font the Hangul of a label cannot be drawn; Matplotlib would
    warn once per character, so those warnings are silenced here (the tour says in
    one line what to install) and the figures are still written."""
    import matplotlib

    with matplotlib.rc_context({"font.family": list(matplotlib_families())}), warnings.catch_warnings():
        if not has_korean_font():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def use_figure_fonts() -> tuple[str, ...]:
    """For notebooks and scripts that plot with pyplot: register the fonts and put the
    chain in ``matplotlib.rcParams`` for the rest of the session; returns the chain."""
    import matplotlib

    families = matplotlib_families()
    matplotlib.rcParams["font.family"] = list(families)
    return families
