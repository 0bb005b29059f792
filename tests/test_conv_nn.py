"""The image layers: Conv2d, MaxPool2d, AvgPool2d, Flatten, BatchNorm2d, and a tiny CNN that learns."""

import numpy as np
import pytest

from tinygrad_ko import ShapeError, Tensor, gradcheck, no_grad
from tinygrad_ko.data import load_dataset
from tinygrad_ko.nn import (AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU,
                            Sequential, cross_entropy)
from tinygrad_ko.optim import Adam
from tinygrad_ko.tensor import conv2d


def test_conv2d_layer_shapes_and_parameters(rng):
    layer = Conv2d(3, 5, (3, 2), stride=2, padding=1, rng=rng)
    assert layer.weight.shape == (5, 3, 3, 2) and layer.bias.shape == (5,)
    assert [p.shape for p in layer.parameters()] == [(5, 3, 3, 2), (5,)]
    x = Tensor(rng.standard_normal((2, 3, 7, 6)).astype(np.float32))
    assert layer(x).shape == (2, 5, 4, 4)
    np.testing.assert_allclose(layer(x).detach().numpy(),
                               conv2d(x, layer.weight, layer.bias, 2, 1).detach().numpy())
    assert Conv2d(3, 5, 3, bias=False).bias is None


def test_conv2d_init_uses_the_convolution_fan_in(rng):
    """He uniform: bound √(6 / fan_in) with fan_in = C·KH·KW (not out_channels·KH·KW)."""
    layer = Conv2d(16, 2, 3, rng=rng, dtype=np.float64)
    bound = np.sqrt(6 / (16 * 9))
    weights = layer.weight.numpy()
    assert np.abs(weights).max() <= bound and np.abs(weights).max() > 0.8 * bound


def test_pool_layers_and_flatten(rng):
    x = Tensor(rng.standard_normal((2, 3, 6, 6)))
    assert MaxPool2d(2)(x).shape == (2, 3, 3, 3)
    assert MaxPool2d(3, 2, 1)(x).shape == (2, 3, 3, 3)
    np.testing.assert_allclose(AvgPool2d(2)(x).numpy(), x.numpy().reshape(2, 3, 3, 2, 3, 2).mean(axis=(3, 5)))
    assert Flatten()(x).shape == (2, 108)


def test_batchnorm2d_normalises_each_channel_over_batch_and_image(rng):
    norm = BatchNorm2d(3)
    assert isinstance(norm, BatchNorm1d)       # the same statistics machinery (and state handling)
    x = rng.standard_normal((4, 3, 5, 5)) * np.array([1.0, 3.0, 0.5])[None, :, None, None] + 2.0
    y = norm(Tensor(x)).detach().numpy()
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-6)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-3)
    n = 4 * 25
    np.testing.assert_allclose(norm.running_mean, 0.1 * x.mean(axis=(0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(norm.running_var, 0.9 + 0.1 * x.var(axis=(0, 2, 3)) * n / (n - 1), rtol=1e-5)
    norm.eval()
    expected = (x - norm.running_mean[None, :, None, None]) / np.sqrt(norm.running_var[None, :, None, None] + 1e-5)
    np.testing.assert_allclose(norm(Tensor(x)).detach().numpy(), expected, rtol=1e-5)


def test_batchnorm2d_gradients_second_order(rng):
    def f(x):
        return BatchNorm2d(2)(x).tanh()
    assert gradcheck(f, rng.standard_normal((2, 2, 2, 3)), order=2)


def test_layers_refuse_bad_shapes_with_one_line():
    with pytest.raises(ShapeError, match=r"BatchNorm2d\(3\) needs input of shape \(batch, 3, H, W\), got \(2, 4, 5, 5\)"):
        BatchNorm2d(3)(Tensor(np.zeros((2, 4, 5, 5))))
    with pytest.raises(ShapeError, match="conv2d: input shape .* has 2 channels"):
        Conv2d(3, 4, 3)(Tensor(np.zeros((1, 2, 5, 5))))
    with pytest.raises(ShapeError, match="Conv2d: kernel size"):
        Conv2d(3, 4, 0)


def test_a_tiny_cnn_learns_the_digits():
    """Conv → BN → ReLU → pool, twice, then Linear: well under the 90 % error of chance in 150 steps."""
    X_train, y_train = load_dataset("digits", "train")
    X_test, y_test = load_dataset("digits", "test")
    rng = np.random.default_rng(0)
    model = Sequential(Conv2d(1, 8, 3, padding=1, rng=rng), BatchNorm2d(8), ReLU(), MaxPool2d(2),
                       Conv2d(8, 8, 3, padding=1, rng=rng), BatchNorm2d(8), ReLU(), AvgPool2d(2),
                       Flatten(), Linear(8 * 2 * 2, 10, rng=rng))
    optimizer = Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        idx = rng.integers(0, len(X_train), 32)
        loss = cross_entropy(model(Tensor(X_train[idx].reshape(-1, 1, 8, 8))), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with no_grad():
        logits = model(Tensor(X_test.reshape(-1, 1, 8, 8))).numpy()
    error = 100 * np.mean(logits.argmax(axis=1) != y_test)
    assert error < 15, error
