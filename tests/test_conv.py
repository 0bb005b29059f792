"""Convolution and pooling: values against direct loops, derivatives to order 2,
the adjoint identities (im2col and col2im are each other's transpose), and the errors."""

import numpy as np
import pytest

from tinygrad_ko import ShapeError, Tensor, gradcheck, jvp, vjp
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.tensor import avg_pool2d, col2im, conv2d, im2col, max_pool2d


# ------------------------------------------------------------------ loop oracles
def padded(x, padding, fill=0.0):
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)


def windows(x, kernel, stride, padding, fill=0.0):
    """Yield (p, q, window (N, C, KH, KW)) for every output position, by plain loops."""
    xp = padded(x, padding, fill)
    (kh, kw), (sh, sw) = kernel, stride
    oh = (xp.shape[2] - kh) // sh + 1
    ow = (xp.shape[3] - kw) // sw + 1
    for p in range(oh):
        for q in range(ow):
            yield p, q, oh, ow, xp[:, :, p * sh:p * sh + kh, q * sw:q * sw + kw]


def loop_conv2d(x, w, stride, padding):
    out = None
    for p, q, oh, ow, window in windows(x, w.shape[2:], stride, padding):
        if out is None:
            out = np.zeros((x.shape[0], w.shape[0], oh, ow))
        for n in range(x.shape[0]):
            for o in range(w.shape[0]):
                out[n, o, p, q] = np.sum(window[n] * w[o])
    return out


def loop_pool(x, kernel, stride, padding, reduce, fill):
    out = None
    for p, q, oh, ow, window in windows(x, kernel, stride, padding, fill):
        if out is None:
            out = np.zeros(x.shape[:2] + (oh, ow))
        out[:, :, p, q] = reduce(window, axis=(2, 3))
    return out


def loop_im2col(x, kernel, stride, padding):
    cols = None
    for p, q, oh, ow, window in windows(x, kernel, stride, padding):
        if cols is None:
            cols = np.zeros(x.shape[:2] + tuple(kernel) + (oh, ow))
        cols[..., p, q] = window
    return cols


GEOMETRIES = [  # (input shape, kernel, stride, padding)
    ((2, 3, 5, 5), (3, 3), (1, 1), (0, 0)),
    ((1, 2, 7, 6), (3, 2), (2, 1), (1, 0)),
    ((2, 1, 6, 6), (2, 2), (2, 2), (1, 1)),
]


@pytest.mark.parametrize("shape, kernel, stride, padding", GEOMETRIES)
def test_values_match_the_loops(shape, kernel, stride, padding, rng):
    x = rng.standard_normal(shape)
    w = rng.standard_normal((4, shape[1]) + kernel)
    np.testing.assert_allclose(conv2d(Tensor(x), Tensor(w), stride=stride, padding=padding).numpy(),
                               loop_conv2d(x, w, stride, padding), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(im2col(Tensor(x), kernel, stride, padding).numpy(),
                                  loop_im2col(x, kernel, stride, padding))
    pool_padding = tuple(min(p, k // 2) for p, k in zip(padding, kernel))
    np.testing.assert_array_equal(max_pool2d(Tensor(x), kernel, stride, pool_padding).numpy(),
                                  loop_pool(x, kernel, stride, pool_padding, np.max, -np.inf))
    np.testing.assert_allclose(avg_pool2d(Tensor(x), kernel, stride, padding).numpy(),
                               loop_pool(x, kernel, stride, padding, np.mean, 0.0), rtol=1e-12)


def test_conv2d_bias_is_added_per_output_channel(rng):
    x, w, b = rng.standard_normal((2, 2, 4, 4)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    with_bias = conv2d(Tensor(x), Tensor(w), Tensor(b), padding=1).numpy()
    without = conv2d(Tensor(x), Tensor(w), padding=1).numpy()
    np.testing.assert_allclose(with_bias - without, np.broadcast_to(b[:, None, None], with_bias.shape[1:])[None]
                               .repeat(2, axis=0), rtol=1e-12)


# ------------------------------------------------------------------ derivatives
FUNCTIONS = {
    "conv2d": (lambda x, w: conv2d(x, w, stride=(2, 1), padding=1), [(2, 2, 5, 4), (3, 2, 3, 2)]),
    "conv2d_bias": (lambda x, w, b: conv2d(x, w, b, stride=1, padding=0), [(1, 2, 4, 4), (2, 2, 2, 3), (2,)]),
    "im2col": (lambda x: im2col(x, (2, 3), (1, 2), (1, 1)), [(1, 2, 4, 5)]),
    "col2im": (lambda c: col2im(c, (1, 2, 4, 5), (2, 3), (1, 2), (1, 1)), [(1, 2, 2, 3, 5, 3)]),
    "max_pool2d": (lambda x: max_pool2d(x, 3, 2, 1), [(2, 2, 5, 5)]),
    "max_pool2d_overlapping": (lambda x: max_pool2d(x, 2, 1), [(1, 2, 4, 3)]),
    "avg_pool2d": (lambda x: avg_pool2d(x, (2, 3), (1, 2), (1, 1)), [(2, 1, 4, 5)]),
    # a curved function of a convolution: the second derivatives are not all zero
    "conv2d_tanh": (lambda x, w: conv2d(x, w, padding=1).tanh().sum(), [(1, 2, 3, 3), (2, 2, 3, 3)]),
    "conv_pool_conv": (lambda x, w, v: conv2d(max_pool2d(conv2d(x, w, padding=1), 2) ** 2, v),
                       [(1, 1, 4, 4), (2, 1, 3, 3), (1, 2, 2, 2)]),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradcheck_to_second_order_in_both_modes(name, rng):
    f, shapes = FUNCTIONS[name]
    # distinct values with gaps: no max-pool window is within a finite-difference step of a tie
    inputs = [rng.permutation(np.prod(s)).reshape(s) / np.prod(s) + rng.uniform(0, 1e-3, s) for s in shapes]
    assert gradcheck(f, *inputs, modes=("fwd", "rev"), order=2)


def inner(a, b) -> float:
    return float(np.sum(a.numpy() * b.numpy()))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_jvp_and_vjp_are_adjoint(name, rng):
    """<J v, u> = <v, Jᵀ u> for each input, forward mode against reverse mode."""
    f, shapes = FUNCTIONS[name]
    xs = [Tensor(rng.standard_normal(s)) for s in shapes]
    for position in range(len(xs)):
        def of_one(x):
            args = list(xs)
            args[position] = x
            return f(*args)

        v = Tensor(rng.standard_normal(xs[position].shape))
        out, jv = jvp(of_one, (xs[position],), (v,))
        u = Tensor(rng.standard_normal(out.shape))
        _, pullback = vjp(of_one, xs[position])
        (jtu,) = pullback(u)
        left, right = inner(jv, u), inner(v, jtu)
        assert abs(left - right) <= 1e-10 * (1 + abs(left)), (name, position, left, right)


@pytest.mark.parametrize("shape, kernel, stride, padding", GEOMETRIES)
def test_col2im_is_the_adjoint_of_im2col(shape, kernel, stride, padding, rng):
    """<im2col(x), c> = <x, col2im(c)>: the lesson behind every convolution's backward pass."""
    x = Tensor(rng.standard_normal(shape))
    cols = im2col(x, kernel, stride, padding)
    c = Tensor(rng.standard_normal(cols.shape))
    back = col2im(c, shape, kernel, stride, padding)
    assert back.shape == shape
    assert abs(inner(cols, c) - inner(x, back)) < 1e-10 * (1 + abs(inner(cols, c)))


def test_col2im_adds_overlapping_windows():
    """With stride 1 a pixel sits in several windows; col2im of all-ones counts them."""
    ones = Tensor(np.ones((1, 1, 2, 2, 2, 2)))
    counts = col2im(ones, (1, 1, 3, 3), 2, 1, 0).numpy()[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_max_pool_shares_a_tied_maximum_equally():
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 1, 2, 2), 0.25))


def test_max_pool_padding_never_wins():
    """A window of negative numbers and −∞ padding: the maximum is a real pixel."""
    x = Tensor(-np.arange(1.0, 5.0).reshape(1, 1, 2, 2), requires_grad=True)
    out = max_pool2d(x, 2, 1, 1)
    assert out.detach().numpy().max() == -1.0
    out.sum().backward()
    assert x.grad.numpy().sum() == out.size     # every window's gradient reached a pixel


def test_float32_stays_float32(rng):
    x = Tensor(rng.standard_normal((1, 1, 4, 4)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 1, 3, 3)).astype(np.float32), requires_grad=True)
    out = max_pool2d(conv2d(x, w, padding=1), 2) + avg_pool2d(conv2d(x, w, padding=1), 2)
    out.sum().backward()
    assert out.dtype == x.grad.dtype == w.grad.dtype == np.float32


def test_flops_are_counted():
    x, w = np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3))
    out = PRIMITIVES["conv2d"].forward(x, w, stride=(1, 1), padding=(0, 0))
    assert PRIMITIVES["conv2d"].flops(out, x, w, stride=(1, 1), padding=(0, 0)) == 2 * out.size * 27
    pooled = PRIMITIVES["max_pool2d"].forward(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0))
    assert PRIMITIVES["max_pool2d"].flops(pooled, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)) == 3 * pooled.size


# ------------------------------------------------------------------ errors
BAD = [
    (lambda: conv2d(Tensor(np.zeros((3, 4, 4))), Tensor(np.zeros((1, 3, 2, 2)))), "conv2d.*4 axes.*\\(3, 4, 4\\)"),
    (lambda: conv2d(Tensor(np.zeros((1, 3, 4, 4))), Tensor(np.zeros((1, 2, 2, 2)))), "conv2d.*3 channels.*expects 2"),
    (lambda: conv2d(Tensor(np.zeros((1, 1, 2, 2))), Tensor(np.zeros((1, 1, 3, 3)))), "conv2d: kernel \\(3, 3\\) is larger"),
    (lambda: conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((1, 1, 3)))), "conv2d: the weight"),
    (lambda: conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((2, 1, 3, 3))), Tensor(np.zeros(3))),
     "conv2d: bias shape \\(3,\\)"),
    (lambda: conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((1, 1, 3, 3))), stride=0), "conv2d: stride"),
    (lambda: conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((1, 1, 3, 3))), padding=1.5), "conv2d: padding"),
    (lambda: max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2), "max_pool2d: padding \\(2, 2\\)"),
    (lambda: max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), (2, 2, 2)), "max_pool2d: kernel size"),
    (lambda: avg_pool2d(Tensor(np.zeros((4, 4))), 2), "avg_pool2d.*4 axes"),
    (lambda: col2im(Tensor(np.zeros((1, 1, 2, 2, 3, 3))), (1, 1, 3, 3), 2), "col2im: columns of shape"),
    (lambda: im2col(Tensor(np.zeros((1, 1, 3, 3))), 4), "im2col: kernel \\(4, 4\\)"),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_shapes_raise_a_one_line_shape_error(make, message):
    with pytest.raises(ShapeError, match=message) as caught:
        make()
    assert "\n" not in str(caught.value)
