"""Random expressions cross-checked against PyTorch (skipped, with the reason, where absent)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_ko import Tensor, hessian, jvp

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")

UNARY = {
    "exp": (lambda t: t.exp(), lambda t: t.exp()),
    "sin": (lambda t: t.sin(), lambda t: t.sin()),
    "tanh": (lambda t: t.tanh(), lambda t: t.tanh()),
    "sigmoid": (lambda t: t.sigmoid(), lambda t: t.sigmoid()),
    "square": (lambda t: t * t, lambda t: t * t),
    "softmax": (lambda t: t.softmax(axis=-1), lambda t: t.softmax(dim=-1)),
}
BINARY = {  # each combines y (2, 3) with the vector v (3,) or the matrix m (3, 3)
    "add": lambda y, v, m: y + v,
    "mul": lambda y, v, m: y * v,
    "div": lambda y, v, m: y / (v * v + 1),
    "matmul": lambda y, v, m: y @ m.T,
}


def run(steps, x, v, m, side):
    """Apply the steps to x with our ops (side 0) or torch's (side 1)."""
    y = x
    for kind, name in steps:
        y = UNARY[name][side](y) if kind == "unary" else BINARY[name](y, v, m)
    return y


@given(steps=st.lists(st.one_of(
           st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY))),
           st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)))), min_size=1, max_size=6),
       seed=st.integers(0, 1000))
@settings(max_examples=20)
def test_random_expressions_match_torch(steps, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape) * 0.5 for shape in ((2, 3), (3,), (3, 3))]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    run(steps, *ours, 0).sum().backward()
    run(steps, *theirs, 1).sum().backward()
    for mine, reference in zip(ours, theirs):
        if reference.grad is None:  # that parameter was not used
            assert mine.grad is None
        else:
            np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_jvp_and_hessian_match_torch_func(rng):
    from torch.func import hessian as torch_hessian, jvp as torch_jvp

    x_np, v_np = rng.standard_normal(4), rng.standard_normal(4)
    ours = lambda x: (x.tanh() * x.sin()).sum()
    theirs = lambda x: (x.tanh() * x.sin()).sum()
    _, tangent = jvp(ours, (Tensor(x_np),), (Tensor(v_np),))
    _, torch_tangent = torch_jvp(theirs, (torch.tensor(x_np),), (torch.tensor(v_np),))
    assert tangent.item() == pytest.approx(torch_tangent.item(), rel=1e-12)
    np.testing.assert_allclose(hessian(ours)(Tensor(x_np)).numpy(),
                               torch_hessian(theirs)(torch.tensor(x_np)).numpy(), rtol=1e-10, atol=1e-12)
