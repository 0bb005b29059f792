"""Both modes against central finite differences (float64), to second order,
for every primitive (reusing the adjoint test's cases) and the composites."""

import numpy as np
import pytest

from tinygrad_ko import GradcheckError, Tensor, gradcheck, log_softmax, logsumexp, softmax
from tinygrad_ko.tensor.functions import log_softmax_composite
from tinygrad_ko.autodiff.adjoint_check import input_tensors, with_inputs
from tinygrad_ko.tensor.chain_rule import apply
from tinygrad_ko.ops import PRIMITIVES, Primitive

from test_adjoint import CASES

# cast: gradcheck runs in float64, where casting to float64 is the identity; the
# adjoint test covers the real float32 <-> float64 casts.
CHECKED = sorted(set(CASES) - {"cast"})


@pytest.mark.parametrize("name", CHECKED)
def test_primitive_second_order(name, rng):
    arrays, params, positions = CASES[name](rng)
    f = with_inputs(PRIMITIVES[name], input_tensors(arrays, np.float64), params, positions)
    assert gradcheck(f, *[arrays[p] for p in positions], order=2)


COMPOSITES = {
    "sigmoid": (lambda x: x.sigmoid(), [(3, 2)]),
    "softmax": (lambda x: softmax(x, axis=1), [(2, 4)]),
    "log_softmax": (lambda x: log_softmax(x, axis=0), [(3, 2)]),
    "log_softmax_composite": (lambda x: log_softmax_composite(x, axis=0), [(3, 2)]),
    "log_softmax_over_two_axes": (lambda x: log_softmax(x, axis=(0, 1)), [(2, 3)]),
    "logsumexp": (lambda x: logsumexp(x, axis=-1), [(2, 3)]),
    "mean": (lambda x: x.mean(axis=(0, 1)), [(2, 3, 2)]),
    "matmul_vectors": (lambda x, y: x @ y, [(3,), (3, 2)]),
    "mlp_layer": (lambda x, w, b: (x @ w + b).tanh().sum(), [(4, 3), (3, 2), (2,)]),
    "rosenbrock": (lambda x: (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum(), [(4,)]),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_second_order(name, rng):
    f, shapes = COMPOSITES[name]
    assert gradcheck(f, *[rng.standard_normal(s) for s in shapes], order=2)


def test_gradcheck_names_where_a_wrong_rule_disagrees():
    def wrong_square(x):
        with_wrong_rule = x * x
        return with_wrong_rule.detach() + x  # derivative 1 instead of 2x (+1)

    with pytest.raises(GradcheckError, match=r"reverse mode, order 1, input 0: ∂out\[0\]/∂in\[0\]"):
        gradcheck(wrong_square, np.array([3.0]), modes=("rev",))
    with pytest.raises(GradcheckError, match="forward mode, order 1"):
        gradcheck(wrong_square, np.array([3.0]), modes=("fwd",))


def test_gradcheck_order_two_catches_a_rule_that_is_only_right_to_first_order():
    # sin whose rules use cos(x) detached: first derivatives are right, but the
    # rules themselves cannot be differentiated, so second derivatives are 0.
    detached_sin = Primitive(
        name="detached_sin",
        forward=np.sin,
        vjp=(lambda g, z, x: g * x.cos().detach(),),
        jvp=(lambda t, z, x: t * x.cos().detach(),),
        flops=lambda out, x: out.size,
    )

    def f(x):
        return apply(detached_sin, x)

    x0 = np.array([0.7])
    assert gradcheck(f, x0, order=1)
    with pytest.raises(GradcheckError, match="order 2"):
        gradcheck(f, x0, order=2)
