"""The engine's hot paths, guarded: everything the speed-ups in apply, backpropagate,
sum_to and the shape methods touch must still give the same numbers, to any order.

The MLP here is the benchmark's training step in miniature, checked against the
gradient written by hand in NumPy.
"""

import numpy as np
import pytest

from tinygrad_ko import (Tensor, dual_level, grad, gradcheck, hessian, hvp, jvp, make_dual,
                         no_grad, unpack_dual)
from tinygrad_ko.tensor.graph import observe


def small_mlp_problem(dtype=np.float32):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 8)).astype(dtype)
    labels = np.array([0, 2, 1, 2, 0])
    shapes = [(8, 6), (6,), (6, 6), (6,), (6, 3), (3,)]
    params = [rng.standard_normal(s).astype(dtype) for s in shapes]
    return x, labels, params


def mlp_loss(x, labels, W1, b1, W2, b2, W3, b3):
    h = (x @ W1 + b1).relu()
    h = (h @ W2 + b2).relu()
    logits = h @ W3 + b3
    return -logits.log_softmax(axis=-1)[np.arange(len(labels)), labels].mean()


def hand_written_mlp_gradients(x, labels, W1, b1, W2, b2, W3, b3):
    rows = np.arange(len(labels))
    z1 = x @ W1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ W2 + b2
    h2 = np.maximum(z2, 0)
    logits = h2 @ W3 + b3
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    d_logits = probs.copy()
    d_logits[rows, labels] -= 1
    d_logits /= len(labels)
    d_z2 = (d_logits @ W3.T) * (z2 > 0)
    d_z1 = (d_z2 @ W2.T) * (z1 > 0)
    return [x.T @ d_z1, d_z1.sum(0), h1.T @ d_z2, d_z2.sum(0), h2.T @ d_logits, d_logits.sum(0)]


def test_mlp_backward_matches_hand_written_gradients():
    x, labels, arrays = small_mlp_problem()
    params = [Tensor(a, requires_grad=True) for a in arrays]
    mlp_loss(Tensor(x), labels, *params).backward()
    expected = hand_written_mlp_gradients(x, labels, *arrays)
    for param, gradient in zip(params, expected):
        assert param.grad.dtype == np.float32
        assert param.grad.shape == param.shape
        np.testing.assert_allclose(param.grad.numpy(), gradient, rtol=1e-5, atol=1e-6)


def test_mlp_loss_passes_gradcheck_to_second_order():
    x, labels, arrays = small_mlp_problem(np.float64)
    x, arrays = x[:3, :4], [arrays[0][:4, :3] + 0.5, arrays[1][:3], arrays[4][:3], arrays[5]]

    def loss(W1, b1, W3, b3):
        h = (Tensor(x) @ W1 + b1).tanh()
        logits = h @ W3 + b3
        return -logits.log_softmax(axis=-1)[np.arange(3), labels[:3]].mean()

    assert gradcheck(loss, *arrays, order=2)


@pytest.mark.parametrize("shape, target", [
    ((4, 3), (3,)), ((4, 3), (1, 3)), ((4, 3), (4, 1)), ((2, 4, 3), (4, 1)),
    ((2, 4, 3), (1, 1)), ((4, 3), ()), ((5, 1, 3), (1, 3)), ((4, 3), (4, 3)), ((), ()),
])
def test_sum_to_sums_exactly_the_broadcast_axes(shape, target):
    data = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) + 1
    summed = Tensor(data).sum_to(target)
    assert summed.shape == target
    expected = data.sum(axis=tuple(range(len(shape) - len(target))))
    expected = expected.sum(axis=tuple(i for i, n in enumerate(target) if n == 1), keepdims=True)
    np.testing.assert_allclose(summed.numpy(), expected.reshape(target))


def test_broadcasting_gradients_pass_gradcheck_to_second_order():
    rng = np.random.default_rng(2)

    def f(row, column, matrix):
        return ((row * column + matrix).relu() * (row - column).exp()).sum()

    assert gradcheck(f, rng.uniform(0.5, 1, (3,)), rng.uniform(0.5, 1, (4, 1)),
                     rng.uniform(0.5, 1, (4, 3)), order=2)


def test_hvp_of_rosenbrock_equals_the_exact_hessian_product():
    rng = np.random.default_rng(3)
    x, v = rng.uniform(-1, 1, 20), rng.standard_normal(20)

    def rosenbrock(z):
        return (100 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2).sum()

    head, tail = x[:-1], x[1:]
    exact = np.zeros(20)
    exact[:-1] += (1200 * head ** 2 - 400 * tail + 2) * v[:-1] - 400 * head * v[1:]
    exact[1:] += 200 * v[1:] - 400 * head * v[:-1]
    np.testing.assert_allclose(hvp(rosenbrock, (x,), (v,)).numpy(), exact, rtol=1e-10)
    dense = hessian(rosenbrock)(Tensor(x)).numpy()
    np.testing.assert_allclose(dense @ v, exact, rtol=1e-10)


def test_create_graph_gives_a_differentiable_gradient():
    x = Tensor(2.0, requires_grad=True, dtype=np.float64)
    (x ** 3 + x.relu() * x).backward(create_graph=True)
    first = x.grad                     # 3x² + 2x = 16
    assert first.item() == pytest.approx(16.0)
    assert first.requires_grad
    x.grad = None
    first.backward()                   # 6x + 2 = 14
    assert x.grad.item() == pytest.approx(14.0)
    assert grad(grad(lambda z: z.sin() * z))(Tensor(0.5)).item() == pytest.approx(
        2 * np.cos(0.5) - 0.5 * np.sin(0.5), rel=1e-6)


def test_nested_forward_mode_keeps_perturbations_apart():
    def outer(x):
        inner = jvp(lambda y: x + y, (Tensor(1.0),), (Tensor(1.0),))[1]   # d/dy (x + y) = 1
        return x * inner

    assert jvp(outer, (Tensor(1.0),), (Tensor(1.0),))[1].item() == 1.0
    with dual_level():
        x = make_dual(3.0, 1.0)
        value, slope = unpack_dual((x * x).relu() - x)
    assert (value.item(), slope.item()) == (6.0, 5.0)


def test_no_grad_records_nothing_and_backward_records_only_with_create_graph():
    w = Tensor(np.ones((2, 2)), requires_grad=True)
    with no_grad():
        out = (w @ w + 1).relu().sum()
    assert not out.requires_grad and out.is_leaf
    loss = (w @ w).sum()
    loss.backward()
    assert not w.grad.requires_grad and w.grad.is_leaf


def test_observers_see_every_operation_of_both_passes():
    seen = []
    a = Tensor(2.0, requires_grad=True)
    b = Tensor(1.0, requires_grad=True)
    with observe(lambda op, out, inputs, params, phase: seen.append((op.name, phase))):
        e = (a + b) * (b + 1)
        e.backward()
    assert seen[:3] == [("add", "primal"), ("add", "primal"), ("mul", "primal")]
    # e's rule: g·d and g·c; c and d pass g on; b's two shares are added
    assert [name for name, phase in seen[3:]] == ["mul", "mul", "add"]
    assert all(phase == "vjp" for _, phase in seen[3:])
    assert (a.grad.item(), b.grad.item()) == (2.0, 5.0)
