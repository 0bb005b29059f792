"""The registry's data fields: every entry has a kind, elementwise entries name
their inputs and carry a partial per input, and what a student types fits the
expression language. The partials drawn on edges say what the docstring says."""

import numpy as np
import pytest

from tinygrad_ko.ops import PRIMITIVES, Kind, Primitive, register
from tinygrad_ko.ops.primitive import entry_problem, elementwise_flops


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_every_entry_is_complete(name):
    assert entry_problem(PRIMITIVES[name]) is None


@pytest.mark.parametrize("name", sorted(n for n, p in PRIMITIVES.items() if p.kind is Kind.ELEMENTWISE))
def test_the_drawn_partials_are_the_docstrings(name):
    op = PRIMITIVES[name]
    for input_name, partial in op.partials.items():
        if partial is None:
            assert op.vjp[list(op.partials).index(input_name)] is None, (name, input_name)
            continue
        written = f"∂z/∂{input_name} = "
        assert written in op.doc, (name, input_name)
        assert partial.replace("-", "−") in op.doc.split(written, 1)[1], (name, input_name, partial)


def test_only_elementwise_entries_carry_partials():
    for op in PRIMITIVES.values():
        assert bool(op.partials) == (op.kind is Kind.ELEMENTWISE), op.name


def test_typed_entries_are_operators_or_one_argument_functions():
    typed = {op.typed: op.arity for op in PRIMITIVES.values() if op.typed is not None}
    assert {"+": 2, "*": 2, "/": 2, "**": 2, "exp": 1, "sin": 1, "relu": 1}.items() <= typed.items()
    assert typed["-"] in (1, 2)  # sub and neg share the symbol


def _toy(**fields):
    return Primitive(name="toy_incomplete", forward=np.square, vjp=(lambda g, z, x: 2 * g * x,),
                     jvp=(lambda t, z, x: 2 * t * x,), flops=elementwise_flops, **fields)


@pytest.mark.parametrize("fields, problem", [
    ({}, "give it a kind"),
    ({"kind": Kind.ELEMENTWISE}, "names its 1 input"),
    ({"kind": Kind.ELEMENTWISE, "partials": {"x": "2x"}, "typed": "^"}, "its symbol, or a function name"),
    ({"kind": Kind.REDUCTION, "typed": "2x"}, "function name taking one argument"),
])
def test_an_incomplete_entry_is_refused_and_not_registered(fields, problem):
    try:
        with pytest.raises(ValueError, match=problem):
            register(_toy(**fields))
        assert "toy_incomplete" not in PRIMITIVES
    finally:
        PRIMITIVES.pop("toy_incomplete", None)  # a wrongly accepted entry must not leak into other tests


def test_a_symbol_needs_one_or_two_inputs():
    three = Primitive(name="toy_three", forward=np.where, vjp=(None, None, None), jvp=(None, None, None),
                      flops=elementwise_flops, kind=Kind.ELEMENTWISE,
                      partials={"c": None, "x": None, "y": None}, symbol="?")
    with pytest.raises(ValueError, match="prefix"):
        register(three)
    assert "toy_three" not in PRIMITIVES
