"""A gradient cannot silently vanish through ``.numpy()`` (issue 15, item 6).

PyTorch's convention: ``numpy()`` on a tensor that requires a gradient raises
and says to use ``detach().numpy()``; the same for a tensor carrying a
forward-mode tangent. Without it, ``grad`` of a function that takes a detour
through NumPy returned zeros.
"""

import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko import GradError, Tensor


def through_numpy(x):
    return Tensor(np.sin(x.numpy())).sum()


def test_grad_through_numpy_is_refused():
    with pytest.raises(GradError, match=r"detach\(\)\.numpy\(\)"):
        tg.grad(through_numpy)(Tensor([1.0, 2.0]))


def test_backward_through_numpy_is_refused():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradError, match="requires a gradient"):
        np.array(x * 2)
    with pytest.raises(GradError):
        (x * 2).numpy()


def test_jvp_through_numpy_is_refused():
    with pytest.raises(GradError, match="tangent"):
        tg.jvp(through_numpy, (Tensor([1.0, 2.0]),), (Tensor([1.0, 0.0]),))


def test_detached_values_and_plain_tensors_convert():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert y.detach().numpy().tolist() == [2.0, 4.0]
    assert y.tolist() == [2.0, 4.0] and y.sum().item() == 6.0   # tolist and item, as in torch, are allowed
    assert "Tensor([2., 4.]" in repr(y)
    assert Tensor([3.0]).numpy().tolist() == [3.0]
    y.sum().backward()
    assert x.grad.numpy().tolist() == [2.0, 2.0]   # a gradient is a plain tensor
