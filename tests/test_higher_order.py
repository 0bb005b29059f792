"""Grad of grad, Hessians, Hessian-vector products."""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, hessian, hvp, jacfwd, jacrev
from tinygrad_ko.autodiff import numeric_jacobian


def test_second_derivative_of_quartic():
    f = lambda x: x ** 4 - 2 * x ** 2
    assert grad(grad(f))(2.0).item() == 44  # 12x² − 4 at x = 2


def test_nth_derivatives_of_sin_cycle():
    expected = [math.sin, math.cos, lambda v: -math.sin(v), lambda v: -math.cos(v)]
    f = lambda x: x.sin()
    x = Tensor(0.3, dtype=np.float64)
    for order in range(1, 9):
        f = grad(f)
        assert f(x).item() == pytest.approx(expected[order % 4](0.3), abs=1e-12), order


def test_create_graph_backward_twice_gives_second_derivative():
    x = Tensor(2.0, requires_grad=True, dtype=np.float64)
    y = x ** 3
    y.backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.backward()
    assert (first.item(), x.grad.item()) == (12, 12)  # 3x², 6x


def mlp_loss(params, x, labels):
    w1, b1, w2 = params[:12].reshape(3, 4), params[12:16], params[16:24].reshape(4, 2)
    hidden = (x @ w1 + b1).tanh()
    logits = hidden @ w2
    picked = logits.log_softmax(axis=1)[np.arange(len(labels)), labels]
    return -picked.mean()


@pytest.fixture
def mlp_problem(rng):
    params = Tensor(rng.standard_normal(24) * 0.5, dtype=np.float64)
    x = Tensor(rng.standard_normal((5, 3)), dtype=np.float64)
    labels = np.array([0, 1, 1, 0, 1])
    return params, x, labels


def test_hessian_of_mlp_loss_matches_jacfwd_of_jacrev_and_finite_differences(mlp_problem):
    params, x, labels = mlp_problem
    loss = lambda p: mlp_loss(p, x, labels)
    h = hessian(loss)(params).numpy()
    assert h.shape == (24, 24)
    np.testing.assert_allclose(h, h.T, atol=1e-12)
    np.testing.assert_allclose(h, jacrev(jacrev(loss))(params).numpy(), atol=1e-12)
    np.testing.assert_allclose(h, jacfwd(jacfwd(loss))(params).numpy(), atol=1e-12)
    gradient = lambda p: grad(loss)(p)
    numeric = numeric_jacobian(gradient, [params.numpy()], 0, 1e-6)
    np.testing.assert_allclose(h, numeric, atol=1e-6)


def test_hvp_matches_hessian_times_vector(mlp_problem, rng):
    params, x, labels = mlp_problem
    loss = lambda p: mlp_loss(p, x, labels)
    v = rng.standard_normal(24)
    product = hvp(loss, (params,), (Tensor(v, dtype=np.float64),)).numpy()
    np.testing.assert_allclose(product, hessian(loss)(params).numpy() @ v, atol=1e-10)


def test_hvp_with_two_arguments():
    f = lambda x, y: (x * x * y).sum()
    x, y = Tensor([1.0, 2.0], dtype=np.float64), Tensor([3.0, 4.0], dtype=np.float64)
    vx, vy = Tensor([1.0, 0.0], dtype=np.float64), Tensor([0.0, 1.0], dtype=np.float64)
    hx, hy = hvp(f, (x, y), (vx, vy))
    # f = Σ xᵢ² yᵢ:  ∂²f/∂xᵢ² = 2yᵢ,  ∂²f/∂xᵢ∂yᵢ = 2xᵢ,  ∂²f/∂yᵢ² = 0
    # (Hv)_x = 2y·vx + 2x·vy = [6, 4];  (Hv)_y = 2x·vx = [2, 0]
    np.testing.assert_allclose(hx.numpy(), [6, 4])
    np.testing.assert_allclose(hy.numpy(), [2, 0])


def test_jacfwd_and_jacrev_agree_on_a_wide_and_a_tall_function(rng):
    w = Tensor(rng.standard_normal((7, 3)), dtype=np.float64)
    tall = lambda x: (w @ x).tanh()
    wide = lambda x: (x @ w).sin()
    x3, x7 = Tensor(rng.standard_normal(3), dtype=np.float64), Tensor(rng.standard_normal(7), dtype=np.float64)
    np.testing.assert_allclose(jacfwd(tall)(x3).numpy(), jacrev(tall)(x3).numpy(), atol=1e-12)
    np.testing.assert_allclose(jacfwd(wide)(x7).numpy(), jacrev(wide)(x7).numpy(), atol=1e-12)
    assert jacfwd(tall)(x3).shape == (7, 3) and jacrev(wide)(x7).shape == (3, 7)


def test_third_order_mixed_modes():
    f = lambda x: x.exp() * x
    # d³/dx³ (x eˣ) = (x + 3) eˣ
    third = jacfwd(grad(grad(f)))(Tensor(0.5, dtype=np.float64))
    assert third.item() == pytest.approx(3.5 * math.exp(0.5), rel=1e-12)
