"""The fused LSTM-cell primitive (ops/lstm.py) against the same cell built from small primitives.

The adjoint identity and the order-2 gradcheck run for it with every other
registry entry (its case is in test_adjoint.CASES); here its value, its reverse
and forward derivatives and its FLOP count are compared with the composite of
sigmoid, tanh, multiply and add that it replaces, and the cell is checked to
record one node where the composite records many.
"""

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, gradcheck, hvp, jvp, nn, vjp
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.tensor import concatenate
from tinygrad_ko.tensor.chain_rule import apply
from tinygrad_ko.tools.cost.counter import count_ops

H = 3


def composite_cell(z, c):
    """[h', c'] from the LSTM equations, one small primitive at a time."""
    i, f = z[:, :H].sigmoid(), z[:, H:2 * H].sigmoid()
    g, o = z[:, 2 * H:3 * H].tanh(), z[:, 3 * H:].sigmoid()
    c_new = f * c + i * g
    return concatenate([o * c_new.tanh(), c_new], axis=1)


def fused_cell(z, c):
    return apply(PRIMITIVES["lstm_cell"], z, c)


@pytest.fixture
def inputs(rng):
    return rng.standard_normal((4, 4 * H)) * 2, rng.standard_normal((4, H))


def test_value_matches_the_composite(inputs):
    z, c = (Tensor(a) for a in inputs)
    np.testing.assert_allclose(fused_cell(z, c).numpy(), composite_cell(z, c).numpy(), rtol=1e-13, atol=1e-15)


def test_reverse_and_forward_derivatives_match_the_composite(inputs, rng):
    z, c = (Tensor(a) for a in inputs)
    u = Tensor(rng.standard_normal((4, 2 * H)))
    tangents = (Tensor(rng.standard_normal(z.shape)), Tensor(rng.standard_normal(c.shape)))
    _, fused_pullback = vjp(fused_cell, z, c)
    _, composite_pullback = vjp(composite_cell, z, c)
    for got, expected in zip(fused_pullback(u), composite_pullback(u)):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-12, atol=1e-14)
    _, fused_tangent = jvp(fused_cell, (z, c), tangents)
    _, composite_tangent = jvp(composite_cell, (z, c), tangents)
    np.testing.assert_allclose(fused_tangent.numpy(), composite_tangent.numpy(), rtol=1e-12, atol=1e-14)

def test_second_order_through_a_nonlinear_loss(inputs):
    # the loss squares the state, so the Hessian has cross terms between z and c
    assert gradcheck(lambda z, c: (fused_cell(z, c) ** 2).sum(), *inputs, order=2)


def test_flops_count_the_forward_of_each_hidden_unit(inputs):
    z, c = (Tensor(a) for a in inputs)
    with count_ops() as counts:
        fused_cell(z, c)
    # three σ at 4 operations, tanh(z_g), f·c + i·g, tanh(c'), o·tanh(c')
    assert counts.flops("primal") == (12 + 1 + 3 + 1 + 1) * 4 * H


def test_the_lstm_cell_module_records_four_nodes_per_step(rng):
    cell = nn.LSTMCell(2, H, rng=rng, dtype=np.float64)
    x = Tensor(rng.standard_normal((5, 2)))
    with count_ops() as counts:
        cell(x, cell.initial_state(5))
    assert counts.calls("primal", "lstm_cell") == 1
    assert counts.calls("primal") <= 7     # concatenate, matmul, add, lstm_cell and the slices of h and c


def test_forward_over_reverse_hessian_vector_product_matches_finite_differences(inputs, rng):
    # hvp pushes a tangent through the backward pass: the rules must then run on Tensors, not raw arrays
    z, c = inputs
    v = rng.standard_normal(z.shape)

    def loss(z):
        return (fused_cell(z, Tensor(c)) ** 2).sum()

    def gradient(z):
        return grad(loss)(Tensor(z)).numpy()

    step = 1e-6
    expected = (gradient(z + step * v) - gradient(z - step * v)) / (2 * step)
    np.testing.assert_allclose(hvp(loss, (Tensor(z),), (Tensor(v),)).numpy(), expected, rtol=1e-6, atol=1e-8)
