"""The classic ways a small autodiff engine goes wrong."""

import gc
import weakref

import numpy as np
import pytest

from tinygrad_ko import GraphFreedError, Tensor, grad, no_grad


def test_same_input_twice_accumulates_along_both_edges():
    a = Tensor(3.0, requires_grad=True)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4


def test_square_by_self_multiplication():
    x = Tensor(3.0, requires_grad=True)
    (x * x).backward()
    assert x.grad.item() == 6


def test_diamond():
    x = Tensor(2.0, requires_grad=True)
    top = x * 3
    left, right = top.exp(), top.sin()
    (left * right).backward()
    t = 6.0
    expected = 3 * (np.exp(t) * np.sin(t) + np.exp(t) * np.cos(t))
    assert x.grad.item() == pytest.approx(expected, rel=1e-5)


def test_ten_thousand_deep_chain_has_no_recursion_error():
    x = Tensor(1.0, requires_grad=True, dtype=np.float64)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 10_000)


def test_backward_twice_accumulates_with_retain_graph():
    x = Tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 8  # 4 + 4: .grad accumulates
    x.zero_grad()
    assert x.grad is None


def test_backward_twice_without_retain_graph_raises_and_keeps_grad():
    x = Tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    with pytest.raises(GraphFreedError, match="retain_graph=True"):
        y.backward()
    assert x.grad.item() == 4  # the failed call changed nothing


def test_broadcast_gradients_are_summed_to_the_input_shape():
    x = Tensor(np.ones((3, 1)), requires_grad=True)
    bias = Tensor(np.ones(4), requires_grad=True)
    (x * bias + bias).sum().backward()
    assert x.grad.shape == (3, 1) and bias.grad.shape == (4,)
    np.testing.assert_array_equal(x.grad.numpy(), np.full((3, 1), 4.0))
    np.testing.assert_array_equal(bias.grad.numpy(), np.full(4, 6.0))


def test_integer_index_with_repeats_scatters_with_add():
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[np.array([1, 1, 3])].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 2, 0, 1])


def test_intermediate_grads_are_not_kept():
    x = Tensor(2.0, requires_grad=True)
    y = x * 3
    z = y * y
    z.backward()
    assert y.grad is None and x.grad.item() == 36


def test_no_grad_records_nothing():
    x = Tensor(2.0, requires_grad=True)
    with no_grad():
        y = x * x
    assert not y.requires_grad and y.is_leaf


def test_graph_has_no_reference_cycles():
    gc.disable()
    try:
        x = Tensor(np.ones(3), requires_grad=True)
        y = (x * 2).exp().sum()
        watcher = weakref.ref(y)
        del y
        assert watcher() is None  # freed by reference counting alone
    finally:
        gc.enable()


def test_detach_cuts_the_graph():
    x = Tensor(3.0, requires_grad=True)
    y = x * x.detach()
    y.backward()
    assert x.grad.item() == 3


def test_gradient_dtype_follows_the_input():
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    w = Tensor(np.full(2, 2.0))  # float64 array keeps float64
    (x * w).sum().backward()
    assert x.grad.dtype == np.float32


def test_python_scalar_keeps_the_tensor_dtype():
    x = Tensor(np.ones(2, dtype=np.float32))
    assert (x * 2.5).dtype == np.float32 and (1 / x).dtype == np.float32
    assert Tensor(2).dtype == np.float32


def test_functional_grad_does_not_touch_dot_grad():
    x = Tensor(2.0, requires_grad=True)
    g = grad(lambda t: t * t)(x)
    assert g.item() == 4 and x.grad is None
