"""The traced step (tinygrad_ko/jit.py): replaying the tape gives the eager step's
loss and gradients, step after step, on new inputs and updated parameters."""

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.errors import ShapeError
from tinygrad_ko.jit import trace_gradient
from tinygrad_ko.optim import SGD
from tinygrad_ko.tensor.graph import STATE


def mlp_loss(W1, b1, W2, b2):
    def loss(x, one_hot):
        logits = (x @ W1 + b1).relu() @ W2 + b2
        return -(logits.log_softmax(axis=-1) * one_hot).sum() / x.shape[0] + 0.01 * W1.max()
    return loss


def batch(rng, size=8):
    x = rng.standard_normal((size, 5))
    one_hot = np.eye(3)[rng.integers(0, 3, size)]
    return x, one_hot


def test_replayed_steps_equal_eager_steps():
    rng = np.random.default_rng(0)
    shapes = [(5, 7), (7,), (7, 3), (3,)]
    traced_params = [Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    eager_params = [Tensor(p.data.copy(), requires_grad=True) for p in traced_params]
    traced_loss, eager_loss = mlp_loss(*traced_params), mlp_loss(*eager_params)
    step = trace_gradient(traced_loss, traced_params, batch(rng))
    assert STATE.observers == [] and STATE.value_tracers == []
    eager_optimizer = SGD(eager_params, lr=0.1)
    for _ in range(5):
        x, one_hot = batch(rng)
        value, gradients = step(x, one_hot)
        with_graph = eager_loss(Tensor(x), Tensor(one_hot))
        with_graph.backward()
        assert value.item() == pytest.approx(with_graph.item(), rel=1e-12)
        for g, p in zip(gradients, eager_params):
            np.testing.assert_allclose(g, p.grad.data, rtol=1e-10, atol=1e-14)
        for g, p in zip(gradients, traced_params):   # the same SGD update, by hand on the traced side
            p.writable_data()[...] -= 0.1 * g
        eager_optimizer.step()
        eager_optimizer.zero_grad()
        for t, e in zip(traced_params, eager_params):
            np.testing.assert_allclose(t.data, e.data, rtol=1e-10)


def test_inputs_of_another_shape_are_refused():
    w = Tensor(np.ones(3), requires_grad=True)
    step = trace_gradient(lambda x: (x * w).sum(), [w], [np.ones(3)])
    value, (gradient,) = step(np.array([1.0, 2.0, 3.0]))
    assert value.item() == 6.0 and gradient.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ShapeError, match="traced as"):
        step(np.ones(4))
