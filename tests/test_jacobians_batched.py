"""The public jacfwd / jacrev push all basis vectors through one pass as a batch
(tensor/batched.py): they must equal the one-pass-per-vector versions and finite
differences, on shapes that exercise broadcasting, reductions, indexing and the
row-by-row fallback; and they must step aside where the Jacobian is differentiated."""

import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko import Tensor, grad, hessian, jacfwd, jacrev
from tinygrad_ko.autodiff import jacfwd_per_column, jacrev_per_row, numeric_jacobian
from tinygrad_ko.tensor import batched
from tinygrad_ko.tensor.functions import concatenate

rng = np.random.default_rng(3)
W = rng.standard_normal((4, 3))
b = rng.standard_normal(4)
M = rng.standard_normal((2, 3, 5))

FUNCTIONS = {
    "tanh(Wx + b)": (lambda x: (Tensor(W) @ x + b).tanh(), (3,)),
    "matrix in, batched matmul": (lambda x: (Tensor(M) @ x).relu() * 2.0 - x.sum(), (5, 2)),
    "x on the left of a matmul": (lambda x: x @ Tensor(M[0].T), (4, 5)),
    "log-softmax and a pick": (lambda x: x.log_softmax(axis=-1)[np.arange(3), np.array([0, 2, 1])], (3, 4)),
    "max, mean, reshape, transpose": (lambda x: x.max(axis=0) * x.mean() + x.reshape(2, 6).T.sum(axis=1)[:3],
                                      (4, 3)),
    "broadcast_to with axes added in front": (lambda x: x.broadcast_to((2, 3)) * Tensor(W[:2, :3]), (3,)),
    "broadcast in both directions": (lambda x: (x.reshape(3, 1) / (x.exp() + 1.0)).sum(axis=0), (3,)),
    "where and indexing by a slice": (lambda x: tg.where(x > 0, x * x, -x)[1:] + x[None, :2].sum(), (4,)),
    "scalar output": (lambda x: (x * x.sin()).sum(), (2, 3)),
    "scalar input": (lambda x: tg.stack([x * x, x.log1p()]), ()),
    "arrays apart (row-by-row fallback)": (lambda x: x[np.array([0, 1]), :, np.array([1, 0])] * 3.0, (2, 3, 2)),
    "concatenate (its axis shifted past the batch)": (lambda x: concatenate([x.cos(), x ** 2.0], axis=0), (2, 2)),
}


def point(shape):
    x = rng.uniform(0.2, 1.5, shape)
    return x if shape else np.float64(x)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("batched_jacobian, per_vector", [(jacfwd, jacfwd_per_column), (jacrev, jacrev_per_row)],
                         ids=["jacfwd", "jacrev"])
def test_batched_jacobian_equals_per_vector_and_finite_differences(name, batched_jacobian, per_vector):
    f, shape = FUNCTIONS[name]
    x = np.asarray(point(shape), dtype=np.float64)
    got = batched_jacobian(f)(Tensor(x))
    reference = per_vector(f)(Tensor(x))
    assert got.shape == reference.shape
    np.testing.assert_allclose(got.numpy(), reference.numpy(), rtol=1e-12, atol=1e-12)
    numeric = numeric_jacobian(f, [x], 0, 1e-6)
    np.testing.assert_allclose(got.numpy().reshape(numeric.shape), numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("transform", [jacfwd, jacrev])
def test_several_arguments_and_float32(transform):
    def f(x, y):
        return (x[:, None] * y).tanh().sum(axis=0) + y.exp()

    x = Tensor(rng.standard_normal(3).astype(np.float32))
    y = Tensor(rng.standard_normal((3, 2)).astype(np.float32))
    jx, jy = transform(f, argnums=(0, 1))(x, y)
    rx, ry = jacfwd_per_column(f, argnums=(0, 1))(x, y)
    assert jx.shape == (3, 2, 3) and jy.shape == (3, 2, 3, 2)
    assert jx.dtype == np.float32 and jy.dtype == np.float32
    np.testing.assert_allclose(jx.numpy(), rx.numpy(), rtol=1e-5)
    np.testing.assert_allclose(jy.numpy(), ry.numpy(), rtol=1e-5)


@pytest.mark.parametrize("transform", [jacfwd, jacrev])
def test_an_output_that_does_not_depend_on_the_input_has_a_zero_jacobian(transform):
    constant = Tensor(np.ones(2))
    jacobian = transform(lambda x, c: c * 2.0, argnums=0)(Tensor(np.ones(3)), constant)
    np.testing.assert_array_equal(jacobian.numpy(), np.zeros((2, 3)))


@pytest.fixture
def batch_calls(monkeypatch):
    calls = []
    for name in ("pull_back_batch", "push_forward_batch"):
        original = getattr(batched, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(batched, name, counting)
        monkeypatch.setattr(tg.autodiff.transforms, name, counting)
    return calls


def test_one_batched_pass_each(batch_calls):
    f, shape = FUNCTIONS["tanh(Wx + b)"]
    jacfwd(f)(Tensor(point(shape)))
    jacrev(f)(Tensor(point(shape)))
    assert batch_calls == ["push_forward_batch", "pull_back_batch"]


def test_a_jacobian_that_is_differentiated_is_built_per_vector(batch_calls):
    """The argument is part of a recorded computation, so the Jacobian must be too."""
    x = Tensor(np.array([0.3, -0.2, 1.1]), requires_grad=True)
    jacobian = jacrev(lambda z: (z * z * z).sin())(x)
    jacobian.sum().backward()
    u = x.data ** 3
    expected = 6 * x.data * np.cos(u) - 9 * x.data ** 4 * np.sin(u)   # d/dx of 3x² cos(x³)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)
    assert batch_calls == []


def test_hessian_batches_the_outer_pass_only(batch_calls):
    x = np.array([0.5, -1.0, 2.0])
    h = hessian(lambda z: (z ** 3.0).sum() + z[0] * z[1])(Tensor(x))
    expected = np.diag(6 * x)
    expected[0, 1] = expected[1, 0] = 1.0
    np.testing.assert_allclose(h.numpy(), expected, rtol=1e-12, atol=1e-12)
    assert batch_calls == ["push_forward_batch"]   # jacfwd outside; jacrev inside it per row
    second = grad(lambda z: jacrev(lambda y: y * y)(z).sum())(Tensor(x))
    np.testing.assert_allclose(second.numpy(), 2 * np.ones(3))


def test_a_primitive_that_is_not_the_registry_entry_keeps_its_own_rules():
    """A copy of ``add`` under the registry's name but with other rules (what a student's
    exercise builds) is differentiated by its own rules, in both modes, even where its
    tangent has the input's shape and the output is broadcast (the engine fits it)."""
    import dataclasses

    from tinygrad_ko.ops import PRIMITIVES
    from tinygrad_ko.tensor import apply

    doubled = dataclasses.replace(PRIMITIVES["add"], vjp=(lambda g, z, x, y: 2 * g, lambda g, z, x, y: 2 * g),
                                  jvp=(lambda t, z, x, y: 2 * t, lambda t, z, x, y: 2 * t))
    y = Tensor(rng.standard_normal((3, 2)))

    def f(x):
        return apply(doubled, x, y)                  # x (2,) broadcast against y (3, 2)

    x = Tensor(rng.standard_normal(2))
    expected = 2 * np.broadcast_to(np.eye(2), (3, 2, 2))           # twice the true Jacobian
    np.testing.assert_allclose(jacfwd(f)(x).numpy(), expected)
    np.testing.assert_allclose(jacrev(f)(x).numpy(), expected)


@pytest.mark.parametrize("on_arrays, batching", [(False, None), (True, None)], ids=["tensor-methods", "no-batching"])
def test_a_copy_with_tensor_method_rules_or_no_batching_gets_a_correct_jacobian(on_arrays, batching):
    """A student's copy (rules written with Tensor methods, ``on_arrays=False``) is built one
    vector at a time; an entry without ``batching`` is run row by row: both give the true Jacobian."""
    import dataclasses

    from tinygrad_ko.ops import PRIMITIVES
    from tinygrad_ko.tensor import apply

    from tinygrad_ko.ops.either import cos

    def vjp_sin(g, z, x):
        return g * x.cos() if not on_arrays else g * cos(x)   # on_arrays: the rule runs on both

    def jvp_sin(t, z, x):
        return t * x.cos() if not on_arrays else t * cos(x)

    mine = dataclasses.replace(PRIMITIVES["sin"], vjp=(vjp_sin,), jvp=(jvp_sin,), on_arrays=on_arrays,
                               batching=batching)
    x = Tensor(rng.standard_normal((2, 3)))
    expected = np.einsum("ij,ik,jl->ijkl", np.cos(x.data), np.eye(2), np.eye(3))
    for transform in (jacfwd, jacrev):
        np.testing.assert_allclose(transform(lambda v: apply(mine, v))(x).numpy(), expected, rtol=1e-13)
