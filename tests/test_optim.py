"""Optimizers: GO-UP bit for bit against its formula, its algebra, SGD/Adam against
hand-computed steps and PyTorch, the forward gradient, and the bad settings."""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, grad, nn
from tinygrad_ko.optim import GOUP, SGD, Adam, ForwardGradient, NoisySGD, OptimizerError
from tinygrad_ko.tensor.graph import observe


def fixed_tensors(dtype, seed=0):
    generator = np.random.default_rng(seed)
    theta = [generator.standard_normal((5, 4)).astype(dtype), generator.standard_normal(7).astype(dtype)]
    grads = [generator.standard_normal((5, 4)).astype(dtype), generator.standard_normal(7).astype(dtype)]
    return theta, grads


def as_parameters(arrays, grads):
    params = [nn.Parameter(a.copy()) for a in arrays]
    for p, g in zip(params, grads):
        p.grad = Tensor(g)
    return params


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("lr, k, noise_scale", [(0.03, None, 1.0), (0.1, 0.2, 0.5), (0.5, 0.05, 2.0)])
def test_goup_equals_the_post_formula_bit_for_bit(dtype, lr, k, noise_scale):
    theta, grads = fixed_tensors(dtype)
    params = as_parameters(theta, grads)
    optimizer = GOUP(params, lr=lr, k=k, noise_scale=noise_scale, seed=42)
    reference = np.random.default_rng(42)
    k = lr if k is None else k
    for step in range(3):
        expected = []
        for t, g in zip(theta, grads):
            eps = reference.standard_normal(t.shape, dtype=dtype)
            expected.append((1 - k) * t + lr * (t - g + noise_scale * np.std(t - g) * eps))
        optimizer.step()
        for p, e in zip(params, expected):
            assert p.dtype == dtype
            assert np.array_equal(p.numpy(), e), f"step {step}: GO-UP differs from the formula"
        theta = expected


def test_goup_with_k_equal_lr_is_gradient_descent_plus_gaussian_noise():
    theta, grads = fixed_tensors(np.float64, seed=1)
    lr = 0.07
    params = as_parameters(theta, grads)
    GOUP(params, lr=lr, seed=3).step()
    eps_stream = np.random.default_rng(3)
    for p, t, g in zip(params, theta, grads):
        eps = eps_stream.standard_normal(t.shape)
        identity = t - lr * g + lr * np.std(t - g) * eps          # θ − α·g + α·std(θ − g)·ε
        np.testing.assert_allclose(p.numpy(), identity, rtol=0, atol=1e-15)


def test_goup_without_noise_is_sgd_and_with_other_k_adds_weight_decay():
    theta, grads = fixed_tensors(np.float64, seed=2)
    lr, k = 0.1, 0.3
    goup = as_parameters(theta, grads)
    GOUP(goup, lr=lr, k=k, noise_scale=0.0).step()
    sgd = as_parameters(theta, grads)
    SGD(sgd, lr=lr, weight_decay=(k - lr) / lr).step()            # θ − α(g + ((k − α)/α)·θ)
    for a, b in zip(goup, sgd):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-14, atol=1e-15)


def test_goup_spread_grows_like_one_plus_lr_squared_to_the_half_steps():
    """With no gradient, std(θ) grows by (1 + α²)^(T/2): the reason GO-UP blows up."""
    lr, steps = 0.1, 100
    theta = nn.Parameter(np.random.default_rng(0).uniform(-1, 1, 200_000))
    optimizer = GOUP([theta], lr=lr, seed=0)
    start = theta.numpy().std()
    for _ in range(steps):
        theta.grad = Tensor(np.zeros_like(theta.data))
        optimizer.step()
    assert theta.numpy().std() / start == pytest.approx((1 + lr ** 2) ** (steps / 2), rel=0.01)


def test_goup_seed_fixes_the_noise():
    theta, grads = fixed_tensors(np.float32)
    runs = []
    for seed in (5, 5, 6):
        params = as_parameters(theta, grads)
        GOUP(params, lr=0.1, seed=seed).step()
        runs.append(params[0].numpy())
    assert np.array_equal(runs[0], runs[1]) and not np.array_equal(runs[0], runs[2])


def test_noisy_sgd_freezes_the_noise_size_at_goups_first_step():
    theta, grads = fixed_tensors(np.float64)
    params = as_parameters(theta, grads)
    optimizer = NoisySGD(params, lr=0.1, seed=0)
    optimizer.step()
    matched = [0.1 * np.std(t - g) for t, g in zip(theta, grads)]
    assert [s["noise_std"] for s in optimizer.state] == pytest.approx(matched)
    eps = np.random.default_rng(0).standard_normal(theta[0].shape)
    np.testing.assert_allclose(params[0].numpy(), theta[0] - 0.1 * grads[0] + matched[0] * eps, rtol=1e-14)
    params[0].data *= 10                                 # the weights spread out …
    optimizer.step()
    assert optimizer.state[0]["noise_std"] == pytest.approx(matched[0])   # … the noise does not


def test_sgd_momentum_and_weight_decay_by_hand():
    p = nn.Parameter(np.array([1.0, -2.0]))
    optimizer = SGD([p], lr=0.1, momentum=0.9, weight_decay=0.5)
    for g in ([1.0, 1.0], [0.0, 2.0]):
        p.grad = Tensor(np.array(g))
        optimizer.step()
    # step 1: g' = g + 0.5θ = [1.5, 0];  v = g';          θ = [0.85, -2]
    # step 2: g' = [0.425, 1];           v = 0.9v + g' = [1.775, 1];  θ = [0.6725, -2.1]
    np.testing.assert_allclose(p.numpy(), [0.6725, -2.1], rtol=1e-14)


def test_adam_first_step_moves_each_coordinate_by_lr():
    p = nn.Parameter(np.array([1.0, 1.0, 1.0]))
    p.grad = Tensor(np.array([1e-3, -5.0, 0.0]))
    Adam([p], lr=0.01).step()
    # m̂ / (√v̂ + eps) = g / (|g| + eps): a step of lr whatever the size of g (0 stays 0).
    expected = [1 - 0.01 * 1e-3 / (1e-3 + 1e-8), 1 + 0.01 * 5 / (5 + 1e-8), 1.0]
    np.testing.assert_allclose(p.numpy(), expected, rtol=1e-14)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_sgd_and_adam_match_torch(name):
    torch = pytest.importorskip("torch", reason="PyTorch is the optional oracle")
    theta, grads = fixed_tensors(np.float64)
    ours = as_parameters(theta, grads)
    theirs = [torch.tensor(t.copy(), requires_grad=True) for t in theta]
    settings = {"SGD": dict(lr=0.1, momentum=0.9, weight_decay=0.01),
                "Adam": dict(lr=0.01, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.01)}[name]
    ours_opt = {"SGD": SGD, "Adam": Adam}[name](ours, **settings)
    theirs_opt = getattr(torch.optim, name)(theirs, **settings)
    for step in range(4):
        for o, t, g in zip(ours, theirs, grads):
            o.grad = Tensor(g * (step + 1))
            t.grad = torch.tensor(g * (step + 1))
        ours_opt.step()
        theirs_opt.step()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make", [
    lambda p, lr: SGD(p, lr), lambda p, lr: Adam(p, lr), lambda p, lr: GOUP(p, lr),
    lambda p, lr: NoisySGD(p, lr)])
@pytest.mark.parametrize("lr", [-0.1, math.nan, math.inf])
def test_negative_or_non_finite_learning_rate_is_one_clear_error(make, lr):
    with pytest.raises(OptimizerError, match=r"^lr \(the learning rate\) must be a finite number ≥ 0"):
        make([nn.Parameter(1.0)], lr)


def test_other_bad_settings():
    with pytest.raises(OptimizerError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(OptimizerError, match=r"momentum must be a finite number in \[0, 1\)"):
        SGD([nn.Parameter(1.0)], lr=0.1, momentum=1.0)
    with pytest.raises(OptimizerError, match=r"k .* in \(0, 1\], got 2"):
        GOUP([nn.Parameter(1.0)], lr=0.1, k=2.0)
    with pytest.raises(OptimizerError, match="requires_grad"):
        SGD([Tensor(1.0)], lr=0.1)
    with pytest.raises(OptimizerError, match="directions"):
        ForwardGradient(0)


# ------------------------------------------------------------- forward gradient
def quadratic_loss(a, b):
    return (a * a * 3.0).sum() + (a * b).sum() + (b.sin()).sum()


def test_forward_gradient_is_the_directional_derivative_times_the_direction():
    a = nn.Parameter(np.array([0.5, -1.0, 2.0]))
    b = nn.Parameter(np.array([0.3, 0.1, -0.7]))
    estimator = ForwardGradient(directions=1, seed=0)
    directions = ForwardGradient(directions=1, seed=0).random_tangents([a, b])
    estimator(quadratic_loss, [a, b])
    true = grad(quadratic_loss, (0, 1))(a.numpy(), b.numpy())
    slope = sum(float((g.numpy() * v.numpy()).sum()) for g, v in zip(true, directions))
    for p, v in zip((a, b), directions):
        np.testing.assert_allclose(p.grad.numpy(), slope * v.numpy(), rtol=1e-12)


def test_forward_gradient_averages_to_the_true_gradient():
    a = nn.Parameter(np.array([0.5, -1.0, 2.0]))
    b = nn.Parameter(np.array([0.3, 0.1, -0.7]))
    ForwardGradient(directions=1_000, seed=1)(quadratic_loss, [a, b])
    true = grad(quadratic_loss, (0, 1))(a.numpy(), b.numpy())
    estimate = np.concatenate([a.grad.numpy(), b.grad.numpy()])
    exact = np.concatenate([g.numpy() for g in true])
    # E‖ĝ − g‖² = (n + 1)‖g‖² / K for n = 6, K = 1,000: an error of about 8 % of ‖g‖.
    # (Uniform instead of Gaussian directions would be off by 67 %, a missing 1/K by 1000×.)
    assert np.linalg.norm(estimate - exact) < 0.2 * np.linalg.norm(exact)


def test_forward_gradient_runs_no_reverse_pass_and_counts_its_passes():
    model = nn.MLP([4, 3, 2], rng=np.random.default_rng(0))
    names = [n for n, _ in model.named_parameters()]
    x, y = Tensor(np.random.default_rng(1).random((5, 4))), np.array([0, 1, 1, 0, 1])

    def loss_of(*params):
        return nn.cross_entropy(nn.functional_call(model, dict(zip(names, params)), x), y)

    phases = []
    estimator = ForwardGradient(directions=3, seed=0)
    with observe(lambda op, out, inputs, params, phase: phases.append(phase)):
        loss = estimator(loss_of, model.parameters())
    assert estimator.jvp_passes == 3
    assert phases.count("vjp") == 0 and phases.count("jvp") > 0
    assert loss.item() == pytest.approx(loss_of(*model.parameters()).item())
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())
