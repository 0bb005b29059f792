"""Every primitive's JVP and VJP rules are adjoint: <u, J v> = <Jᵀ u, v>.

J v comes from forward mode (``jvp``), Jᵀ u from reverse mode (``vjp``), both
through the registry entry, for random u and v, float32 and float64, broadcast
shapes included. ``CASES`` must name every registry entry, so a new primitive
without a case fails ``test_every_primitive_has_a_case``.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from tinygrad_ko import Tensor, jvp, vjp
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.backend import default_device
from tinygrad_ko.tensor.chain_rule import apply

DEVICE = default_device()  # the test run's device (see conftest.py)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng, shape):
    return rng.uniform(0.2, 1.0, shape) * rng.choice([-1, 1], shape)


def normal(rng, shape):
    return rng.standard_normal(shape)


# name -> function(rng) returning (input arrays, params, positions that are differentiable)
CASES = {
    "add": lambda r: ([normal(r, (3, 1, 4)), normal(r, (2, 4))], {}, [0, 1]),
    "sub": lambda r: ([normal(r, (2, 3)), normal(r, (3,))], {}, [0, 1]),
    "mul": lambda r: ([normal(r, (4, 1)), normal(r, (1, 5))], {}, [0, 1]),
    "div": lambda r: ([normal(r, (2, 3)), away_from_zero(r, (2, 1))], {}, [0, 1]),
    "pow": lambda r: ([positive(r, (2, 3)), normal(r, (3,))], {}, [0, 1]),
    "neg": lambda r: ([normal(r, (3, 2))], {}, [0]),
    "exp": lambda r: ([normal(r, (3, 2))], {}, [0]),
    "log": lambda r: ([positive(r, (3, 2))], {}, [0]),
    "log1p": lambda r: ([positive(r, (3, 2)) - 0.4], {}, [0]),
    "sin": lambda r: ([normal(r, (5,))], {}, [0]),
    "cos": lambda r: ([normal(r, (5,))], {}, [0]),
    "sqrt": lambda r: ([positive(r, (2, 2))], {}, [0]),
    "tanh": lambda r: ([normal(r, (2, 3))], {}, [0]),
    "relu": lambda r: ([away_from_zero(r, (4, 3))], {}, [0]),
    "where": lambda r: ([r.random((3, 4)) > 0.5, normal(r, (3, 4)), normal(r, (4,))], {}, [1, 2]),
    "cast": lambda r: ([normal(r, (3,))], {"dtype": np.dtype(np.float64)}, [0]),
    "identity": lambda r: ([normal(r, (2, 2))], {}, [0]),
    "to_device": lambda r: ([normal(r, (2, 2))], {"device": DEVICE}, [0]),
    "sum": lambda r: ([normal(r, (2, 3, 4))], {"axis": (0, 2), "keepdims": False}, [0]),
    "max": lambda r: ([normal(r, (3, 5))], {"axis": (1,), "keepdims": True}, [0]),
    "reshape": lambda r: ([normal(r, (2, 6))], {"shape": (3, 4)}, [0]),
    "transpose": lambda r: ([normal(r, (2, 3, 4))], {"axes": (2, 0, 1)}, [0]),
    "broadcast_to": lambda r: ([normal(r, (3, 1))], {"shape": (2, 3, 4)}, [0]),
    "getitem": lambda r: ([normal(r, (5, 3))], {"index": (np.array([0, 2, 2, 4]), slice(1, None))}, [0]),
    "scatter": lambda r: ([normal(r, (4, 2))], {"shape": (5, 3), "index": (np.array([0, 2, 2, 4]), slice(1, None))}, [0]),
    "concatenate": lambda r: ([normal(r, (2, 3)), normal(r, (2, 1)), normal(r, (2, 2))], {"axis": 1}, [0, 1, 2]),
    "matmul": lambda r: ([normal(r, (2, 3, 4)), normal(r, (4, 5))], {}, [0, 1]),
    "lstm_cell": lambda r: ([normal(r, (3, 8)), normal(r, (3, 2))], {}, [0, 1]),
    "im2col": lambda r: ([normal(r, (2, 2, 5, 4))], {"kernel": (3, 2), "stride": (2, 1), "padding": (1, 0)}, [0]),
    "col2im": lambda r: ([normal(r, (2, 2, 3, 2, 3, 3))],
                         {"shape": (2, 2, 5, 4), "kernel": (3, 2), "stride": (2, 1), "padding": (1, 0)}, [0]),
    "conv2d": lambda r: ([normal(r, (2, 2, 5, 4)), normal(r, (3, 2, 3, 2))], {"stride": (2, 1), "padding": (1, 0)}, [0, 1]),
    "max_pool2d": lambda r: ([normal(r, (2, 2, 5, 5))], {"kernel": (3, 3), "stride": (2, 2), "padding": (1, 1)}, [0]),
    "avg_pool2d": lambda r: ([normal(r, (2, 1, 4, 5))], {"kernel": (2, 3), "stride": (1, 2), "padding": (1, 1)}, [0]),
}


def test_every_primitive_has_a_case():
    assert sorted(CASES) == sorted(PRIMITIVES)


def adjoint_gap(name, arrays, params, position, dtype, rng):
    """|<u, J v> − <Jᵀ u, v>| relative to their size, for input ``position``."""
    op = PRIMITIVES[name]
    # a bool input (where's condition) is made the way users make one: by a comparison
    tensors = [Tensor(a.astype(dtype)) > 0.5 if a.dtype == bool else Tensor(a.astype(dtype))
               for a in arrays]

    def of_one(x):
        args = list(tensors)
        args[position] = x
        return apply(op, *args, **params)

    x = tensors[position]
    v = Tensor(rng.standard_normal(x.shape).astype(dtype))
    out, jv = jvp(of_one, (x,), (v,))
    u = Tensor(rng.standard_normal(out.shape).astype(out.dtype))
    _, pullback = vjp(of_one, x)
    (jtu,) = pullback(u)
    assert jv.shape == out.shape and jtu.shape == x.shape
    left = float(np.sum(u.numpy().astype(np.float64) * jv.numpy()))
    right = float(np.sum(jtu.numpy().astype(np.float64) * v.numpy()))
    return abs(left - right) / (1 + abs(left) + abs(right))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(CASES))
def test_adjoint_identity(name, dtype, rng):
    arrays, params, positions = CASES[name](rng)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    for position in positions:
        assert adjoint_gap(name, arrays, params, position, dtype, rng) < tolerance, (name, position)


@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       name=st.sampled_from(["add", "sub", "mul", "div", "pow"]),
       seed=st.integers(0, 2**16))
def test_adjoint_identity_over_broadcast_shapes(shapes, name, seed):
    rng = np.random.default_rng(seed)
    left_shape, right_shape = shapes.input_shapes
    arrays = [positive(rng, left_shape), away_from_zero(rng, right_shape)]
    for position in (0, 1):
        assert adjoint_gap(name, arrays, {}, position, np.float64, rng) < 1e-12
