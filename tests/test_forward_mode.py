"""Forward mode by dual numbers: object form, nesting, no taping."""

import numpy as np
import pytest

from tinygrad_ko import GradError, ShapeError, Tensor, dual_level, grad, jvp, make_dual, unpack_dual
from tinygrad_ko.tensor.graph import observe


def test_object_form_for_class_demos():
    with dual_level():
        x = make_dual(2.0, 1.0)
        y = x * x + 3 * x
        value, slope = unpack_dual(y)
    assert (value.item(), slope.item()) == (10, 7)


def test_perturbation_confusion_is_avoided():
    # d/dx [ x · (d/dy (x + y) at y = 1) ] at x = 1 is 1 (a confused engine says 2)
    def outer(x):
        _, inner_slope = jvp(lambda y: x + y, (1.0,), (1.0,))
        return x * inner_slope
    _, slope = jvp(outer, (1.0,), (1.0,))
    assert slope.item() == 1


def test_nested_forward_gives_second_derivative():
    f = lambda x: x.sin() * x
    def first(x):
        return jvp(f, (x,), (1.0,))[1]
    _, second = jvp(first, (Tensor(0.4, dtype=np.float64),), (1.0,))
    # (x sin x)'' = 2 cos x − x sin x
    assert second.item() == pytest.approx(2 * np.cos(0.4) - 0.4 * np.sin(0.4), rel=1e-12)


def test_nothing_is_taped():
    recorded = []
    with observe(lambda op, out, inputs, params, phase: recorded.append(out.requires_grad)):
        jvp(lambda x: (x * x).exp().sum(), (np.ones(3),), (np.ones(3),))
    assert recorded and not any(recorded)


def test_tangents_travel_in_the_same_pass():
    phases = []
    with observe(lambda op, out, inputs, params, phase: phases.append((op.name, phase))):
        jvp(lambda x: x.exp(), (1.0,), (1.0,))
    # exp's value, then its tangent t·z in the same pass; no backward phase at all
    assert phases == [("exp", "primal"), ("mul", "jvp")]


def test_reverse_over_forward():
    # ∂/∂x of the forward-mode slope of x³ along 1: d/dx (3x²) = 6x
    g = grad(lambda x: jvp(lambda y: y ** 3, (x,), (1.0,))[1])
    assert g(Tensor(2.0, dtype=np.float64)).item() == pytest.approx(12)


def test_unpack_outside_a_level_is_a_clear_error():
    with pytest.raises(GradError, match="dual_level"):
        make_dual(1.0, 1.0)


def test_tangent_shape_must_match():
    with dual_level():
        with pytest.raises(ShapeError, match=r"tangent has shape \(2,\) but the primal has shape \(3,\)"):
            make_dual(np.ones(3), np.ones(2))


def test_output_not_depending_on_input_has_zero_tangent():
    _, slope = jvp(lambda x: Tensor(3.0), (1.0,), (1.0,))
    assert slope.item() == 0
