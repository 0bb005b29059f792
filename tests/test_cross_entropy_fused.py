"""The fused softmax cross-entropy against its composite: values, both modes, order 2 (issue 17)."""

import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko import nn
from tinygrad_ko.errors import ShapeError
from tinygrad_ko.autodiff.transforms import hvp_forward_over_reverse


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fused_matches_composite(dtype):
    rng = np.random.default_rng(1)
    logits = (rng.standard_normal((6, 4)) * 20).astype(dtype)
    labels = np.array([0, 3, 3, 1, 2, 0])
    tol = 1e-12 if dtype == np.float64 else 1e-5
    fused = lambda z: nn.cross_entropy(z, labels)
    composite = lambda z: nn.cross_entropy_composite(z, labels)
    assert fused(tg.Tensor(logits)).dtype == composite(tg.Tensor(logits)).dtype == dtype
    np.testing.assert_allclose(fused(tg.Tensor(logits)).item(), composite(tg.Tensor(logits)).item(), rtol=tol)
    np.testing.assert_allclose(tg.grad(fused)(logits).numpy(), tg.grad(composite)(logits).numpy(), rtol=tol, atol=tol)
    if dtype == np.float64:
        v = rng.standard_normal(logits.shape)
        for hvp in (tg.hvp, hvp_forward_over_reverse):
            got, want = hvp(fused, (logits,), (v,)), hvp(composite, (logits,), (v,))
            got, want = (got[0], want[0]) if isinstance(got, tuple) else (got, want)
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-9, atol=1e-12)
        _, tangent = tg.jvp(fused, (logits,), (v,))
        _, tangent_composite = tg.jvp(composite, (logits,), (v,))
        np.testing.assert_allclose(np.asarray(tangent.numpy()), np.asarray(tangent_composite.numpy()), rtol=1e-10)


def test_one_recorded_operation_and_the_labels_checked():
    logits = tg.Tensor(np.zeros((2, 3)), requires_grad=True)
    loss = nn.cross_entropy(logits, [2, 0])
    assert loss.node.op.name == "softmax_cross_entropy" and loss.node.inputs == (logits,)
    np.testing.assert_allclose(loss.item(), np.log(3))
    with pytest.raises(ShapeError):
        nn.cross_entropy(logits, [3, 0])
