"""Backward's walk by the engine's clock, and the staleness check it makes cheap (issue 17).

``backpropagate`` takes the tensor recorded last first (a heap keyed by each
tensor's tick of the clock, ``version.py``) instead of sorting the graph with
a set walk first; a node is checked for in-place writes only when something
was written since it was recorded. These tests hold both walks (the Tensor
loop and the array loop) to the depth-first order they replaced.
"""

import numpy as np
import pytest

from tinygrad_ko import GraphFreedError, StaleGraphError, Tensor, grad, vjp
from tinygrad_ko.tensor import chain_rule
from tinygrad_ko.tensor.graph import STATE
from tinygrad_ko.tensor.version import CLOCK


def reference_adjoints(root):
    """Every recorded tensor's adjoint, by the depth-first ``topological_order`` and the Tensor rules."""
    adjoints = {id(root): np.ones(root.shape, dtype=root.dtype)}
    for tensor in chain_rule.topological_order(root):
        adjoint = adjoints.get(id(tensor))
        if adjoint is None or tensor.node.op is None:
            continue
        inputs = tensor.node.inputs
        for position, parent in enumerate(inputs):
            if parent.requires_grad:
                share = tensor.node.op.vjp[position](Tensor(adjoint), tensor, *inputs, **tensor.node.params)
                share = chain_rule.unbroadcast(share, parent, tensor.node.op).data
                adjoints[id(parent)] = adjoints.get(id(parent), 0) + share
    return adjoints


def tangled(x, y):
    """Shared subexpressions used at different depths: each adjoint must be complete
    before it is passed on, whatever order the tensors were made in."""
    late = y * 3.0                       # made first, used last
    a = x * y
    b = a.exp() + a                      # a used twice
    c = (b * late).sin() + b * x         # b used twice, x three times
    return (c * a + late).sum()


@pytest.mark.parametrize("create_graph", [False, True], ids=["arrays", "tensors"])
def test_both_walks_give_the_depth_first_adjoints(create_graph):
    rng = np.random.default_rng(0)
    x = Tensor(rng.uniform(0.1, 0.5, (3, 2)), requires_grad=True, dtype=np.float64)
    y = Tensor(rng.uniform(0.1, 0.5, (2,)), requires_grad=True, dtype=np.float64)
    loss = tangled(x, y)
    expected = reference_adjoints(loss)
    loss.backward(retain_graph=True, create_graph=create_graph)
    np.testing.assert_allclose(x.grad.numpy() if not create_graph else x.grad.detach().numpy(),
                               expected[id(x)], rtol=1e-12)
    np.testing.assert_allclose(y.grad.detach().numpy(), expected[id(y)], rtol=1e-12)


def test_a_retained_intermediate_gets_its_whole_adjoint():
    x = Tensor(2.0, requires_grad=True, dtype=np.float64)
    h = (x * x).retain_grad()
    out = h * 3.0 + h.exp() + h            # three consumers of h
    out.backward()
    assert h.grad.item() == pytest.approx(3.0 + np.exp(4.0) + 1.0)
    assert x.grad.item() == pytest.approx((4.0 + np.exp(4.0)) * 4.0)


def test_a_graph_built_from_tensors_made_out_of_order():
    """Tensors made long before the ones that use them (a larger clock gap, other graphs between)."""
    x = Tensor(1.5, requires_grad=True, dtype=np.float64)
    early = x.sin()
    for _ in range(50):
        (Tensor(1.0, requires_grad=True) * 2.0).backward()   # other graphs tick the clock meanwhile
    out = early * x.cos() + early
    out.backward()
    assert x.grad.item() == pytest.approx(np.cos(1.5) ** 2 - np.sin(1.5) ** 2 + np.cos(1.5))


def test_vjp_stops_at_an_intermediate_input():
    # stop_at tensors are ends of the walk, as leaves are (vjp with respect to a recorded tensor)
    outer = Tensor(0.7, requires_grad=True, dtype=np.float64)
    assert grad(lambda z: grad(lambda w: (w * z).sin() * w)(z * 2.0))(outer).item() == pytest.approx(
        _second(0.7), rel=1e-9)


def _second(z):
    """d/dz of [∂/∂w (sin(w z) w)] at w = 2z, by hand: g(z) = cos(2z²) 2z² + sin(2z²)."""
    u = 2 * z * z
    return -np.sin(u) * 4 * z * u + np.cos(u) * 4 * z + np.cos(u) * 4 * z


def test_a_released_graph_is_refused_by_both_walks():
    for create_graph in (False, True):
        x = Tensor(2.0, requires_grad=True)
        y = x * x
        y.backward()
        z = y * 3.0
        with pytest.raises(GraphFreedError, match="retain_graph=True"):
            z.backward(create_graph=create_graph)


def test_each_recorded_operation_ticks_the_clock_after_its_inputs():
    x = Tensor(1.0, requires_grad=True)
    y = x * 2.0
    z = y + x
    assert 0 < y._recorded_at < z._recorded_at
    assert x._recorded_at == 0                  # a leaf is not recorded
    assert next(CLOCK) > z._recorded_at


def test_no_write_since_recording_skips_the_version_check(monkeypatch):
    checked = []
    original = chain_rule.check_unchanged
    monkeypatch.setattr(chain_rule, "check_unchanged", lambda t, i: checked.append(t) or original(t, i))
    w = Tensor([1.0, 2.0], requires_grad=True)
    w.writable_data()[0] = 1.0                  # a write *before* the forward pass
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    assert checked == []                        # nothing written since: no node looked at
    other = Tensor([3.0], requires_grad=True)
    other.writable_data()[0] = 3.0              # a write to a tensor this graph does not hold
    loss.backward(retain_graph=True)
    assert len(checked) == 2                    # looked at, and found unchanged
    assert w.grad.tolist() == [4.0, 8.0]


def test_a_write_after_recording_is_caught_on_a_tensor_that_had_no_counter():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    assert w._version is None
    loss = (w * w).sum()
    w.data = np.zeros(2, dtype=np.float32)      # a new array: a counter of its own, written now
    with pytest.raises(StaleGraphError, match="'w' was modified in place after mul saved it"):
        loss.backward()
    assert STATE.last_write > loss._recorded_at


def test_a_pullback_called_twice_after_a_write_elsewhere():
    w = Tensor([1.0, 2.0], requires_grad=True)
    _, pullback = vjp(lambda v: (v * v).sum(), w)
    assert pullback(Tensor(1.0))[0].tolist() == [2.0, 4.0]
    Tensor([0.0]).writable_data()[0] = 1.0
    assert pullback(Tensor(1.0))[0].tolist() == [2.0, 4.0]


def test_a_0d_gradient_accumulated_twice_is_still_an_array():
    a = Tensor(2.0, requires_grad=True)
    (a * a).backward()
    (a * a).backward()
    assert type(a.grad.data) is np.ndarray and a.grad.shape == () and a.grad.item() == 8.0


@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_the_default_seed_is_a_one_of_the_outputs_shape_and_dtype(shape):
    x = Tensor(np.full(shape, 3.0), requires_grad=True, dtype=np.float64)
    seed = chain_rule.make_seed(x * 2.0, None)
    assert seed.shape == shape and seed.dtype == np.float64 and seed.item() == 1.0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_every_adjoint_handed_out_of_a_0d_graph_is_an_array_of_its_dtype(dtype):
    """The array loop lets NumPy scalars flow between 0-d tensors; what it hands out is arrays."""
    a = Tensor(2.0, requires_grad=True, dtype=dtype)
    b = Tensor(1.0, requires_grad=True, dtype=dtype)
    c = (a + b).retain_grad()
    e = c * (b + 1) * a
    e.backward()
    for tensor, value in ((a, 2 * 2 + 3 * 2), (b, 2 * 2 + 3 * 2), (c, 2 * 2)):   # c = 3, d = b + 1 = 2
        assert type(tensor.grad.data) is np.ndarray
        assert tensor.grad.dtype == dtype and tensor.grad.shape == ()
        assert tensor.grad.item() == value
    (pulled,) = vjp(lambda x: x * x * 3.0, Tensor(2.0, dtype=dtype))[1](Tensor(1.0, dtype=dtype))
    assert type(pulled.data) is np.ndarray and pulled.dtype == dtype and pulled.item() == 12.0


def test_a_0d_graph_differentiated_again_hands_out_only_recorded_tensors(monkeypatch):
    """Where a higher order is asked for, the array loop (and its NumPy scalars) is never used:
    every gradient is a recorded Tensor holding an array, and the second derivative is right."""
    def refuse(*args, **kwargs):
        raise AssertionError("the first-order fast path was taken where a higher order was asked for")

    monkeypatch.setattr(chain_rule, "_backpropagate_arrays", refuse)
    a = Tensor(2.0, requires_grad=True, dtype=np.float64)
    b = Tensor(1.0, requires_grad=True, dtype=np.float64)
    e = (a + b) * (b + 1) * a                   # ∂e/∂a = 2a(b + 1) + b(b + 1) = 10
    e.backward(create_graph=True)
    assert a.grad.requires_grad and type(a.grad.data) is np.ndarray and a.grad.item() == 10.0
    assert b.grad.requires_grad and type(b.grad.data) is np.ndarray
    monkeypatch.undo()                          # the second pass is first order: it may run on arrays
    da = a.grad
    a.grad = b.grad = None
    da.backward()                               # ∂²e/∂a² = 2(b + 1) = 4, ∂²e/∂a∂b = 2a + 2b + 1 = 7
    assert (a.grad.item(), b.grad.item()) == (4.0, 7.0)
    assert grad(grad(lambda x: x * x * x))(Tensor(3.0, dtype=np.float64)).item() == 18.0
