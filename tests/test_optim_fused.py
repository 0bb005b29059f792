"""The optimizers' fused-kernel path (what runs for parameters on "cuda").

On a GPU, SGD, Adam and GO-UP call ``backend.kernels``. Here the same code path
runs with the kernels' NumPy twins (``backend.kernel_reference``, the kernels'
specification, which tests/test_kernels.py checks each CUDA kernel against on a
GPU) put in their place, so the wiring — which buffers are passed, how the
state starts, how the step count and the noise counter advance — is checked on
every machine. On a GPU the last test runs the real kernels.
"""

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.backend import kernel_reference, philox
from tinygrad_ko.optim import GOUP, SGD, Adam
from tinygrad_ko.optim.optimizer import Optimizer

from gpu import needs_gpu


@pytest.fixture
def reference_kernels(monkeypatch):
    """Make every optimizer take the fused path with the NumPy twins of the kernels."""
    monkeypatch.setattr(Optimizer, "fused_kernels_for", staticmethod(lambda theta: kernel_reference))


def make_params(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [Tensor(rng.normal(size=shape).astype(dtype), requires_grad=True) for shape in [(4, 3), (3,)]]


def run_steps(make_optimizer, steps=5, seed=0):
    """Parameters after ``steps`` updates with fixed pseudo-random gradients."""
    params = make_params(seed)
    optimizer = make_optimizer(params)
    rng = np.random.default_rng(seed + 1)
    for _ in range(steps):
        for p in params:
            p.grad = Tensor(rng.normal(size=p.shape))
        optimizer.step()
    return [p.data.copy() for p in params]


OPTIMIZERS = {
    "sgd": lambda ps: SGD(ps, lr=0.1),
    "sgd-momentum-decay": lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    "adam": lambda ps: Adam(ps, lr=0.01),
    "adam-decay": lambda ps: Adam(ps, lr=0.01, weight_decay=0.1),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fused_path_gives_the_same_parameters_as_the_array_code(name, monkeypatch):
    plain = run_steps(OPTIMIZERS[name])
    monkeypatch.setattr(Optimizer, "fused_kernels_for", staticmethod(lambda theta: kernel_reference))
    fused = run_steps(OPTIMIZERS[name])
    start = make_params()
    for p_plain, p_fused, p_start in zip(plain, fused, start):
        assert not np.allclose(p_plain, p_start.data)           # the steps moved something
        np.testing.assert_allclose(p_fused, p_plain, rtol=1e-12, atol=1e-14)


def test_fused_goup_is_the_post_formula_with_philox_noise(reference_kernels):
    alpha, k, s = 0.05, 0.02, 0.7
    params = make_params()
    before = [p.data.copy() for p in params]
    grads = [np.full(p.shape, 0.3) for p in params]
    optimizer = GOUP(params, lr=alpha, k=k, noise_scale=s, seed=3)
    for p, g in zip(params, grads):
        p.grad = Tensor(g)
    optimizer.step()
    key = optimizer.philox_key
    assert key == int(np.random.default_rng(3).integers(2 ** 63))   # taken from the seeded generator
    for draw, (p, theta, g) in enumerate(zip(params, before, grads)):
        eps = philox.normal(theta.size, key, draw, dtype=theta.dtype).reshape(theta.shape)
        expected = (1 - k) * theta + alpha * (theta - g + s * (theta - g).std() * eps)
        np.testing.assert_allclose(p.data, expected, rtol=1e-12)
    assert optimizer.philox_draws == 2          # one draw per parameter per step


def test_fused_goup_draws_fresh_noise_each_step_and_a_seed_repeats_it(reference_kernels):
    def noise_of_two_steps(seed):
        params = make_params()
        optimizer = GOUP(params, lr=0.1, seed=seed)
        moves = []
        for _ in range(2):
            before = params[0].data.copy()
            for p in params:
                p.grad = Tensor(np.zeros(p.shape))
            optimizer.step()
            moves.append(params[0].data - before)
        return moves

    first, second = noise_of_two_steps(seed=0)
    assert not np.allclose(first, second)                                # new noise every step
    np.testing.assert_array_equal(noise_of_two_steps(seed=0)[1], second)  # the seed fixes it
    assert not np.allclose(noise_of_two_steps(seed=1)[0], first)


def test_cpu_parameters_do_not_take_the_fused_path():
    assert Optimizer.fused_kernels_for(np.zeros(3)) is None


@needs_gpu
@pytest.mark.parametrize("name", ["sgd-momentum-decay", "adam"])
def test_real_kernels_match_the_cpu_optimizer(name):
    plain = run_steps(OPTIMIZERS[name])
    params = [p.detach().to("cuda") for p in make_params()]   # leaves on the GPU
    for p in params:
        p.requires_grad = True
    optimizer = OPTIMIZERS[name](params)
    rng = np.random.default_rng(1)
    for _ in range(5):
        for p in params:
            p.grad = Tensor(rng.normal(size=p.shape)).to("cuda")
        optimizer.step()
    for got, expected in zip(params, plain):
        np.testing.assert_allclose(got.to("cpu").numpy(), expected, rtol=1e-10, atol=1e-12)
