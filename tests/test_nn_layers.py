"""Every layer and loss checked against finite differences (both modes), the LSTM
against a hand-unrolled NumPy version, and the losses against golden values."""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, gradcheck, nn
from tinygrad_ko.errors import ShapeError

F64 = np.float64


def as_function_of_parameters(module, *inputs):
    """module's output as a function of (its parameters..., inputs...), for gradcheck."""
    names = [name for name, _ in module.named_parameters()]

    def f(*tensors):
        params, xs = tensors[:len(names)], tensors[len(names):]
        out = nn.functional_call(module, dict(zip(names, params)), *xs)
        return out[0] if isinstance(out, tuple) else out
    return f, [p.numpy() for p in module.parameters()] + list(inputs)


def rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(bias):
    layer = nn.Linear(3, 2, bias=bias, rng=rng(), dtype=F64)
    f, inputs = as_function_of_parameters(layer, rng(1).standard_normal((4, 3)))
    assert gradcheck(f, *inputs)


def test_linear_computes_x_w_plus_b():
    layer = nn.Linear(2, 1, dtype=F64)
    layer.weight.data[...] = [[2.0], [3.0]]
    layer.bias.data[...] = [0.5]
    assert layer(Tensor(np.array([[1.0, 1.0]]))).item() == 5.5
    with pytest.raises(ShapeError, match=r"its last axis must be 2"):
        layer(Tensor(np.ones((1, 3))))


@pytest.mark.parametrize("activation", [nn.ReLU, nn.Tanh, nn.Sigmoid])
def test_activation_gradcheck_to_second_order(activation):
    x = rng(2).standard_normal((3, 4)) + 0.05   # keep ReLU's inputs away from its kink
    assert gradcheck(activation(), x, order=2)


def test_mlp_gradcheck():
    model = nn.MLP([3, 4, 2], activation="tanh", rng=rng(), dtype=F64)
    f, inputs = as_function_of_parameters(model, rng(3).standard_normal((2, 3)))
    assert gradcheck(f, *inputs)


def test_mlp_builds_the_layers_it_says():
    model = nn.MLP([64, 32, 16, 10])
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert [layer.out_features for layer in model.linear_layers()] == [32, 16, 10]
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        nn.MLP([2, 2], activation="gelu")
    with pytest.raises(ShapeError):
        nn.MLP([5])


def test_lstm_cell_gradcheck_for_weights_inputs_and_state():
    cell = nn.LSTMCell(3, 2, rng=rng(), dtype=F64)
    x, h, c = rng(4).standard_normal((2, 3)), rng(5).standard_normal((2, 2)), rng(6).standard_normal((2, 2))
    names = [name for name, _ in cell.named_parameters()]

    for output in (0, 1):     # h' and c'
        def step(weight, bias, x, h, c, output=output):
            return nn.functional_call(cell, dict(zip(names, (weight, bias))), x, (h, c))[output]
        assert gradcheck(step, cell.weight.numpy(), cell.bias.numpy(), x, h, c)


def test_lstm_over_a_sequence_gradcheck():
    lstm = nn.LSTM(2, 2, rng=rng(), dtype=F64)
    xs = rng(7).standard_normal((3, 2, 2))
    f, inputs = as_function_of_parameters(lstm, xs)
    assert gradcheck(f, *inputs)


def numpy_lstm(xs, weight, bias, hidden):
    """The LSTM equations written out by hand, one step at a time, in NumPy."""
    sigmoid = lambda z: 1 / (1 + np.exp(-z))            # noqa: E731
    h = np.zeros((xs.shape[1], hidden))
    c = np.zeros((xs.shape[1], hidden))
    outputs = []
    for x in xs:
        z = np.concatenate([x, h], axis=1) @ weight + bias
        i, f, g, o = (z[:, k * hidden:(k + 1) * hidden] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs), h, c


def test_lstm_matches_the_hand_unrolled_numpy_version():
    lstm = nn.LSTM(5, 4, rng=rng(8), dtype=F64)
    xs = rng(9).standard_normal((6, 3, 5))
    outputs, (h, c) = lstm(Tensor(xs))
    weight, bias = lstm.cell.weight.numpy(), lstm.cell.bias.numpy()
    expected_outputs, expected_h, expected_c = numpy_lstm(xs, weight, bias, hidden=4)
    np.testing.assert_allclose(outputs.detach().numpy(), expected_outputs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(h.detach().numpy(), expected_h, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c.detach().numpy(), expected_c, rtol=1e-12, atol=1e-14)
    assert outputs.shape == (6, 3, 4)


def test_lstm_state_carries_over_between_calls():
    lstm = nn.LSTM(2, 3, rng=rng(), dtype=F64)
    xs = Tensor(rng(1).standard_normal((4, 1, 2)))
    whole, _ = lstm(xs)
    _, state = lstm(xs[0:2])
    second_half, _ = lstm(xs[2:4], state)
    np.testing.assert_allclose(second_half.detach().numpy(), whole.detach().numpy()[2:4], rtol=1e-12)


def test_lstm_forget_bias_starts_at_one():
    cell = nn.LSTMCell(2, 3)
    assert cell.bias.numpy().tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]


def test_batchnorm_gradcheck_in_training_mode():
    norm = nn.BatchNorm1d(3, dtype=F64)
    norm.weight.data[...] = [1.0, 2.0, -0.5]
    f, inputs = as_function_of_parameters(norm, rng(10).standard_normal((4, 3)))
    assert gradcheck(f, *inputs)


def test_batchnorm_normalises_in_training_and_uses_running_statistics_in_eval():
    norm = nn.BatchNorm1d(2, momentum=0.5, dtype=F64)
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    y = norm(Tensor(x)).detach().numpy()
    np.testing.assert_allclose(y, [[-1, -1], [1, 1]], atol=1e-4)
    np.testing.assert_allclose(norm.running_mean, [1.0, 10.0])           # 0.5·0 + 0.5·[2, 20]
    np.testing.assert_allclose(norm.running_var, [0.5 + 0.5 * 2.0, 0.5 + 0.5 * 200.0])
    norm.eval()
    one = norm(Tensor(x[:1])).detach().numpy()
    np.testing.assert_allclose(one, (x[:1] - norm.running_mean) / np.sqrt(norm.running_var + 1e-5))


def test_mse_loss_golden_and_gradcheck():
    assert nn.mse_loss(Tensor([1.0, 2.0, 3.0]), [1.0, 0.0, 0.0]).item() == pytest.approx(13 / 3)
    target = rng(11).standard_normal((2, 3))
    assert gradcheck(lambda p: nn.mse_loss(p, target), rng(12).standard_normal((2, 3)), order=2)
    with pytest.raises(ShapeError, match="must match"):
        nn.mse_loss(Tensor([1.0, 2.0]), [1.0])


def test_cross_entropy_golden_values():
    uniform = Tensor(np.zeros((3, 10)))
    assert nn.cross_entropy(uniform, [0, 4, 9]).item() == pytest.approx(math.log(10))
    logits = np.array([[2.0, 1.0, 0.1]])
    expected = -math.log(math.exp(2.0) / (math.exp(2.0) + math.exp(1.0) + math.exp(0.1)))
    assert nn.cross_entropy(Tensor(logits, dtype=F64), [0]).item() == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = Tensor(np.array([[1000.0, 0.0], [0.0, -1000.0]], dtype=np.float32), requires_grad=True)
    loss = nn.cross_entropy(logits, [1, 1])
    loss.backward()
    assert loss.item() == pytest.approx((1000 + 1000) / 2)
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5], [0.5, -0.5]], atol=1e-6)


def test_cross_entropy_gradient_is_softmax_minus_onehot_and_passes_gradcheck():
    logits = rng(13).standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    tensor = Tensor(logits, requires_grad=True)
    nn.cross_entropy(tensor, labels).backward()
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(tensor.grad.numpy(), (softmax - np.eye(3)[labels]) / 4, rtol=1e-12)
    assert gradcheck(lambda z: nn.cross_entropy(z, labels), logits, order=2)


def test_cross_entropy_rejects_bad_labels():
    logits = Tensor(np.zeros((2, 3)))
    with pytest.raises(ShapeError, match=r"lie in 0..2"):
        nn.cross_entropy(logits, [0, 3])
    with pytest.raises(ShapeError, match=r"expected \(2,\)"):
        nn.cross_entropy(logits, [0])
    with pytest.raises(ShapeError, match="integers"):
        nn.cross_entropy(logits, [0.5, 1.0])


def test_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is the optional oracle")
    logits = rng(14).standard_normal((5, 4))
    labels = np.array([3, 0, 1, 1, 2])
    ours = nn.cross_entropy(Tensor(logits), labels).item()
    theirs = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
    assert ours == pytest.approx(theirs, rel=1e-12)
