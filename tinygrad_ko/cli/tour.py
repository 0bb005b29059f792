"""``tinygrad-ko tour``: what the engine does, on embedded data, in a few seconds.

Each section is a function that prints its part and returns nothing; sections
that write files put them under ``--out`` and say where.
"""

from __future__ import annotations

import pathlib
import shutil

from ..autodiff import grad, jvp
from .cost import cost_section
from .graph import drawings_section
from .paths import output_folder
from .train import training_section


def add_arguments(parser) -> None:
    parser.add_argument("--out", default="tinygrad_ko_out", type=pathlib.Path,
                        help="folder for the drawings and plots (default: %(default)s)")


def olah_section(out_dir: pathlib.Path) -> None:
    """The Olah example: e = (a + b)(b + 1) at a = 2, b = 1, both modes."""
    from ..tools.olah import TITLE, olah, olah_graph

    print(f"== 1. 계산 그래프 / The computational graph  {TITLE} ==")
    a, b, c, d, e = olah_graph()
    print(f"values:  a = {a.item():g}, b = {b.item():g}, c = a + b = {c.item():g}, "
          f"d = b + 1 = {d.item():g}, e = c * d = {e.item():g}")
    _, de_da = jvp(olah, (2.0, 1.0), (1.0, 0.0))
    _, de_db = jvp(olah, (2.0, 1.0), (0.0, 1.0))
    print(f"forward mode (순방향), one pass per input:  ∂e/∂a = {de_da.item():g}  (pass 1),  "
          f"∂e/∂b = {de_db.item():g}  (pass 2)")
    e.backward()
    print(f"reverse mode (역방향), one pass for both:   ∂e/∂a = {a.grad.item():g},  "
          f"∂e/∂b = {b.grad.item():g}")
    second = grad(grad(lambda x: x ** 4 - 2 * x ** 2))(2.0)
    print(f"higher order: d²/dx² (x⁴ − 2x²) at x = 2 is {second.item():g}")
    print()


def dni_section(out_dir: pathlib.Path) -> None:
    """Synthetic gradients on the digits: who waited for what (tinygrad_ko.dni)."""
    from .dni import dni_section as section

    section(out_dir)


SECTIONS = [olah_section, drawings_section, cost_section, training_section, dni_section]


def missing_line() -> str | None:
    """One line naming the system packages the tour would use but this machine lacks."""
    from ..tools.fonts import has_korean_font

    missing = {package: purpose for package, purpose, present in (
        ("graphviz", "pictures", shutil.which("dot") is not None),
        ("fonts-nanum", "Korean labels", has_korean_font())) if not present}
    if not missing:
        return None
    what = ", ".join(f"{package} ({purpose})" for package, purpose in missing.items())
    return (f"설치하면 더 보입니다 / not installed: {what} — sudo apt-get install -y {' '.join(missing)}, "
            f"or `make tour` as root; macOS: brew install graphviz. The tour writes what it can without them.")


def run(args) -> int:
    out = output_folder(args.out)
    line = missing_line()
    if line:
        print(line)
        print()
    for section in SECTIONS:
        section(out)
    return 0
