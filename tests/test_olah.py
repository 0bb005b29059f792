"""The Olah graph: c = a + b, d = b + 1, e = c * d at a = 2, b = 1."""

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, jacfwd, jacrev, jvp, vjp
from tinygrad_ko.cli import main
from tinygrad_ko.tensor.graph import observe


def build(a_value=2.0, b_value=1.0):
    a = Tensor(a_value, requires_grad=True, name="a")
    b = Tensor(b_value, requires_grad=True, name="b")
    c = a + b
    d = b + 1
    e = c * d
    return a, b, c, d, e


def olah(a, b):
    return (a + b) * (b + 1)


def test_values():
    a, b, c, d, e = build()
    assert [t.item() for t in (a, b, c, d, e)] == [2, 1, 3, 2, 6]


def test_reverse_mode_gets_both_partials_in_one_backward_pass():
    a, b, c, d, e = build()
    vjp_ops = []
    with observe(lambda op, out, inputs, params, phase: vjp_ops.append(op.name) if phase == "vjp" else None):
        e.backward()
    assert a.grad.item() == 2 and b.grad.item() == 5
    # one pass: mul's two shares are products g·d and g·c; add's shares are g itself
    # (no operation); b's two shares are summed once. Nothing else runs.
    assert sorted(vjp_ops) == ["add", "mul", "mul"]


def test_forward_mode_needs_one_pass_per_input():
    value, de_da = jvp(olah, (2.0, 1.0), (1.0, 0.0))
    _, de_db = jvp(olah, (2.0, 1.0), (0.0, 1.0))
    assert value.item() == 6 and de_da.item() == 2 and de_db.item() == 5


def test_functional_forms_agree():
    assert [g.item() for g in grad(olah, (0, 1))(2.0, 1.0)] == [2, 5]
    out, pullback = vjp(olah, 2.0, 1.0)
    assert out.item() == 6 and [g.item() for g in pullback(1.0)] == [2, 5]
    x = Tensor([2.0, 1.0], dtype=np.float64)

    def packed(x):
        return olah(x[0], x[1])
    np.testing.assert_array_equal(jacfwd(packed)(x).numpy(), [2, 5])
    np.testing.assert_array_equal(jacrev(packed)(x).numpy(), [2, 5])


def test_intermediate_adjoints_with_retain_grad():
    a, b, c, d, e = build()
    c.retain_grad(), d.retain_grad()
    e.backward()
    assert (c.grad.item(), d.grad.item()) == (2, 3)


def test_tour_prints_the_olah_numbers(capsys, tmp_path):
    assert main(["tour", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "e = c * d = 6" in printed
    assert "∂e/∂a = 2" in printed and "∂e/∂b = 5" in printed


def test_the_shared_builder_is_this_graph():
    # tinygrad_ko.tools.olah is what the tour, the drawings, the cost examples and notebook 1
    # build; checked here against the independent definition above.
    from tinygrad_ko.tools.olah import olah as shared_olah
    from tinygrad_ko.tools.olah import olah_graph

    graph = olah_graph()
    assert [t.name for t in graph] == ["a", "b", "c", "d", "e"]
    assert [t.item() for t in graph] == [2, 1, 3, 2, 6]
    assert (graph.c.op_name, graph.d.op_name, graph.e.op_name) == ("add", "add", "mul")
    graph.e.backward()
    assert (graph.a.grad.item(), graph.b.grad.item()) == (2, 5)
    x = np.array([0.5, -1.5, 3.0])
    assert np.array_equal(shared_olah(Tensor(x), Tensor(x[::-1])).numpy(), olah(Tensor(x), Tensor(x[::-1])).numpy())
    assert olah_graph(dtype=np.float64).e.dtype == np.float64
