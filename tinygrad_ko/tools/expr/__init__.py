"""Read the math expressions students type on the command line, safely.

    >>> tree = parse("(a+b)*(b+1)")
    >>> tree
    Binary(op='*', left=Binary(op='+', left=Var(name='a'), right=Var(name='b')), right=Binary(op='+', left=Var(name='b'), right=Num(value=1.0)))
    >>> to_source(tree)
    '(a + b) * (b + 1)'
    >>> variables(tree)
    ['a', 'b']
    >>> plain_floats = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "const": float}
    >>> evaluate(tree, {"a": 2.0, "b": 1.0}, plain_floats)
    6.0

One job a file, in the order a typed expression meets them:

* ``language.py`` — what may be typed, read from the registry: ``FUNCTIONS``
  (``sin``, ``exp``, ...), ``BINARY_OPS`` (``+ - * / **``), ``PREFIX_OPS``;
* ``parser.py`` — text → tree (``parse``): Python's own parser, which builds a
  tree and runs nothing, then a strict whitelist; ``MAX_LENGTH``, ``MAX_DEPTH``;
* ``nodes.py`` — the tree: ``Num``, ``Var``, ``Unary``, ``Binary``, ``Call``;
* ``errors.py`` — ``ExpressionError``: one line, a column, a caret;
* ``printing.py`` — tree → text (``to_source``), with only the parentheses needed;
* ``evaluation.py`` — ``variables(tree)`` and ``evaluate(tree, values, ops)``,
  which only calls the functions *you* pass in as ``ops``;
* ``assignments.py`` — the ``--at a=2 b=1`` values (``parse_assignments``).

Nothing here calls eval, exec or compile on the text.
"""

from .assignments import parse_assignments
from .errors import ExpressionError
from .evaluation import evaluate, variables
from .language import BINARY_OPS, FUNCTIONS, PREFIX_OPS, UNARY_OPS
from .nodes import Binary, Call, Node, Num, Span, Unary, Var
from .parser import MAX_DEPTH, MAX_LENGTH, parse
from .printing import to_source

__all__ = ["parse", "to_source", "variables", "evaluate", "parse_assignments", "ExpressionError",
           "Num", "Var", "Unary", "Binary", "Call", "Node", "Span",
           "FUNCTIONS", "BINARY_OPS", "PREFIX_OPS", "UNARY_OPS", "MAX_LENGTH", "MAX_DEPTH"]
