"""The fused log_softmax primitive against its composite: values, both modes, order 2, ±∞ (issue 17)."""

import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko.autodiff.transforms import hvp_forward_over_reverse
from tinygrad_ko.tensor.functions import log_softmax_composite


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_fused_matches_composite_values_and_gradients(axis):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6)) * 30
    w = rng.standard_normal((4, 6))
    fused = lambda t: (tg.log_softmax(t, axis) * tg.Tensor(w)).sum()
    composite = lambda t: (log_softmax_composite(t, axis) * tg.Tensor(w)).sum()
    np.testing.assert_allclose(tg.log_softmax(tg.Tensor(x), axis).numpy(),
                               log_softmax_composite(tg.Tensor(x), axis).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tg.grad(fused)(x).numpy(), tg.grad(composite)(x).numpy(), rtol=1e-10, atol=1e-12)
    v = rng.standard_normal((4, 6))
    for hvp in (tg.hvp, hvp_forward_over_reverse):  # reverse over reverse, and forward over reverse
        got, want = hvp(fused, (x,), (v,)), hvp(composite, (x,), (v,))
        got, want = (got[0], want[0]) if isinstance(got, tuple) else (got, want)
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-8, atol=1e-10)


def test_one_recorded_operation():
    x = tg.Tensor(np.ones((2, 3)), requires_grad=True)
    z = x.log_softmax(axis=-1)
    assert z.node.op.name == "log_softmax"
    assert z.node.inputs == (x,)


def test_infinite_entries_like_the_composite():
    x = np.array([[0.0, -np.inf, 1.0], [np.inf, 0.0, 0.0], [-np.inf, -np.inf, -np.inf]])
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(tg.log_softmax(tg.Tensor(x), 1).numpy(),
                                   log_softmax_composite(tg.Tensor(x), 1).numpy(), rtol=1e-15, atol=0)
