"""Every leaf gets its own, writable gradient buffer (issue 15, item 3)."""

import numpy as np

from tinygrad_ko import Tensor


def leaves():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = Tensor([3.0, 4.0], requires_grad=True, name="b")
    c = Tensor([5.0, 6.0], requires_grad=True, name="c")
    return a, b, c


def test_two_leaves_of_one_add_get_separate_buffers():
    a, b, c = leaves()
    ((a + b) * c).sum().backward()
    assert a.grad is not b.grad
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    a.grad.data[...] = 0.0          # clearing one leaf's gradient in place …
    assert b.grad.tolist() == [5.0, 6.0]   # … leaves the other alone


def test_gradient_out_of_sum_is_writable_and_clipping_it_changes_nothing_else():
    a, b, c = leaves()
    (a.sum() + b.sum() + (a * c).sum()).backward()
    b_before = b.grad.numpy().copy()
    assert b.grad.data.flags.writeable
    np.clip(b.grad.data, -0.5, 0.5, out=b.grad.data)     # in-place clipping, as a user would
    assert b.grad.tolist() == [0.5, 0.5]
    assert a.grad.tolist() == [6.0, 7.0]
    assert b_before.tolist() == [1.0, 1.0]


def test_a_leaf_never_holds_the_callers_seed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seed = Tensor([1.0, 1.0])
    x.backward(seed)
    assert x.grad is not seed
    x.grad.data[...] = 7.0
    assert seed.tolist() == [1.0, 1.0]
    y = Tensor([1.0, 2.0], requires_grad=True)
    (y * 1.0).backward(seed)
    y.grad.data[...] = 7.0
    assert seed.tolist() == [1.0, 1.0]


def test_accumulated_gradients_stay_separate():
    a, b, c = leaves()
    for _ in range(2):
        ((a + b) * c).sum().backward()
    assert a.grad.tolist() == [10.0, 12.0] and b.grad.tolist() == [10.0, 12.0]
    a.grad.data *= 0.5
    assert b.grad.tolist() == [10.0, 12.0]


def test_create_graph_gradients_are_separate_nodes():
    a, b, c = leaves()
    ((a + b) * c).sum().backward(create_graph=True)
    assert a.grad is not b.grad
    assert c.grad.tolist() == [4.0, 6.0]                 # ∂/∂c = a + b
    (a.grad * c).sum().backward()   # a.grad = c is still differentiable: ∂(c·c)/∂c = 2c
    assert c.grad.tolist() == [14.0, 18.0]
