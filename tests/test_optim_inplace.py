"""The in-place, block-by-block NumPy updates (optim/inplace.py) against the formulas
they replace, written out here as they were: the same bits, step after step, for
parameters smaller and larger than a block, 0-d ones, float32 and float64; and no
full-size temporary per step."""

import tracemalloc

import numpy as np
import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.optim import GOUP, SGD, Adam
from tinygrad_ko.optim import inplace

SHAPES = [(), (3,), (7, 5), (3 * inplace.BLOCK + 17,), (130, 260)]


def sgd_formula(theta, grad, state, lr, momentum, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * theta
    if momentum:
        velocity = state.get("velocity")
        if velocity is None:
            velocity = state["velocity"] = np.array(grad, copy=True)
        else:
            velocity *= momentum
            velocity += grad
        grad = velocity
    theta -= lr * grad


def adam_formula(theta, grad, state, lr, beta1, beta2, eps, weight_decay):
    if weight_decay:
        grad = grad + weight_decay * theta
    if not state:
        state.update(t=0, m=np.zeros_like(theta), v=np.zeros_like(theta))
    state["t"] += 1
    t, m, v = state["t"], state["m"], state["v"]
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    theta -= lr * m_hat / (np.sqrt(v_hat) + eps)


def goup_formula(theta, grad, rng, lr, k, noise_scale):
    target = theta - grad
    spread = target.std()
    noise = rng.standard_normal(theta.shape, dtype=theta.dtype)
    noise *= noise_scale * spread
    target += noise
    target *= lr
    theta *= 1 - k
    theta += target


def run_both(make_optimizer, formula, shape, dtype, steps=4):
    rng = np.random.default_rng(sum(shape) + 1)
    start = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape).astype(dtype) for _ in range(steps)]
    param = Tensor(start.copy(), requires_grad=True)
    optimizer = make_optimizer([param])
    reference, state = np.array(start, copy=True), {}
    for g in grads:
        param.grad = Tensor(g.copy())
        optimizer.step()
        formula(reference, g.copy(), state)
        np.testing.assert_array_equal(param.data, reference)
    return param


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.01), (0.8, 0.05)])
def test_sgd_in_blocks_equals_the_formula_bit_for_bit(shape, dtype, momentum, weight_decay):
    run_both(lambda p: SGD(p, lr=0.1, momentum=momentum, weight_decay=weight_decay),
             lambda th, g, st: sgd_formula(th, g, st, 0.1, momentum, weight_decay), shape, dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weight_decay", [0.0, 0.02])
def test_adam_in_blocks_equals_the_formula_bit_for_bit(shape, dtype, weight_decay):
    run_both(lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=weight_decay),
             lambda th, g, st: adam_formula(th, g, st, 0.01, 0.8, 0.99, 1e-6, weight_decay), shape, dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_goup_in_blocks_equals_the_formula_bit_for_bit(shape, dtype):
    rng = np.random.default_rng(5)
    run_both(lambda p: GOUP(p, lr=0.05, k=0.07, noise_scale=0.5, seed=5),
             lambda th, g, st: goup_formula(th, g, rng, 0.05, 0.07, 0.5), shape, dtype)


def test_a_parameter_that_is_not_contiguous_uses_the_formula():
    base = np.arange(12.0).reshape(3, 4)
    param = Tensor(base, requires_grad=True)
    param.data = param.data.T   # a transposed view: flat blocks of it would not write through
    param.grad = Tensor(np.ones((4, 3)))
    SGD([param], lr=0.5, momentum=0.9).step()
    np.testing.assert_array_equal(param.data, base.T - 0.5)


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: Adam(p, lr=0.01)], ids=["sgd", "momentum", "adam"])
def test_a_step_makes_no_full_size_temporary(make):
    param = Tensor(np.ones((512, 512), dtype=np.float32), requires_grad=True)
    param.grad = Tensor(np.full((512, 512), 0.5, dtype=np.float32))
    optimizer = make([param])
    optimizer.step()   # first step: state buffers and scratch are made
    tracemalloc.start()
    try:
        optimizer.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < param.data.nbytes / 8   # 1 MiB parameter; the step allocates (almost) nothing
