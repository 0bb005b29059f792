"""A typed expression as a recorded graph, ready to draw.

>>> output, inputs = expression_graph("(a+b)*(b+1)", {"a": 2, "b": 1})
>>> output.item(), [x.name for x in inputs]
(6.0, ['a', 'b'])

The text is read by ``tools.expr`` (a whitelist parser: numbers, names,
+ - * / **, unary minus, parentheses and a few named functions; it never runs
``eval``). Evaluating the tree applies the typed registry entries (and typed
composites such as ``sigmoid``) to Tensors, so the graph is recorded by the
engine exactly as if the student had written the Python.
"""

from __future__ import annotations

import functools

import numpy as np

from ...ops import PRIMITIVES
from ...tensor import Tensor, apply
from ...tensor.functions import TYPED_COMPOSITES
from ..expr import ExpressionError, evaluate, parse, variables

OUTPUT_NAMES = ("f", "y", "out")
"""The output is called f, as in f(a, b) — unless a variable already is."""


def tensor_ops() -> dict:
    """What each operator and function of an expression does to Tensors: the
    typed registry entries, applied by the engine (``apply(add, x, y)`` is
    exactly what ``x + y`` records), and the typed composites."""
    ops = {op.name: functools.partial(apply, op) for op in PRIMITIVES.values() if op.typed is not None}
    ops.update(TYPED_COMPOSITES)
    return ops


def expression_graph(text: str, values: dict, dtype=np.float64) -> tuple[Tensor, list[Tensor]]:
    """Evaluate ``text`` at ``values`` on Tensors: (the output, the inputs in order of appearance).

    Every variable becomes an input (``requires_grad=True``, named after it);
    every number a constant. float64 by default, so the figures show the
    numbers a calculator would. Raises ``ExpressionError`` (one line) for a bad
    expression, a missing value or a value given for a name the expression
    does not use."""
    tree = parse(text)
    names = variables(tree)
    unused = [name for name in values if name not in names]
    if unused:
        raise ExpressionError(f"--at gives {', '.join(unused)}, which the expression does not use "
                              f"(its variables: {', '.join(names) or 'none'})")
    inputs = {name: Tensor(value, requires_grad=True, name=name, dtype=dtype)
              for name, value in values.items()}
    ops = dict(tensor_ops(), const=lambda number: Tensor(number, dtype=dtype))
    output = evaluate(tree, inputs, ops)
    if output.name is None:
        output.name = next((name for name in OUTPUT_NAMES if name not in names), None)
    return output, [inputs[name] for name in names]
