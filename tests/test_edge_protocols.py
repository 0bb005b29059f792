"""Python's protocols on a Tensor, and shape numbers checked once (issue 15, item 5)."""

import numpy as np
import pytest

from tinygrad_ko import ShapeError, Tensor


def test_iteration_gives_the_rows():
    x = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    rows = list(x)
    assert len(rows) == 3 and all(isinstance(row, Tensor) for row in rows)
    assert [row.tolist() for row in rows] == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert [float(v) for v in Tensor([1.0, 2.0, 3.0])] == [1.0, 2.0, 3.0]
    assert [(float(a), float(b)) for a, b in zip(Tensor([1.0, 2.0]), Tensor([3.0, 4.0]))] == [(1.0, 3.0), (2.0, 4.0)]
    assert sum(Tensor([1.0, 2.0, 3.0])).item() == 6.0
    assert len(x) == 3


def test_iteration_is_differentiable():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    total = sum(v * v for v in x)
    total.backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


def test_numpy_array_of_a_tensor():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]])
    assert np.array_equal(np.array(x), [[1.0, 2.0], [3.0, 4.0]])
    assert np.array(x, dtype=np.float64).dtype == np.float64
    assert np.asarray(Tensor(2.0)).shape == ()


def test_a_zero_dimensional_tensor_cannot_be_iterated():
    with pytest.raises(TypeError, match="0-d tensor"):
        iter(Tensor(1.0))
    with pytest.raises(TypeError, match="0-d tensor"):
        len(Tensor(1.0))


@pytest.mark.parametrize("shape", [(3.9, 2), (3.0, 2), ("3", 2), (True, 6)])
def test_reshape_refuses_a_non_integer_length(shape):
    with pytest.raises(ShapeError, match="reshape") as error:
        Tensor(np.zeros(6)).reshape(*shape)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("axis", [1.7, 1.0, "1", (0, 1.5)])
def test_reductions_refuse_a_non_integer_axis(axis):
    x = Tensor(np.zeros((2, 3)))
    for reduce in (x.sum, x.mean, x.max):
        with pytest.raises(ShapeError, match="axis") as error:
            reduce(axis=axis)
        assert "\n" not in str(error.value)


def test_integer_axes_and_numpy_integers_still_work():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.sum(axis=np.int64(1)).tolist() == [3.0, 12.0]
    assert x.sum(axis=[0, 1]).item() == 15.0
    assert x.reshape(np.int64(3), 2).shape == (3, 2)
    assert x.reshape((-1,)).shape == (6,)
    with pytest.raises(ShapeError, match="transpose"):
        x.transpose(0.5, 1)
    with pytest.raises(ShapeError, match="broadcast_to"):
        x.broadcast_to((2.5, 3))
