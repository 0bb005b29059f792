"""pow at base 0: the rules are exact wherever the derivative exists (issue 15, item 1).

y·x^(y−1) and z·log x both contain 0·∞ at x = 0; written naively they give NaN
where the true derivative is 0. The polynomial Σ cₖ·xᵏ is the test a student
writes first: its derivatives at 0 are k!·cₖ, to every order, in both modes.
"""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, jvp

COEFFICIENTS = (0.5, -2.0, 3.0, 1.5, -0.25)   # c₀ … c₄


def polynomial(x):
    return sum(c * x ** k for k, c in enumerate(COEFFICIENTS))


def reverse_derivative(f, order):
    for _ in range(order):
        f = grad(f)
    return f


def forward_derivative(f, order):
    for _ in range(order):
        f = (lambda inner: lambda x: jvp(inner, (x,), (Tensor(1.0, dtype=x.dtype),))[1])(f)
    return f


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("mode", [reverse_derivative, forward_derivative], ids=["reverse", "forward"])
def test_polynomial_derivatives_at_zero_are_exact(mode, order, dtype):
    expected = math.factorial(order) * COEFFICIENTS[order]
    got = mode(polynomial, order)(Tensor(0.0, dtype=dtype))
    assert got.item() == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("mode", [reverse_derivative, forward_derivative], ids=["reverse", "forward"])
def test_power_zero_has_zero_derivative_at_zero(mode):
    for order in (1, 2, 3):
        assert mode(lambda x: x ** 0, order)(Tensor(0.0, dtype=np.float64)).item() == 0.0


@pytest.mark.parametrize("mode", [reverse_derivative, forward_derivative], ids=["reverse", "forward"])
def test_third_derivative_of_square_at_zero_is_zero(mode):
    assert mode(lambda x: x ** 2, 3)(Tensor(0.0, dtype=np.float64)).item() == 0.0
    assert mode(lambda x: x ** 3, 3)(Tensor(0.0, dtype=np.float64)).item() == 6.0


def test_exponent_derivative_at_base_zero_matches_torch():
    """∂(0**y)/∂y = 0 for y > 0 (0**y is constantly 0 there); torch gives 0 too."""
    zero = Tensor(0.0, dtype=np.float64)
    for y in (2.0, 0.5, 1.0):
        assert grad(lambda y: zero ** y)(Tensor(y, dtype=np.float64)).item() == 0.0
        slope = jvp(lambda y: zero ** y, (Tensor(y, dtype=np.float64),), (Tensor(1.0, dtype=np.float64),))[1]
        assert slope.item() == 0.0
    # second order in the exponent, and mixed base/exponent, stay finite
    second = grad(grad(lambda y: zero ** y))(Tensor(2.0, dtype=np.float64))
    assert second.item() == 0.0


def test_relu_to_a_learnable_power_does_not_poison_training():
    x = Tensor([-1.0, 0.0, 2.0], dtype=np.float64)
    w = Tensor(0.5, dtype=np.float64, requires_grad=True)
    x_leaf = Tensor(x.data, requires_grad=True)
    (x_leaf.relu() ** w).sum().backward()
    assert np.isfinite(w.grad.item())
    assert w.grad.item() == pytest.approx(np.sqrt(2.0) * np.log(2.0))
    # base 0 with exponent 0.5: the base derivative is genuinely infinite at 0, but relu
    # passes nothing back for x ≤ 0, so the inputs get 0 there, not NaN
    np.testing.assert_allclose(x_leaf.grad.numpy(), [0.0, 0.0, 0.5 / np.sqrt(2.0)], rtol=1e-15)


def test_mixed_partial_at_exponent_zero_is_one_over_x():
    """∂/∂y (y·x^(y−1)) = x^(y−1)·(1 + y·log x), so 1/x at y = 0: guarding y = 0 (for x = 0)
    must not drop it. (torch masks ∂z/∂x to 0 at y = 0 and gives 0 here.)"""
    x = Tensor(2.0, dtype=np.float64, requires_grad=True)
    y = Tensor(0.0, dtype=np.float64, requires_grad=True)
    (x ** y).backward(create_graph=True)
    assert x.grad.item() == 0.0 and y.grad.item() == pytest.approx(np.log(2.0))   # z·log x, z = 1
    y.zero_grad()
    x.grad.backward()
    assert y.grad.item() == 0.5


def test_pow_rules_unchanged_away_from_zero(rng):
    x = Tensor(rng.uniform(0.5, 2.0, 5), dtype=np.float64)
    y = Tensor(rng.standard_normal(5), dtype=np.float64)
    dx = grad(lambda x: (x ** y).sum())(x)
    dy = grad(lambda y: (x ** y).sum())(y)
    np.testing.assert_allclose(dx.numpy(), y.numpy() * x.numpy() ** (y.numpy() - 1), rtol=1e-12)
    np.testing.assert_allclose(dy.numpy(), x.numpy() ** y.numpy() * np.log(x.numpy()), rtol=1e-12)
