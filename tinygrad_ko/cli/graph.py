"""``tinygrad-ko graph EXPR --at a=2 b=1``: draw the graph of a typed expression.

    tinygrad-ko graph "(a+b)*(b+1)" --at a=2 b=1 --wrt b --mode both -o e.svg
    tinygrad-ko graph "tanh(w*x + 1)" --at w=0.5 x=2 -o steps.html   # step-through page
    tinygrad-ko graph "sin(x)**2" --at x=1                           # DOT on stdout

The expression is read by a whitelist parser (numbers, names, + - * / **, unary
minus, parentheses, sin cos exp log sqrt tanh sigmoid relu); it is never passed
to Python's eval. It may start with a minus (``graph "-x+1" --at x=2``). A bad
expression, a missing value, an output file type we cannot write, or a point
where the expression or its derivative is undefined (``log(x)`` at x = -1) is
one line on stderr and exit status 2.
"""

from __future__ import annotations

import pathlib
import sys

from ..errors import TinygradKoError

MODES = ("values", "forward", "reverse", "both")

OPTIONS = ("-h", "--help", "-o", "--output", "--at", "--mode", "--wrt", "--title")
"""Every option of the command (tests/test_cli_graph.py checks this against the parser)."""


def add_arguments(parser) -> None:
    parser.add_argument("expression", help='the expression, quoted: "(a+b)*(b+1)"')
    parser.add_argument("--at", nargs="+", default=[], metavar="NAME=VALUE",
                        help="the value of every variable: --at a=2 b=1")
    parser.add_argument("--mode", choices=MODES, default=None,
                        help="what the nodes show besides their values: forward (∂·/∂wrt), "
                             "reverse (∂f/∂·) or both (default: both with --wrt, else reverse)")
    parser.add_argument("--wrt", metavar="NAME",
                        help="the variable forward mode differentiates by (needed for forward/both "
                             "when there is more than one variable)")
    parser.add_argument("-o", "--output", type=pathlib.Path, metavar="FILE",
                        help="write .svg, .png, .pdf, .dot or .html (a step-through page; missing folders "
                             "are made); without it the DOT source goes to stdout")
    parser.add_argument("--title", help="a title above the drawing (default: the expression)")


class GraphCommandError(TinygradKoError, ValueError):
    """A problem with the graph command's arguments, in one line."""


def expression_first(arguments: list[str]) -> list[str]:
    """Let the expression start with a minus: ``graph "-x+1" --at x=2``.

    argparse takes any word that starts with ``-`` for an option. A word that is
    no option of this command (``-x+1``, ``-2*x``) gets a space in front, which
    argparse leaves alone and the parser ignores."""
    def is_option(word: str) -> bool:
        name = word.split("=", 1)[0]
        return word == "--" or name in OPTIONS or (
            name.startswith("--") and len(name) > 2 and any(o.startswith(name) for o in OPTIONS))

    return [" " + word if word.startswith("-") and not is_option(word) and not _is_number(word) else word
            for word in arguments]


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def run(args) -> int:
    import numpy as np

    with np.errstate(all="ignore"):  # nan and inf are reported in words below, not as NumPy warnings
        return _run(args)


def _run(args) -> int:
    from ..tools.expr import ExpressionError, parse_assignments
    from ..tools.viz import draw, step_through
    from ..tools.viz.drawing import compute_numbers
    from ..tools.viz.expression import expression_graph
    from ..tools.viz.graph import collect

    target = _checked_output(args.output)
    try:
        values = parse_assignments(args.at)
        output, inputs = expression_graph(args.expression, values)
    except ExpressionError as error:
        raise GraphCommandError(_one_line(error, args.expression)) from None
    names = [x.name for x in inputs]
    if args.wrt is not None and args.wrt not in names:
        raise GraphCommandError(f"--wrt {args.wrt}: not a variable of the expression "
                                f"(its variables: {', '.join(names) or 'none'})")
    mode = args.mode or ("both" if args.wrt else "reverse")
    if mode in ("forward", "both") and args.wrt is None and len(names) != 1:
        raise GraphCommandError(f"--mode {mode} needs --wrt, one of: {', '.join(names) or 'none'}")
    if mode in ("reverse", "both") and not names:
        raise GraphCommandError(f"the expression has no variables, so there is nothing to differentiate: "
                                f"use --mode values")
    problem = compute_numbers(collect(output), mode, wrt=args.wrt).problem
    if problem is not None:
        raise GraphCommandError(f"undefined: {problem}")
    title = args.title or f"{output.name} = {args.expression.strip()}"

    if target is None:
        sys.stdout.write(draw(output, mode, wrt=args.wrt, title=title).source)
        return 0
    if target.suffix.lower() in (".html", ".htm"):
        written = step_through(output, mode, wrt=args.wrt, title=title).save(target)
    else:
        written = draw(output, mode, wrt=args.wrt, title=title).save(target)
    print(_summary(output, mode, args.wrt))
    print(f"wrote {written}")
    return 0


def _checked_output(target: pathlib.Path | None) -> pathlib.Path | None:
    """Refuse, before any work, a file type we cannot write or a place we cannot write it
    to. Missing folders are fine: saving makes them, once there is something to save."""
    if target is None:
        return None
    from ..tools.viz.render import PICTURE_FORMATS

    suffixes = [f".{suffix}" for suffix in PICTURE_FORMATS + ("dot", "gv", "html", "htm")]
    if target.suffix.lower() not in suffixes:
        raise GraphCommandError(f"-o {target}: cannot write {target.suffix or 'a file without a suffix'}; "
                                f"use one of {', '.join(suffixes)}")
    if target.is_dir():
        raise GraphCommandError(f"-o {target}: is a folder; give a file name such as {target / 'graph.svg'}")
    existing = next(folder for folder in target.absolute().parents if folder.exists())
    if not existing.is_dir():
        raise GraphCommandError(f"-o {target}: {existing} is a file, not a folder")
    return target


def _one_line(error, text: str) -> str:
    """The parser's message, with the expression and a marker at the column it names.

    Characters that would break the line (a newline, a tab) are shown escaped,
    as ``\\n``, so the message stays one line."""
    column = getattr(error, "col", None)
    if column is None or getattr(error, "text", None) is None:
        return str(error)
    return f"{error}   in: {_escaped(text[:column])}▶{_escaped(text[column:])}"


def _escaped(text: str) -> str:
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
                   for char in text)


def _summary(output, mode: str, wrt: str | None) -> str:
    """``f = 6;  forward ∂f/∂b = 5;  reverse ∂f/∂a = 2, ∂f/∂b = 5``: the drawing's
    main numbers, for the terminal."""
    from ..tools.viz.drawing import compute_numbers
    from ..tools.viz.graph import collect
    from ..tools.viz.text import array_text

    graph = collect(output)
    numbers = compute_numbers(graph, mode, wrt=wrt)
    f = graph.output
    parts = [f"{f.name} = {array_text(f.tensor.detach().numpy())}"]
    if numbers.tangents is not None:
        parts.append(f"순방향 · forward ∂{f.name}/∂{numbers.wrt.name} = "
                     f"{array_text(numbers.tangents[f.index].numpy())}")
    if numbers.adjoints is not None:
        parts.append("역방향 · reverse " + ", ".join(
            f"∂{f.name}/∂{node.name} = {array_text(numbers.adjoints[node.index].numpy())}"
            for node in graph.inputs()))
    return ";  ".join(parts)


def drawings_section(out_dir: pathlib.Path) -> None:
    """The tour's part: the Olah figures in every mode (olah_<mode>.svg and .dot) and the
    step-through page olah_steps.html."""
    from ..tools.olah import TITLE, olah_graph
    from ..tools.viz import MODES as DRAWING_MODES
    from ..tools.viz import GraphvizNotFoundError, draw, step_through

    print("== 그림 / Drawings: Olah의 계산 그래프 · the Olah figures ==")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = olah_graph()
    drawings = {mode: draw(graph.e, mode=mode, wrt=graph.b, title=f"{TITLE}:  {mode}") for mode in DRAWING_MODES}
    for mode, drawing in drawings.items():
        print(f"  wrote {drawing.save(out_dir / f'olah_{mode}.dot')}")
    try:
        for mode, drawing in drawings.items():
            print(f"  wrote {drawing.save(out_dir / f'olah_{mode}.svg')}")
        steps = step_through(graph.e, "both", wrt=graph.b, title=TITLE).save(out_dir / "olah_steps.html")
    except GraphvizNotFoundError:
        print("  no pictures (.svg, olah_steps.html): Graphviz is not installed — sudo apt-get install graphviz "
              "(macOS: brew install graphviz); the .dot files open in any Graphviz viewer")
        print()
        return
    print(f"  wrote {steps}")
    print("values · forward (∂·/∂b) · reverse (∂e/∂·) · both. Open olah_steps.html in a browser "
          "and step through the forward and reverse passes (Next, or ← →).")
    print()
