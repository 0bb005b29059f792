"""The first-order fast path of backward: the registry's own rules, handed arrays, and never
taken where a higher order is asked for.

An entry marked ``on_arrays`` has rules spelled to run on raw arrays as well as on
Tensors (``ops/either.py``); ``backpropagate`` hands them arrays only when nothing
will differentiate the adjoints again (no create_graph, no dual level, no observer).
There is no second copy of any formula: these tests check that the one rule gives
the same numbers on both, for every such entry, and that the engine takes the
array path only where it may.
"""

import dataclasses

import numpy as np
import pytest

from tinygrad_ko import Tensor, dual_level, grad, gradcheck, hessian, hvp, jacrev, make_dual
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.ops.either import sum_to_shape
from tinygrad_ko.ops.sample_inputs import SAMPLE_INPUTS
from tinygrad_ko.tensor import chain_rule
from tinygrad_ko.tensor.chain_rule import apply
from tinygrad_ko.tensor.graph import no_grad, observe

rng = np.random.default_rng(7)
ON_ARRAYS = sorted(name for name, op in PRIMITIVES.items() if op.on_arrays)


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


def test_the_hot_primitives_run_their_rules_on_arrays():
    assert set(CASES) <= set(ON_ARRAYS)
    assert {"conv2d", "lstm_cell"}.isdisjoint(ON_ARRAYS)  # written with Tensor methods: wrapped


def _as_tensor(array):
    return Tensor(array) if array.dtype != bool else Tensor._from_array(array)


def _cases(name):
    arrays, params, _ = SAMPLE_INPUTS[name](np.random.default_rng(3))
    return [(tuple(np.asarray(a) for a in arrays), params)] + CASES.get(name, [])


@pytest.mark.parametrize("name", ON_ARRAYS)
@pytest.mark.parametrize("kind", ["vjp", "jvp"])
def test_a_rule_gives_the_same_on_arrays_as_on_tensors(name, kind):
    """The one rule, run once on Tensors and once on their arrays: the same numbers."""
    op = PRIMITIVES[name]
    for arrays, params in _cases(name):
        inputs = [_as_tensor(a) for a in arrays]
        with no_grad():
            out = apply(op, *inputs, **params)
            for position, x in enumerate(inputs):
                rule = getattr(op, kind)[position]
                if rule is None:
                    continue
                seed_shape = out.shape if kind == "vjp" else x.shape
                seed = Tensor(normal(*seed_shape).astype(x.dtype if kind == "jvp" else out.dtype))
                expected = rule(seed, out, *inputs, **params).numpy()
                got = np.asarray(rule(seed.data, out.data, *arrays, **params))
                assert not isinstance(got, Tensor)
                if got.shape != expected.shape:
                    got = sum_to_shape(got, expected.shape)
                np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0,
                                           err_msg=f"{name} {kind}, input {position}, {params}")


def test_relu_rule_on_arrays_passes_an_infinite_adjoint_without_nan():
    x = np.array([-1.0, 2.0])
    share = PRIMITIVES["relu"].vjp[0](np.array([np.inf, np.inf]), np.maximum(x, 0), x)
    np.testing.assert_array_equal(share, [0.0, np.inf])


def test_a_cross_entropy_pick_scatters_by_assignment_and_a_repeated_pick_adds_up():
    g = np.array([1.0, 2.0, 3.0])
    picked = PRIMITIVES["getitem"].vjp[0](g, None, np.zeros((3, 2)), (np.arange(3), np.array([1, 0, 1])))
    np.testing.assert_array_equal(picked, [[0, 1], [2, 0], [0, 3]])
    repeated = PRIMITIVES["getitem"].vjp[0](g, None, np.zeros((3, 2)), (np.array([0, 0, 2]), np.array([1, 1, 0])))
    np.testing.assert_array_equal(repeated, [[0, 3], [0, 0], [3, 0]])


@pytest.mark.parametrize("shape, target", [((4, 3), (3,)), ((4, 3), (4, 1)), ((2, 4, 3), (1, 1)),
                                           ((4, 3), ()), ((4, 3), (4, 3))])
def test_sum_to_shape_matches_tensor_sum_to(shape, target):
    data = normal(*shape)
    np.testing.assert_allclose(sum_to_shape(data, target), Tensor(data).sum_to(target).numpy())


def test_sum_to_shape_refuses_a_shape_that_does_not_broadcast():
    with pytest.raises(ValueError):
        sum_to_shape(normal(4, 3), (2,))
    with pytest.raises(ValueError):
        sum_to_shape(normal(3), (2, 3))


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


def test_a_copy_of_a_primitive_keeps_its_own_rules():
    """A copy that kept the registry's name runs its own rules on the fast path too."""
    doubled = dataclasses.replace(PRIMITIVES["neg"], vjp=(lambda g, z, x: g * 2.0,))
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    apply(doubled, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_a_copy_with_rules_written_with_tensor_methods_gets_tensors(fast_path_calls):
    """``on_arrays=False`` (a student's copy): the fast path wraps the arrays for the rule."""
    def tensor_only(g, z, x):
        assert isinstance(g, Tensor) and isinstance(x, Tensor)
        return g * x.cos()

    mine = dataclasses.replace(PRIMITIVES["sin"], vjp=(tensor_only,), on_arrays=False)
    x = Tensor(np.array([0.3, 1.2]), requires_grad=True)
    apply(mine, x).sum().backward()
    assert fast_path_calls == [1]
    np.testing.assert_allclose(x.grad.numpy(), np.cos(x.data))


def test_the_higher_order_paths_never_hand_a_rule_arrays(monkeypatch):
    """Under create_graph every rule gets Tensors (so the rule's own operations are recorded)."""
    seen = []
    original = PRIMITIVES["mul"].vjp[0]

    def watching(g, z, x, y):
        seen.append(type(g))
        return original(g, z, x, y)

    monkeypatch.setitem(PRIMITIVES, "mul", dataclasses.replace(PRIMITIVES["mul"], vjp=(watching, PRIMITIVES["mul"].vjp[1])))
    x = Tensor(normal(3), requires_grad=True)
    y = apply(PRIMITIVES["mul"], x, x).sum()
    y.backward(create_graph=True)
    assert seen and all(kind is Tensor for kind in seen)
    seen.clear()
    x2 = Tensor(normal(3), requires_grad=True)
    apply(PRIMITIVES["mul"], x2, x2).sum().backward()
    assert seen and all(kind is np.ndarray for kind in seen)
