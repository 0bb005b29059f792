"""σ, log σ and softplus to full precision over [−800, 800]; logsumexp with ±∞ (issue 15, item 4).

The references come from mpmath at 50 digits, computed for the exact input the
engine sees (the float32 or float64 number). A relative error is measured
against max(|reference|, the dtype's smallest normal number), so results that
underflow to subnormals or 0 are judged by their absolute error there.
"""

import mpmath
import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko import Tensor

mpmath.mp.dps = 50

# ulps allowed: a few roundings in exp, 1 + z and the division
ULPS = 8


def points(dtype):
    grid = np.linspace(-800, 800, 1601)
    dense = np.linspace(-40, 40, 801)
    special = [0.0, -1e-8, 1e-8, -17.0, -10.0, -40.0, 40.0, 88.0, -88.0, 710.0, -710.0, -745.0]
    return np.unique(np.concatenate([grid, dense, special])).astype(dtype)


def reference(function, xs):
    return np.array([float(function(mpmath.mpf(float(x)))) for x in xs])


def sigma(x):
    return 1 / (1 + mpmath.exp(-x))


def relative_error(got, expected, dtype):
    floor = np.finfo(dtype).tiny
    return np.abs(got.astype(np.float64) - expected) / np.maximum(np.abs(expected), floor)


CASES = {
    # name: (function of a Tensor, its value, its derivative) in mpmath
    "sigmoid": (lambda x: x.sigmoid(), sigma, lambda x: sigma(x) * sigma(-x)),
    # log σ(x) = −ln(1 + e⁻ˣ): mpmath's log1p keeps every digit where σ(x) rounds to 1 at 50 digits
    "log_sigmoid": (lambda x: x.log_sigmoid(), lambda x: -mpmath.log1p(mpmath.exp(-x)), lambda x: sigma(-x)),
    "softplus": (lambda x: x.softplus(), lambda x: mpmath.log1p(mpmath.exp(x)), sigma),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(CASES))
def test_value_and_derivative_match_mpmath(name, dtype):
    function, value, derivative = CASES[name]
    xs = points(dtype)
    x = Tensor(xs, dtype=dtype, requires_grad=True)
    out = function(x)
    out.sum().backward()
    tolerance = ULPS * np.finfo(dtype).eps
    for got, expected, what in ((out.detach().numpy(), reference(value, xs), "value"),
                                (x.grad.numpy(), reference(derivative, xs), "derivative")):
        error = relative_error(got, expected, dtype)
        worst = int(np.argmax(error))
        assert error[worst] <= tolerance, (
            f"{name} {what} at x = {xs[worst]!r}: got {got[worst]!r}, expected {expected[worst]!r}")
        assert out.dtype == dtype and x.grad.dtype == dtype


@pytest.mark.parametrize("name", list(CASES))
def test_forward_mode_derivative_matches_reverse(name):
    function, _, _ = CASES[name]
    xs = points(np.float64)
    _, slope = tg.jvp(function, (Tensor(xs),), (Tensor(np.ones_like(xs)),))
    gradient = tg.grad(lambda x: function(x).sum())(Tensor(xs))
    np.testing.assert_allclose(slope.numpy(), gradient.numpy(), rtol=1e-15, atol=0)


def test_second_derivative_of_sigmoid_is_finite_far_out():
    xs = Tensor(np.array([-800.0, -40.0, 0.0, 40.0, 800.0]))
    second = tg.grad(lambda x: tg.grad(lambda y: y.sigmoid().sum())(x).sum())(xs)
    x = np.array([-40.0, 0.0, 40.0])
    s, s_minus = 1 / (1 + np.exp(-x)), 1 / (1 + np.exp(x))      # σ(x), σ(−x), each to full precision
    assert np.all(np.isfinite(second.numpy()))
    # σ'' = σ(x)·σ(−x)·(σ(−x) − σ(x))
    np.testing.assert_allclose(second.numpy()[1:4], s * s_minus * (s_minus - s), rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logsumexp_with_infinities(dtype):
    inf = np.inf
    x = Tensor([[-inf, -inf, -inf], [1.0, inf, 2.0], [-inf, 0.0, np.log(3.0)]], dtype=dtype)
    with np.errstate(divide="ignore"):
        got = tg.logsumexp(x, axis=1).numpy()
    assert got[0] == -inf
    assert got[1] == inf
    assert got[2] == pytest.approx(np.log(4.0), rel=1e-6)


def test_logsumexp_gradient_ignores_minus_infinity_entries():
    x = Tensor([-np.inf, 0.0, np.log(3.0)], dtype=np.float64)
    gradient = tg.grad(lambda x: tg.logsumexp(x, axis=0))(x)
    np.testing.assert_allclose(gradient.numpy(), [0.0, 0.25, 0.75], rtol=1e-15)
    softmax = tg.softmax(x, axis=0).numpy()
    np.testing.assert_allclose(softmax, [0.0, 0.25, 0.75], rtol=1e-15)


def test_log1p_is_exact_for_tiny_inputs():
    x = Tensor([1e-20, 1e-10, 0.5], dtype=np.float64)
    np.testing.assert_allclose(x.log1p().numpy(), np.log1p(x.numpy()), rtol=1e-16)
    np.testing.assert_allclose(tg.grad(lambda x: x.log1p().sum())(x).numpy(), 1 / (1 + x.numpy()), rtol=1e-16)
