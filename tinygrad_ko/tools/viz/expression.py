"""A typed expression as a recorded graph, ready to draw.

>>> output, inputs = expression_graph("(a+b)*(b+1)", {"a": 2, "b": 1})
>>> output.item(), [x.name for x in inputs]
(6.0, ['a', 'b'])

The text is read by ``tools.expr`` (a whitelist parser: numbers, names,
+ - * / **, unary minus, parentheses and a few named functions; it never runs
``eval``). Evaluating the tree calls the Tensor operations below, so the graph
is recorded by the engine exactly as if the student had written the Python.
"""

from __future__ import annotations

import numpy as np

from ...tensor import Tensor, sigmoid
from ..expr import ExpressionError, evaluate, parse, variables

OUTPUT_NAMES = ("f", "y", "out")
"""The output is called f, as in f(a, b) — unless a variable already is."""

TENSOR_OPS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x ** y,
    "neg": lambda x: -x,
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "sqrt": lambda x: x.sqrt(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": sigmoid,
    "relu": lambda x: x.relu(),
}
"""What each operator and function of an expression does to Tensors."""


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
    ops = dict(TENSOR_OPS, const=lambda number: Tensor(number, dtype=dtype))
    output = evaluate(tree, inputs, ops)
    if output.name is None:
        output.name = next((name for name in OUTPUT_NAMES if name not in names), None)
    return output, [inputs[name] for name in names]
