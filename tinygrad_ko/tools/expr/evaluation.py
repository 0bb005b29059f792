"""Using a tree: the variables it reads, and ``evaluate``, which runs it on the operations you pass.

``evaluate`` only calls the functions *you* pass in as ``ops`` — plain floats,
or Tensors (tools/viz/expression.py builds a recorded graph that way).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .errors import ExpressionError
from .language import BINARY_OPS, PREFIX_OPS
from .nodes import Binary, Call, Node, Num, Unary, Var


def _walk(tree: Node) -> Iterator[Node]:
    """Every node of ``tree``, parents before children, left to right (source order)."""
    yield tree
    match tree:
        case Unary(operand=child) | Call(arg=child):
            yield from _walk(child)
        case Binary(left=left, right=right):
            yield from _walk(left)
            yield from _walk(right)


def variables(tree: Node) -> list[str]:
    """The variable names in ``tree``, each once, in order of first appearance.

    >>> from tinygrad_ko.tools.expr import parse
    >>> variables(parse("b * (a + b)"))
    ['b', 'a']
    """
    return list(dict.fromkeys(node.name for node in _walk(tree) if isinstance(node, Var)))


def evaluate(tree: Node, values: Mapping[str, Any], ops: Any) -> Any:
    """Compute ``tree`` with the operations in ``ops``.

    ``values`` maps each variable name to its value (a float, a graph node, ...).
    ``ops`` is an object or a mapping providing ``add(a, b)``, ``sub``, ``mul``,
    ``div``, ``pow``, ``neg(a)``, ``const(value)`` (called for each number)
    and one function per name in FUNCTIONS (``sin(a)``, ...). Only the ones the
    tree uses are needed.

    Each variable is looked up once, so every occurrence of ``b`` passes the
    very same object to ``ops``: a graph engine builds ``b`` once and its
    gradient collects the contributions from all the places ``b`` is used.

    Raises ExpressionError if ``values`` lacks a variable of the tree.
    """
    names = variables(tree)
    missing = [name for name in names if name not in values]
    if missing:
        given = ", ".join(map(str, values)) or "none"
        raise ExpressionError(f"no value given for {', '.join(missing)} (values given for: {given})")
    leaves = {name: values[name] for name in names}
    return _evaluate(tree, leaves, ops)


def _evaluate(tree: Node, leaves: dict[str, Any], ops: Any) -> Any:
    match tree:
        case Num(value):
            return _op(ops, "const")(value)
        case Var(name):
            return leaves[name]
        case Unary("+", operand):
            return _evaluate(operand, leaves, ops)
        case Unary("-", operand):
            return _op(ops, PREFIX_OPS["-"])(_evaluate(operand, leaves, ops))
        case Binary(op, left, right):
            return _op(ops, BINARY_OPS[op])(_evaluate(left, leaves, ops), _evaluate(right, leaves, ops))
        case Call(func, arg):
            return _op(ops, func)(_evaluate(arg, leaves, ops))
    raise TypeError(f"not an expression node: {tree!r}")


def _op(ops: Any, name: str) -> Any:
    """``ops[name]`` if ops is a mapping, else ``ops.name``."""
    return ops[name] if isinstance(ops, Mapping) else getattr(ops, name)
