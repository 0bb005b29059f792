"""Tree → text: ``to_source`` prints a tree with only the parentheses Python's rules need."""

from __future__ import annotations

from .nodes import Binary, Call, Node, Num, Unary, Var

_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(1, 6)
"""Python's precedence levels for our operators, loosest first."""

_BINARY_PRECEDENCE = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT, "**": _POWER}


def to_source(tree: Node) -> str:
    """Print ``tree`` as text, with only the parentheses Python's rules need.

    ``parse(to_source(tree)) == tree`` for every tree that parse returns.

    >>> from tinygrad_ko.tools.expr import parse
    >>> to_source(parse("((a - (b - c))) * -(x**2)"))
    '(a - (b - c)) * -x**2'
    """
    match tree:
        case Num(value):
            return _format_number(value)
        case Var(name):
            return name
        case Call(func, arg):
            return f"{func}({to_source(arg)})"
        case Unary(op, operand):
            return op + _operand(operand, _UNARY)
        case Binary("**", left, right):
            # Right-associative, and it binds tighter than unary minus on its
            # left: (-x)**2 needs parentheses, x**-2 and x**y**z do not.
            return f"{_operand(left, _ATOM)}**{_operand(right, _UNARY)}"
        case Binary(op, left, right):
            # Left-associative: a - b - c is (a - b) - c, so only the right side
            # needs parentheses at equal precedence: a - (b - c).
            level = _BINARY_PRECEDENCE[op]
            return f"{_operand(left, level)} {op} {_operand(right, level + 1)}"
    raise TypeError(f"not an expression node: {tree!r}")


def _operand(node: Node, min_level: int) -> str:
    """``node`` as text, in parentheses if it binds more loosely than ``min_level``."""
    text = to_source(node)
    return text if _precedence(node) >= min_level else f"({text})"


def _precedence(node: Node) -> int:
    match node:
        case Binary(op):
            return _BINARY_PRECEDENCE[op]
        case Unary():
            return _UNARY
        case Num(value) if value < 0:  # only in hand-built trees; prints as "-2"
            return _UNARY
    return _ATOM


def _format_number(value: float) -> str:
    """``2.0`` prints as ``2``; other floats as Python's shortest exact form (``0.25``, ``1e-07``)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)
