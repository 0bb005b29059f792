"""``tinygrad-ko graph EXPR --at a=2 b=1``: draw the graph of a typed expression.

    tinygrad-ko graph "(a+b)*(b+1)" --at a=2 b=1 --wrt b --mode both -o e.svg
    tinygrad-ko graph "tanh(w*x + 1)" --at w=0.5 x=2 -o steps.html   # step-through page
    tinygrad-ko graph "sin(x)**2" --at x=1                           # DOT on stdout

The expression is read by a whitelist parser (numbers, names, + - * / **, unary
minus, parentheses, sin cos exp log sqrt tanh sigmoid relu); it is never passed
to Python's eval. A bad expression or a missing value is one line on stderr and
exit status 2.
"""

from __future__ import annotations

import pathlib
import sys

from ..errors import TinygradKoError

MODES = ("values", "forward", "reverse", "both")


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
                        help="write .svg, .png, .pdf, .dot or .html (a step-through page); "
                             "without it the DOT source goes to stdout")
    parser.add_argument("--title", help="a title above the drawing (default: the expression)")


class GraphCommandError(TinygradKoError, ValueError):
    """A problem with the graph command's arguments, in one line."""


def run(args) -> int:
    from ..tools.expr import ExpressionError, parse_assignments
    from ..tools.viz import draw, step_through
    from ..tools.viz.expression import expression_graph

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
    title = args.title or f"{output.name} = {args.expression.strip()}"

    target = args.output
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


def _one_line(error, text: str) -> str:
    """The parser's message, with the expression and a marker at the column it names."""
    column = getattr(error, "col", None)
    if column is None or getattr(error, "text", None) is None:
        return str(error)
    return f"{error}   in: {text[:column]}▶{text[column:]}"


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
