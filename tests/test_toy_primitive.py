"""Adding a primitive a student can type is one registry entry plus its tests.

A toy primitive, ``cube`` (z = x³, ∂z/∂x = 3x²), is registered for the length
of one test (the fixture removes it again, pass or fail) and then found, with
no other edit, in every interpreter that reads the registry: the parser (a
student types ``cube(a)`` on the command line), the drawing (its formula, its
symbolic partial and its number on the edge), the cost table (its category and
FLOPs) and the adjoint / finite-difference sweeps of test_adjoint.py and
test_gradcheck.py.
"""

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.cli import main
from tinygrad_ko.ops import PRIMITIVES, Kind, Primitive, register
from tinygrad_ko.tensor import apply
from tinygrad_ko.tools.cost import count_ops
from tinygrad_ko.tools.expr import FUNCTIONS, Call, ExpressionError, Var, parse
from tinygrad_ko.tools.viz import draw, expression_graph

import test_adjoint
import test_gradcheck
from test_viz import edge_texts, node_texts


def _cube_flops(out, x) -> int:
    """x · x · x: two multiplications per element."""
    return int(2 * out.size)


def make_cube() -> Primitive:
    return Primitive(
        name="cube",
        doc="z = x³.   ∂z/∂x = 3 · x²",
        kind=Kind.ELEMENTWISE,
        partials={"x": "3 · x²"},
        typed="cube",
        forward=lambda x: x * x * x,
        vjp=(lambda g, z, x: g * 3 * x * x,),
        jvp=(lambda t, z, x: t * 3 * x * x,),
        flops=_cube_flops,
    )


@pytest.fixture
def cube():
    primitive = register(make_cube())
    try:
        yield primitive
    finally:
        del PRIMITIVES[primitive.name]


def test_without_the_entry_a_student_cannot_type_it():
    assert "cube" not in PRIMITIVES and "cube" not in FUNCTIONS
    with pytest.raises(ExpressionError, match="unknown function 'cube'"):
        parse("cube(a)")


def test_the_parser_reads_it(cube):
    assert FUNCTIONS["cube"] == 1
    assert parse("cube(a)") == Call("cube", Var("a"))
    with pytest.raises(ExpressionError, match="cube is a function, not a variable"):
        parse("cube + 1")


def test_the_drawing_writes_its_formula_and_partial(cube, capsys):
    status = main(["graph", "cube(a) + a", "--at", "a=2", "--mode", "values"])
    out = capsys.readouterr().out
    assert status == 0
    assert "v1 = cube(a) = 8" in node_texts(out)
    assert [label for _, _, label in edge_texts(out)] == [
        "∂v1/∂a = 3 · a² = 12", "∂f/∂v1 = 1", "∂f/∂a = 1"]


def test_the_drawing_of_a_recorded_graph_too(cube):
    a = Tensor(-1.0, requires_grad=True, name="a")
    e = apply(cube, a)
    e.name = "e"
    assert "∂e/∂a = 3 · a² = 3" in draw(e, mode="values").source


def test_the_cost_table_shows_its_category_and_flops(cube):
    output, (a,) = expression_graph("cube(a)", {"a": 2.0})
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with count_ops() as counts:
        apply(cube, x).sum().backward()
    assert counts.kinds["cube"] == "elementwise"
    assert counts.calls("primal", "cube") == 1 and counts.flops("primal", "cube") == 12
    assert counts.flops("primal", kind=Kind.ELEMENTWISE) == 12
    row = next(line for line in counts.table().splitlines() if line.startswith("cube"))
    assert row.split()[:4] == ["cube", "elementwise", "1", "12"]
    assert output.item() == 8.0


def test_the_adjoint_and_gradcheck_sweeps_run_it(cube, monkeypatch, rng):
    # Registered without a case, the sweep's own guard fails: a new primitive cannot go untested.
    with pytest.raises(AssertionError):
        test_adjoint.test_every_primitive_has_a_case()
    monkeypatch.setitem(test_adjoint.CASES, "cube", lambda r: ([r.standard_normal((3, 2))], {}, [0]))
    test_adjoint.test_every_primitive_has_a_case()
    for dtype in (np.float32, np.float64):
        test_adjoint.test_adjoint_identity("cube", dtype, rng)
    test_gradcheck.test_primitive_second_order("cube", rng)


def test_the_adjoint_sweep_catches_a_wrong_toy_rule(rng):
    wrong = Primitive(**{**vars(make_cube()), "name": "wrong_cube", "typed": None,
                         "jvp": (lambda t, z, x: t * 2 * x * x,)})  # 2x² instead of 3x²
    register(wrong)
    try:
        arrays = [rng.standard_normal((3, 2))]
        assert test_adjoint.adjoint_gap("wrong_cube", arrays, {}, 0, np.float64, rng) > 1e-3
    finally:
        del PRIMITIVES[wrong.name]
