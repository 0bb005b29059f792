"""The first-order fast path of backward: equal to the registry's rules, and never taken
where a higher order is asked for.

``tensor/array_rules.py`` spells the hot primitives' VJP rules on raw arrays. Each
entry must give exactly what the registry's Tensor rule gives on the same inputs,
and ``backpropagate`` may use them only when nothing will differentiate the
adjoints again (no create_graph, no dual level, no observer).
"""

import numpy as np
import pytest

from tinygrad_ko import Tensor, dual_level, grad, gradcheck, hessian, hvp, jacrev, make_dual
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.tensor import chain_rule
from tinygrad_ko.tensor.array_rules import ARRAY_VJPS, sum_to_shape
from tinygrad_ko.tensor.chain_rule import apply
from tinygrad_ko.tensor.graph import no_grad, observe

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.standard_normal(shape)


# name -> list of (inputs as arrays, params); broadcasting cases included
CASES = {
    "add": [((normal(3, 4), normal(4)), {}), ((normal(2, 1), normal(1, 3)), {})],
    "sub": [((normal(3, 4), normal(3, 1)), {})],
    "mul": [((normal(3, 4), normal(4)), {}), ((normal(), normal(2, 2)), {})],
    "div": [((normal(3, 4), normal(4) + 3.0), {})],
    "pow": [((np.abs(normal(3, 4)) + 0.5, normal(4)), {}),
            ((np.array([0.0, 2.0, 0.0, 3.0]), np.array([0.0, 0.0, 2.0, 1.5])), {})],
    "neg": [((normal(3, 2),), {})],
    "exp": [((normal(3, 2),), {})],
    "log": [((np.abs(normal(3, 2)) + 0.5,), {})],
    "tanh": [((normal(3, 2),), {})],
    "relu": [((normal(4, 5),), {})],
    "where": [((normal(3, 4) > 0, normal(3, 4), normal(4)), {})],
    "identity": [((normal(3),), {})],
    "matmul": [((normal(3, 4), normal(4, 2)), {}), ((normal(2, 3, 4), normal(4, 5)), {})],
    "sum": [((normal(3, 4),), {"axis": (1,), "keepdims": False}),
            ((normal(2, 3, 4),), {"axis": (0, 2), "keepdims": True}),
            ((normal(3, 4),), {"axis": (0, 1), "keepdims": False})],
    "max": [((np.array([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]]),), {"axis": (1,), "keepdims": False}),
            ((normal(3, 4),), {"axis": (0,), "keepdims": True})],
    "reshape": [((normal(3, 4),), {"shape": (2, 6)})],
    "transpose": [((normal(2, 3, 4),), {"axes": (2, 0, 1)})],
    "broadcast_to": [((normal(3, 1),), {"shape": (2, 3, 4)})],
    "getitem": [((normal(4, 3),), {"index": (np.array([0, 2, 2]), np.array([1, 0, 0]))}),
                ((normal(4, 3),), {"index": (slice(1, 3),)})],
}


def test_every_array_rule_has_cases():
    assert set(CASES) == set(ARRAY_VJPS)


@pytest.mark.parametrize("name", sorted(ARRAY_VJPS))
def test_array_rule_equals_the_registry_rule(name):
    op = PRIMITIVES[name]
    for arrays, params in CASES[name]:
        inputs = [Tensor(a) if a.dtype != bool else Tensor._from_array(a) for a in arrays]
        with no_grad():
            out = apply(op, *inputs, **params)
            g = Tensor(normal(*out.shape))
            for position, (tensor_rule, array_rule) in enumerate(zip(op.vjp, ARRAY_VJPS[name])):
                assert (tensor_rule is None) == (array_rule is None), f"{name} input {position}"
                if tensor_rule is None:
                    continue
                expected = tensor_rule(g, out, *inputs, **params).numpy()
                got = np.asarray(array_rule(g.data, out.data, *arrays, **params))
                got = sum_to_shape(got, expected.shape) if got.shape != expected.shape else got
                np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0,
                                           err_msg=f"{name}, input {position}, {params}")


def test_relu_array_rule_passes_an_infinite_adjoint_without_nan():
    x = np.array([-1.0, 2.0])
    share = ARRAY_VJPS["relu"][0](np.array([np.inf, np.inf]), np.maximum(x, 0), x)
    np.testing.assert_array_equal(share, [0.0, np.inf])


@pytest.mark.parametrize("shape, target", [((4, 3), (3,)), ((4, 3), (4, 1)), ((2, 4, 3), (1, 1)),
                                           ((4, 3), ()), ((4, 3), (4, 3))])
def test_sum_to_shape_matches_tensor_sum_to(shape, target):
    data = normal(*shape)
    np.testing.assert_allclose(sum_to_shape(data, target), Tensor(data).sum_to(target).numpy())


def test_sum_to_shape_refuses_a_shape_that_does_not_broadcast():
    assert sum_to_shape(normal(4, 3), (2,)) is None
    assert sum_to_shape(normal(3), (2, 3)) is None


# ------------------------------------------------ when the fast path is taken
@pytest.fixture
def fast_path_calls(monkeypatch):
    """Count the calls of the array loop (it still runs, so results are unchanged)."""
    calls = []
    original = chain_rule._backpropagate_arrays

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(chain_rule, "_backpropagate_arrays", counting)
    return calls


@pytest.fixture
def forbid_fast_path(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the first-order fast path was taken where a higher order was asked for")

    monkeypatch.setattr(chain_rule, "_backpropagate_arrays", refuse)


def test_plain_backward_takes_the_fast_path(fast_path_calls):
    x = Tensor(normal(3), requires_grad=True)
    (x * x).sum().backward()
    assert fast_path_calls == [1]
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.data)


def test_create_graph_never_takes_the_fast_path(forbid_fast_path):
    x = Tensor(1.5, requires_grad=True)
    y = x ** 3
    y.backward(create_graph=True)
    assert x.grad.requires_grad
    (first,) = (x.grad,)
    assert first.item() == pytest.approx(3 * 1.5 ** 2)


def test_grad_of_grad_takes_the_fast_path_for_the_outer_pass_only(fast_path_calls):
    """The inner pass records its gradient (create_graph); only the outermost one,
    whose adjoints nobody differentiates, may run on arrays."""
    second = grad(grad(lambda x: (x * x * x).sum()))(Tensor(2.0))
    assert second.item() == pytest.approx(12.0)
    assert fast_path_calls == [1]
    third = grad(grad(grad(lambda x: (x * x * x * x).sum())))(Tensor(2.0))
    assert third.item() == pytest.approx(48.0)
    assert fast_path_calls == [1, 1]


def test_forward_over_reverse_never_takes_the_fast_path(forbid_fast_path):
    x, v = Tensor(normal(4)), Tensor(normal(4))
    product = hvp(lambda z: (z.tanh() * z).sum(), (x,), (v,))
    z = x.data
    t = np.tanh(z)
    exact = (2 * (1 - t ** 2) - 2 * z * t * (1 - t ** 2)) * v.data
    np.testing.assert_allclose(product.numpy(), exact, rtol=1e-10)
    hessian(lambda z: (z * z.exp()).sum())(Tensor(normal(3)))


def test_a_backward_inside_a_dual_level_never_takes_the_fast_path(forbid_fast_path):
    with dual_level():
        x = make_dual(Tensor(2.0), Tensor(1.0))
        leaf = Tensor(3.0, requires_grad=True)
        (leaf * x).backward()
    assert leaf.grad.item() == 2.0


def test_an_observer_turns_the_fast_path_off(forbid_fast_path):
    seen = []
    x = Tensor(normal(3), requires_grad=True)
    with observe(lambda op, out, inputs, params, phase: seen.append(phase)):
        (x.exp() * x).sum().backward()
    assert "vjp" in seen


def test_gradcheck_to_second_order_never_takes_the_fast_path_at_order_two(fast_path_calls):
    """Order 1 uses the fast path (checked against finite differences), order 2 cannot."""
    assert gradcheck(lambda a, b: (a @ b).relu().sum(axis=0) - b.max(axis=0), normal(2, 3),
                     normal(3, 2) + 0.1, order=2)
    assert fast_path_calls  # first-order Jacobians went through it, and agreed


def test_fast_and_tensor_paths_give_the_same_mlp_gradients(monkeypatch):
    x = Tensor(normal(5, 4))
    labels = np.array([0, 1, 2, 1, 0])
    weights = [normal(4, 6), normal(6), normal(6, 3), normal(3)]

    def gradients():
        params = [Tensor(w, requires_grad=True) for w in weights]
        W1, b1, W2, b2 = params
        logits = (x @ W1 + b1).relu() @ W2 + b2
        loss = -logits.log_softmax(axis=-1)[np.arange(5), labels].mean()
        loss.backward()
        return [p.grad.numpy() for p in params]

    fast = gradients()
    monkeypatch.setattr(chain_rule, "first_order_only", lambda create_graph: False)
    slow = gradients()
    for f, s in zip(fast, slow):
        np.testing.assert_allclose(f, s, rtol=1e-13, atol=1e-15)
    assert jacrev(lambda w: (x @ w).tanh())(Tensor(weights[0])).shape == (5, 6, 4, 6)


def test_a_renamed_copy_of_a_primitive_keeps_its_own_rules():
    """A copy that kept the registry's name gets its own rules, not the array table's."""
    import dataclasses

    doubled = dataclasses.replace(PRIMITIVES["neg"], vjp=(lambda g, z, x: g * 2.0,))
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    apply(doubled, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])
