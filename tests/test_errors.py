"""Errors a user can cause are typed and say what to do; no raw NumPy traceback."""

import numpy as np
import pytest

from tinygrad_ko import (DTypeError, GradError, ShapeError, Tensor, TinygradKoError, grad,
                         jacrev, vjp)


def test_grad_of_a_vector_output_says_to_use_jacrev_or_vjp():
    with pytest.raises(GradError, match="jacrev or vjp"):
        grad(lambda x: x * 2)(np.ones(3))


def test_backward_of_a_vector_output_says_to_pass_a_seed():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(GradError, match="pass a seed"):
        (x * 2).backward()
    (x * 2).backward(seed=np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [2, 4, 6])


def test_backward_on_a_constant_explains_requires_grad():
    with pytest.raises(GradError, match="requires_grad=True"):
        (Tensor(2.0) * 3).backward()


@pytest.mark.parametrize("make", [
    lambda: Tensor(np.ones((2, 3))) + Tensor(np.ones(4)),
    lambda: Tensor(np.ones((2, 3))) * Tensor(np.ones((3, 2))),
])
def test_broadcast_mismatch_names_the_op_and_both_shapes(make):
    with pytest.raises(ShapeError, match=r"(add|mul): cannot apply to shape\(s\) \(2, 3\) and \((4|3, 2)\,?\)"):
        make()


def test_matmul_mismatch_names_both_shapes():
    with pytest.raises(ShapeError, match=r"matmul: inner dimensions differ: \(2, 3\) @ \(4, 5\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))


def test_bad_axis_and_reshape():
    with pytest.raises(ShapeError, match=r"sum: axis 2 is out of range for a tensor of shape \(2, 3\)"):
        Tensor(np.ones((2, 3))).sum(axis=2)
    with pytest.raises(ShapeError, match=r"reshape: cannot reshape \(2, 3\) \(6 elements\) to \(4,\)"):
        Tensor(np.ones((2, 3))).reshape(4)


def test_seed_of_the_wrong_shape():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ShapeError, match=r"seed has shape \(2,\) but the output has shape \(3,\)"):
        (x * 2).backward(seed=np.ones(2))


def test_non_numeric_data():
    with pytest.raises(DTypeError, match="cannot make a tensor"):
        Tensor("hello")
    with pytest.raises(DTypeError, match="floating"):
        Tensor(np.array([1, 2])).cast(np.int32)


def test_function_returning_a_non_tensor():
    with pytest.raises(GradError, match="must return a Tensor"):
        vjp(lambda x: 3.0, 1.0)


def test_every_error_is_a_tinygrad_ko_error():
    for error in (ShapeError, DTypeError, GradError):
        assert issubclass(error, TinygradKoError)


def test_truth_value_of_a_vector_is_explained():
    with pytest.raises(ShapeError, match="ambiguous"):
        bool(Tensor(np.ones(2)) > 0)


def test_jacrev_argnums_out_of_range():
    with pytest.raises(GradError, match="argnums 3"):
        jacrev(lambda x: x, argnums=3)(np.ones(2))


def test_transpose_axes_out_of_range_or_repeated_name_the_axes_given():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ShapeError, match=r"transpose: axes \(0, 5\) are out of range for a tensor of shape \(2, 3\)"):
        x.transpose(0, 5)
    with pytest.raises(ShapeError, match=r"transpose: axes \(1, -1\) are not a permutation for shape \(2, 3\)"):
        x.transpose(1, -1)
    assert x.transpose(-1, 0).shape == (3, 2)
