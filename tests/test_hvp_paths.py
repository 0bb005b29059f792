"""hvp's two ways — v on dual numbers through every rule of the gradient
(``hvp_forward_over_reverse``), or v pushed over the gradient's recorded graph on arrays
(``hvp``'s default) — give the same products, equal to finite differences of the gradient;
the array way is taken only where nothing differentiates H·v again."""

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, hvp
from tinygrad_ko.autodiff import hvp_forward_over_reverse, transforms
from tinygrad_ko.errors import ShapeError


def rosenbrock(z):
    return (100 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2).sum()


def functions():
    yield (lambda x: rosenbrock(x)), (np.random.default_rng(0).uniform(-1, 1, 6),)
    yield (lambda x, y: (x[:, None] * y).tanh().sum() + (y ** 3.0).mean()), (np.array([0.3, -0.7]),
                                                                           np.full((2, 3), 0.4))
    yield (lambda x: (x.relu() * x.exp()).max(axis=0).sum() + x.log_softmax(axis=-1)[[0, 1], [1, 0]].sum()), (
        np.array([[0.5, -1.0], [2.0, 0.3]]),)


@pytest.mark.parametrize("case", range(3))
def test_both_ways_give_the_same_product(case, monkeypatch):
    f, primals = list(functions())[case]
    rng = np.random.default_rng(case)
    tangents = tuple(Tensor(rng.standard_normal(np.shape(p))) for p in primals)
    primals = tuple(Tensor(p) for p in primals)
    recorded = hvp(f, primals, tangents)
    monkeypatch.setattr(transforms, "batch_allowed", lambda args: False)
    dual = hvp(f, primals, tangents)
    recorded = recorded if isinstance(recorded, tuple) else (recorded,)
    dual = dual if isinstance(dual, tuple) else (dual,)
    for r, d in zip(recorded, dual):
        np.testing.assert_allclose(r.numpy(), d.numpy(), rtol=1e-12, atol=1e-12)


def test_the_recorded_way_is_taken_for_a_plain_call_only(monkeypatch):
    calls = []
    original = transforms._hvp_over_recorded_gradient
    monkeypatch.setattr(transforms, "_hvp_over_recorded_gradient",
                        lambda *args: calls.append(1) or original(*args))
    x, v = Tensor(np.array([0.5, 1.5])), Tensor(np.array([1.0, -2.0]))
    hvp(lambda z: (z ** 3.0).sum(), (x,), (v,))
    assert calls == [1]
    # d/dx of v·H(x)v for f = Σ z³: H = diag(6x), so vᵀHv = Σ 6 x v², its gradient 6 v²
    third = grad(lambda z: (hvp(lambda w: (w ** 3.0).sum(), (z,), (v,)) * v).sum())(x)
    np.testing.assert_allclose(third.numpy(), 6 * v.data ** 2, rtol=1e-12)
    assert calls == [1]


def test_a_tangent_of_the_wrong_shape_is_refused():
    with pytest.raises(ShapeError, match=r"hvp: the tangent has shape \(3,\) but the primal has shape \(2,\)"):
        hvp(lambda z: z.sum(), (np.ones(2),), (np.ones(3),))


def gradient_difference(f, primals, tangents, step=1e-6):
    """(∇f(x + εv) − ∇f(x − εv)) / 2ε for each primal: H·v by central differences."""
    def gradients(sign):
        shifted = [Tensor(p + sign * step * t) for p, t in zip(primals, tangents)]
        found = grad(f, tuple(range(len(primals))))(*shifted)
        return [g.numpy() for g in found]
    return [(a - b) / (2 * step) for a, b in zip(gradients(+1), gradients(-1))]


@pytest.mark.parametrize("case", range(3))
def test_both_ways_equal_finite_differences_of_the_gradient(case):
    f, primals = list(functions())[case]
    rng = np.random.default_rng(10 + case)
    tangents = [rng.standard_normal(np.shape(p)) for p in primals]
    expected = gradient_difference(f, primals, tangents)
    for way in (hvp, hvp_forward_over_reverse):
        got = way(f, tuple(Tensor(p) for p in primals), tuple(Tensor(t) for t in tangents))
        got = got if isinstance(got, tuple) else (got,)
        for g, e in zip(got, expected):
            assert g.shape == e.shape
            np.testing.assert_allclose(g.numpy(), e, rtol=1e-6, atol=1e-6)


def test_a_gradient_that_does_not_depend_on_x_gives_a_zero_product():
    c = Tensor(np.array([1.0, -2.0, 3.0]))
    product = hvp(lambda x: (x * c).sum() + 4.0, (np.ones(3),), (np.arange(3.0),))
    np.testing.assert_array_equal(product.numpy(), np.zeros(3))


def test_a_float32_primal_gives_a_float32_product():
    x = Tensor(np.array([0.5, -1.5], dtype=np.float32))
    product = hvp(lambda z: (z ** 3.0).sum(), (x,), (np.array([1.0, 2.0]),))   # H = diag(6x)
    assert product.dtype == np.float32
    np.testing.assert_allclose(product.numpy(), [3.0, -18.0], rtol=1e-6)


def test_a_rule_written_with_tensor_methods_is_pushed_on_tensors():
    """A student's copy of ``sin`` (rules with Tensor methods only, ``on_arrays=False``):
    the push over the recorded gradient hands it Tensors, and the product is still right."""
    import dataclasses

    from tinygrad_ko.ops import PRIMITIVES
    from tinygrad_ko.tensor import apply

    mine = dataclasses.replace(PRIMITIVES["sin"], vjp=(lambda g, z, x: g * x.cos(),),
                               jvp=(lambda t, z, x: t * x.cos(),), on_arrays=False)
    x, v = np.array([0.3, 1.1, -0.4]), np.array([1.0, -1.0, 2.0])
    product = hvp(lambda z: apply(mine, z).sum(), (Tensor(x),), (Tensor(v),))   # H = diag(−sin x)
    np.testing.assert_allclose(product.numpy(), -np.sin(x) * v, rtol=1e-12)


def test_a_variable_exponent_of_two_keeps_its_mixed_derivatives():
    """The square shortcut of the pow rule (∂(x²)/∂x = 2·x) must not be taken where the exponent
    itself is differentiated: H of Σ x^y at y = 2 has ∂²/∂x∂y = x^(y−1)·(1 + y·ln x) ≠ 0."""
    def f(x, y):
        return (x ** y).sum()

    x, y = np.array([0.7, 1.3, 2.0]), np.array(2.0)
    vx, vy = np.array([1.0, -0.5, 0.25]), np.array(1.5)
    expected = gradient_difference(f, (x, y), (vx, vy))
    mixed = x * (1 + 2 * np.log(x))
    np.testing.assert_allclose(expected[0], 2 * vx + mixed * vy, rtol=1e-6)    # the difference is right
    for way in (hvp, hvp_forward_over_reverse):
        hx, hy = way(f, (Tensor(x), Tensor(y)), (Tensor(vx), Tensor(vy)))
        np.testing.assert_allclose(hx.numpy(), expected[0], rtol=1e-6)
        np.testing.assert_allclose(hy.numpy(), expected[1], rtol=1e-6)


def test_the_recorded_gradient_of_a_constant_square_takes_no_power():
    """∂(x²)/∂x is recorded as 2·x (two products with g), not as 2·x¹ (a power more to push v over)."""
    from tinygrad_ko.autodiff.functional import gradients_with_graph
    from tinygrad_ko.autodiff.inputs import differentiable_input
    from tinygrad_ko.tensor.chain_rule import topological_order

    leaf = differentiable_input(Tensor(np.array([0.5, -2.0])))
    (gradient,) = gradients_with_graph(lambda z: (z ** 2).sum(), [leaf], "hvp")
    np.testing.assert_array_equal(gradient.detach().numpy(), [1.0, -4.0])
    ops = [t.node.op.name for t in topological_order(gradient) if t.node.op is not None]
    assert ops == ["mul", "mul"]


def test_an_exponent_of_two_carrying_a_tangent_keeps_its_derivative():
    """d/dy of ∂/∂x Σ x^y at y = 2, with y a dual number (no gradient asked of it):
    x^(y−1)·(1 + y·ln x), not the 0 the square shortcut would give."""
    from tinygrad_ko import jvp

    x = Tensor(np.array([0.7, 1.3, 2.0]))
    _, slope = jvp(lambda y: grad(lambda z: (z ** y).sum())(x), (Tensor(np.array(2.0)),), (Tensor(np.array(1.0)),))
    np.testing.assert_allclose(slope.numpy(), x.data * (1 + 2 * np.log(x.data)), rtol=1e-12)


def test_the_product_is_an_array_of_its_own():
    """f = (Σ x)²: ∇f = 2 Σx · 1 is a broadcast, so the push ends in a stretched read-only view
    of one number; H·v = 2 Σv · 1 must come back as an array of its own."""
    v = np.array([1.0, -2.0, 0.5])
    product = hvp(lambda x: x.sum() ** 2, (np.ones(3),), (v,))
    np.testing.assert_allclose(product.numpy(), np.full(3, 2 * v.sum()))
    assert product.data.base is None and product.data.strides == (8,)
