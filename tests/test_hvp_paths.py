"""hvp's two ways — v on dual numbers through every rule of the gradient, or v pushed over
the gradient's recorded graph on arrays — give the same products; the array way is taken
only where nothing differentiates H·v again."""

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, hvp
from tinygrad_ko.autodiff import transforms
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
