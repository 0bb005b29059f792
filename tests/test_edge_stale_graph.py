"""A graph whose saved values were changed in place refuses to backpropagate (issue 15, item 2).

PyTorch's convention: every tensor has a version counter; an in-place change
raises it, and backward compares each saved tensor's version with the one
recorded when the operation saved it. Without this, a second backward through
a retained graph after ``optimizer.step()`` silently returns gradients at the
new values ([0, 0] instead of [2, 4] below).
"""

import numpy as np
import pytest

from tinygrad_ko import GradError, StaleGraphError, Tensor, grad, nn, optim, vjp


def retained_square():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    assert w.grad.tolist() == [2.0, 4.0]
    return w, loss


@pytest.mark.parametrize("make", [lambda p: optim.SGD([p], lr=0.5),
                                  lambda p: optim.SGD([p], lr=0.5, momentum=0.9),
                                  lambda p: optim.Adam([p], lr=0.5),
                                  lambda p: optim.GOUP([p], lr=0.5, seed=0)],
                         ids=["sgd", "momentum", "adam", "goup"])
def test_backward_after_optimizer_step_is_refused(make):
    w, loss = retained_square()
    make(w).step()
    with pytest.raises(StaleGraphError, match=r"'w' was modified in place after mul saved it"):
        loss.backward()


def test_the_error_is_a_grad_error_on_one_line():
    w, loss = retained_square()
    optim.SGD([w], lr=0.5).step()
    with pytest.raises(GradError) as error:
        loss.backward()
    assert "\n" not in str(error.value) and "forward pass again" in str(error.value)


def test_assigning_data_is_a_modification():
    w, loss = retained_square()
    w.data = np.zeros(2, dtype=np.float32)
    with pytest.raises(StaleGraphError, match="'w'"):
        loss.backward()


def test_augmented_assignment_through_data_is_a_modification():
    w, loss = retained_square()
    w.data -= 1.0
    with pytest.raises(StaleGraphError):
        loss.backward()


def test_writable_data_is_a_modification_and_an_unnamed_tensor_is_described():
    w = Tensor([1.0, 2.0], requires_grad=True)
    loss = w.exp().sum()
    loss.backward(retain_graph=True)
    w.writable_data()[0] = 5.0
    with pytest.raises(StaleGraphError, match=r"a tensor of shape \(2,\) was modified in place after exp saved it"):
        loss.backward()


def test_an_output_saved_by_its_own_rule_is_checked():
    w = Tensor([1.0, 2.0], requires_grad=True)
    z = w.exp()                      # exp's rule uses z itself
    z.writable_data()[...] = 0.0
    with pytest.raises(StaleGraphError, match=r"after exp saved it \(its output"):
        z.backward(Tensor([1.0, 1.0]))


def test_the_array_from_numpy_is_read_only():
    w, loss = retained_square()
    with pytest.raises(ValueError, match="read-only"):
        w.detach().numpy()[0] = 0.0
    loss.backward()
    assert w.grad.tolist() == [4.0, 8.0]          # untouched: the two backwards add up


def test_writing_to_the_array_a_tensor_was_built_from_changes_nothing():
    array = np.array([1.0, 2.0])
    w = Tensor(array, requires_grad=True)
    loss = (w * w).sum()
    array[...] = 0.0                 # Tensor(array) copied it
    loss.backward()
    assert w.grad.tolist() == [2.0, 4.0]
    assert w.tolist() == [1.0, 2.0]


def test_tensor_of_a_tensor_copies_too():
    a = Tensor([1.0, 2.0])
    b = Tensor(a)
    b.writable_data()[0] = 9.0
    assert a.tolist() == [1.0, 2.0]


def test_views_share_the_version_of_what_they_view():
    w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    constant = w.detach().T           # a view of w's memory, outside the graph
    x = Tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    loss = (x * constant).sum()
    w.writable_data()[0, 1] = 7.0     # changes `constant` too
    with pytest.raises(StaleGraphError):
        loss.backward()


def test_a_fresh_forward_pass_after_the_step_is_fine():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    sgd = optim.SGD([w], lr=0.25)           # w ← w − 0.25·2w = w / 2
    for _ in range(3):
        sgd.zero_grad()
        (w * w).sum().backward()
        sgd.step()
    assert w.tolist() == [0.125, 0.25]


def test_a_pullback_after_the_step_is_refused():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    _, pullback = vjp(lambda v: (v * v).sum(), w)
    w.writable_data()[...] = 0.0
    with pytest.raises(StaleGraphError):
        pullback(Tensor(1.0))


def test_rebinding_data_after_vjp_keeps_the_pullback_at_the_old_point():
    """``t.data = new`` replaces the array; views made before still hold the old
    memory, so the pullback is still right — at the point vjp was called at."""
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    _, pullback = vjp(lambda v: (v * v).sum(), w)
    w.data = w.data * 0.0
    assert pullback(Tensor(1.0))[0].tolist() == [2.0, 4.0]


def test_a_pullback_of_a_plain_array_after_the_step_is_refused():
    w = Tensor([1.0, 2.0])
    _, pullback = vjp(lambda v: (v * v).sum(), w)      # the leaf vjp makes shares w's memory
    w.writable_data()[...] = 0.0
    with pytest.raises(StaleGraphError):
        pullback(Tensor(1.0))


def test_higher_order_still_works():
    x = Tensor(3.0, requires_grad=True)
    assert grad(grad(lambda x: x ** 3))(x).item() == 18.0


def test_load_state_dict_makes_an_earlier_graph_stale():
    # load_state_dict writes the weights in place, like an optimizer step: a graph recorded
    # with the old weights must refuse to backpropagate, not give gradients of the wrong ones.
    model = nn.Linear(2, 1, rng=np.random.default_rng(0))
    state = model.state_dict()
    loss = model(Tensor([[1.0, 2.0]])).sum()
    versions = [p.version for p in model.parameters()]
    model.load_state_dict({name: value + 1 for name, value in state.items()})
    assert [p.version for p in model.parameters()] == [v + 1 for v in versions]
    assert np.array_equal(model.weight.numpy(), state["weight"] + 1)
    with pytest.raises(StaleGraphError, match="modified in place"):
        loss.backward()
    fresh = model(Tensor([[1.0, 2.0]])).sum()   # a graph recorded after loading is fine
    fresh.backward()
    assert np.array_equal(model.weight.grad.numpy(), [[1.0], [2.0]])   # weight is (in, out)
