"""Differential test against PyTorch: 1,000 random expression graphs, four checks each.

Each graph is a small random program over 2–3 float64 inputs of broadcastable
shapes: every step applies one operation (every primitive in the registry and
every composite built on them) to earlier nodes, chosen so that nodes are used
more than once, shapes broadcast, and integer indices repeat. The same program
runs in both engines, and four things must agree:

* the value                      f(x)
* the VJP                        uᵀ J for a random cotangent u
* the JVP                        J v for a random tangent v (ours: forward mode;
                                 torch: the derivative of uᵀJ with respect to u)
* the second order               ∇ₓ ⟨∇ₓ⟨u, f⟩, w⟩, a Hessian-vector product
                                 (ours: reverse over reverse; torch: double backward)

Some inputs hold an exact 0, where x ** k (k = 0 … 3) has exact derivatives of
every order (torch gives them; a naive rule gives 0 · ∞ = NaN). Otherwise
inputs stay in each operation's domain: log, sqrt, log1p, the base of a real
power and a denominator get a node that is away from 0 (or ``v·v + 0.5``
of one), exp and cosh-like growth get a bounded node, |x| and relu never see
an exact 0, where derivatives differ by convention. Seeded: the same 1,000
graphs on every run.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ko as tg
from tinygrad_ko import Tensor
from tinygrad_ko.nn import cross_entropy, mse_loss
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.tensor.chain_rule import apply
from tinygrad_ko.tensor.graph import observe

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install -e '.[peers]'); "
                                           "the differential test needs it as the oracle")
F = torch.nn.functional

GRAPHS = 1000
SEED = 20261206
RTOL, ATOL = 1e-9, 1e-11
# to_device needs a second device; on a CPU-only machine it is never applied (x.to("cpu") is x)
NOT_RUN_HERE = {"to_device"}


# ------------------------------------------------------------------ the operations
# name: (arity, ours(*nodes, **params), torch's(*nodes, **params))
def _ours_identity(x):
    return apply(PRIMITIVES["identity"], x)


def _torch_scatter(x, shape, rows):
    return torch.zeros(shape, dtype=x.dtype).index_put((torch.as_tensor(rows),), x, accumulate=True)


def _ours_lstm_cell(x, c):
    """The fused LSTM cell on gates built from two same-shape nodes (each gate sees x or c)."""
    return apply(PRIMITIVES["lstm_cell"], tg.concatenate([x, c, c, x], axis=-1), c)


def _torch_lstm_cell(x, c):
    """The LSTM cell written out in torch: i, f, o = σ(·), g = tanh(·), [h', c']."""
    i, f, g, o = torch.sigmoid(x), torch.sigmoid(c), torch.tanh(c), torch.sigmoid(x)
    c_next = f * c + i * g
    return torch.cat([o * torch.tanh(c_next), c_next], dim=-1)


def _image(x):
    """A 2-D node as a one-image, one-channel NCHW batch (ours and torch's alike)."""
    return x.reshape((1, 1) + tuple(x.shape))


def _ours_conv2d(x, w, stride, padding):
    out = tg.conv2d(_image(x), _image(w), stride=stride, padding=padding)
    return out.reshape(out.shape[2:])


def _torch_conv2d(x, w, stride, padding):
    return F.conv2d(_image(x), _image(w), stride=stride, padding=padding)[0, 0]


def _ours_im2col(x, kernel, stride, padding):
    """im2col of the node as an image, laid out like torch's unfold: (KH·KW, OH·OW)."""
    cols = tg.im2col(_image(x), kernel, stride, padding)
    return cols.reshape(kernel[0] * kernel[1], -1)


def _ours_col2im(x):
    """The node (r, c) as c overlapping 1 × r windows along a row: col2im adds them into (1, c + r − 1)."""
    r, c = x.shape
    out = tg.col2im(x.reshape(1, 1, 1, r, 1, c), (1, 1, 1, c + r - 1), (1, r))
    return out.reshape(1, c + r - 1)


def _torch_col2im(x):
    r, c = x.shape
    return F.fold(x.reshape(1, r, c), output_size=(1, c + r - 1), kernel_size=(1, r))[0, 0]


OPS = {
    "add": (2, lambda x, y: x + y, lambda x, y: x + y),
    "sub": (2, lambda x, y: x - y, lambda x, y: x - y),
    "mul": (2, lambda x, y: x * y, lambda x, y: x * y),
    "div": (2, lambda x, y: x / y, lambda x, y: x / y),
    "pow": (2, lambda x, y: x ** y, lambda x, y: x ** y),
    "square": (1, lambda x: x ** 2, lambda x: x ** 2),
    "square_plus_half": (1, lambda x: x * x + 0.5, lambda x: x * x + 0.5),
    "cube": (1, lambda x: x ** 3, lambda x: x ** 3),
    "integer_power": (1, lambda x, k: x ** k, lambda x, k: x ** k),
    "rpow": (1, lambda x: 2.0 ** x, lambda x: 2.0 ** x),
    "neg": (1, lambda x: -x, lambda x: -x),
    "exp": (1, lambda x: x.exp(), torch.exp),
    "log": (1, lambda x: x.log(), torch.log),
    "log1p": (1, lambda x: x.log1p(), torch.log1p),
    "sin": (1, lambda x: x.sin(), torch.sin),
    "cos": (1, lambda x: x.cos(), torch.cos),
    "sqrt": (1, lambda x: x.sqrt(), torch.sqrt),
    "tanh": (1, lambda x: x.tanh(), torch.tanh),
    "relu": (1, lambda x: x.relu(), torch.relu),
    "abs": (1, lambda x: x.abs(), torch.abs),
    "sigmoid": (1, lambda x: x.sigmoid(), torch.sigmoid),
    "softplus": (1, lambda x: x.softplus(), F.softplus),
    "log_sigmoid": (1, lambda x: x.log_sigmoid(), F.logsigmoid),
    "where": (3, lambda c, x, y: tg.where(c > 0, x, y), lambda c, x, y: torch.where(c > 0, x, y)),
    "cast": (1, lambda x: x.cast(np.float32).cast(np.float64), lambda x: x.float().double()),
    "identity": (1, _ours_identity, lambda x: x.clone()),
    "sum": (1, lambda x, axis, keepdims: x.sum(axis, keepdims=keepdims),
            lambda x, axis, keepdims: x.sum(dim=tuple(range(x.ndim)) if axis is None else axis, keepdim=keepdims)),
    "mean": (1, lambda x, axis: x.mean(axis), lambda x, axis: x.mean(dim=axis)),
    "max": (1, lambda x, axis: x.max(axis), lambda x, axis: x.amax(dim=axis)),
    "logsumexp": (1, lambda x, axis: tg.logsumexp(x, axis), lambda x, axis: torch.logsumexp(x, dim=axis)),
    "softmax": (1, lambda x, axis: tg.softmax(x, axis), lambda x, axis: torch.softmax(x, dim=axis)),
    "log_softmax": (1, lambda x, axis: tg.log_softmax(x, axis), lambda x, axis: torch.log_softmax(x, dim=axis)),
    "reshape": (1, lambda x, shape: x.reshape(shape), lambda x, shape: x.reshape(shape)),
    "flatten": (1, lambda x: x.flatten(), lambda x: x.flatten()),
    "transpose": (1, lambda x: x.T, lambda x: x.permute(*reversed(range(x.ndim)))),
    "swapaxes": (1, lambda x: x.swapaxes(0, -1), lambda x: x.swapaxes(0, -1)),
    "broadcast_to": (1, lambda x, shape: x.broadcast_to(shape), lambda x, shape: x.broadcast_to(shape)),
    "slice": (1, lambda x: x[::2], lambda x: x[::2]),
    "pick_rows": (1, lambda x, rows: x[rows], lambda x, rows: x[torch.as_tensor(rows)]),
    "scatter": (1, lambda x, shape, rows: x.scatter(shape, rows), _torch_scatter),
    "concatenate": (2, lambda x, y: tg.concatenate([x, y, x]), lambda x, y: torch.cat([x, y, x])),
    "stack": (2, lambda x, y: tg.stack([x, y], axis=-1), lambda x, y: torch.stack([x, y], dim=-1)),
    "matmul": (2, lambda x, y: x @ y, lambda x, y: x @ y),
    "mse_loss": (2, mse_loss, F.mse_loss),
    "lstm_cell": (2, _ours_lstm_cell, _torch_lstm_cell),
    "conv2d": (2, _ours_conv2d, _torch_conv2d),
    "im2col": (1, _ours_im2col,
               lambda x, kernel, stride, padding: F.unfold(_image(x), kernel, padding=padding, stride=stride)[0]),
    "col2im": (1, _ours_col2im, _torch_col2im),
    "max_pool2d": (1, lambda x, kernel, stride, padding: tg.max_pool2d(_image(x), kernel, stride, padding)[0, 0],
                   lambda x, kernel, stride, padding: F.max_pool2d(_image(x), kernel, stride, padding)[0, 0]),
    "avg_pool2d": (1, lambda x, kernel, stride, padding: tg.avg_pool2d(_image(x), kernel, stride, padding)[0, 0],
                   lambda x, kernel, stride, padding: F.avg_pool2d(_image(x), kernel, stride, padding)[0, 0]),
    "cross_entropy": (1, lambda x, labels: cross_entropy(x, labels),
                      lambda x, labels: F.cross_entropy(x, torch.as_tensor(labels))),
}


# ------------------------------------------------------------------ random programs
class Builder:
    """Grows one random program, evaluating it in our engine as it goes (for shapes and domains)."""

    def __init__(self, rng):
        self.rng = rng
        rows, cols = (int(n) for n in rng.integers(1, 4, 2))
        shapes = [(rows, cols), (cols,), (1, cols), (rows, 1), ()]
        count = int(rng.integers(2, 4))
        picked = [shapes[0]] + [shapes[int(i)] for i in rng.integers(0, len(shapes), count - 1)]
        self.inputs = [rng.standard_normal(shape) for shape in picked]
        for x in self.inputs:   # exact zeros, where x ** k must have exact derivatives of every order
            if x.size and rng.random() < 0.3:
                x.reshape(-1)[0] = 0.0
        self.values = [Tensor(x) for x in self.inputs]
        self.program: list[tuple[str, tuple[int, ...], dict]] = []

    def node(self, predicate=lambda v: True) -> int | None:
        """A random earlier node (recent ones likelier) whose value satisfies ``predicate``."""
        candidates = [i for i, value in enumerate(self.values) if predicate(value.numpy())]
        if not candidates:
            return None
        weights = np.array(candidates, dtype=float) + 1.0
        return int(self.rng.choice(candidates, p=weights / weights.sum()))

    def emit(self, name: str, operands: tuple[int, ...], **params) -> int:
        self.program.append((name, operands, params))
        self.values.append(OPS[name][1](*[self.values[i] for i in operands], **params))
        return len(self.values) - 1

    def positive_node(self, floor: float) -> int:
        """A node whose every entry exceeds ``floor`` — or v·v + 0.5 of some node."""
        found = self.node(lambda v: v.size > 0 and v.min() > floor + 0.1 and v.max() < 50)
        if found is not None:
            return found
        v = self.node(lambda v: v.size == 0 or np.abs(v).max() < 5)
        return self.emit("square_plus_half", (v if v is not None else 0,))

    def bounded_node(self, bound: float = 3.0) -> int:
        found = self.node(lambda v: np.abs(v).max() < bound)
        return found if found is not None else self.emit("tanh", (self.node(),))

    def away_from_zero_node(self) -> int:
        found = self.node(lambda v: v.size > 0 and np.abs(v).min() > 1e-3 and np.abs(v).max() < 50)
        return found if found is not None else self.positive_node(0.0)

    def broadcast_partner(self, first: int, predicate=lambda v: True) -> int:
        shape = self.values[first].shape

        def fits(v):
            try:
                np.broadcast_shapes(shape, v.shape)
            except ValueError:
                return False
            return predicate(v)
        found = self.node(fits)
        return found if found is not None else first

    def step(self) -> None:
        name = self.rng.choice(list(OPS))
        getattr(self, "_" + name, lambda: self._plain(name))()

    # -- one method per operation that needs care; the rest go through _plain
    def _plain(self, name):
        arity = OPS[name][0]
        first = self.node()
        if arity == 1:
            self.emit(name, (first,))
        else:
            self.emit(name, (first, self.broadcast_partner(first)))

    def _div(self):
        numerator = self.node()
        denominator = self.broadcast_partner(numerator, lambda v: v.size > 0 and np.abs(v).min() > 0.2)
        if np.abs(self.values[denominator].numpy()).min(initial=1) <= 0.2:
            denominator = self.positive_node(0.0)
            if not _broadcasts(self.values[numerator].shape, self.values[denominator].shape):
                numerator = denominator
        self.emit("div", (numerator, denominator))

    def _pow(self):
        base = self.positive_node(0.0)
        # not an exponent of exactly 0: there torch masks ∂z/∂x = y·x^(y−1) to 0 with a select,
        # which drops its y-derivative x^(y−1) (1/x at y = 0); ours keeps it (test_edge_pow.py)
        exponent = self.broadcast_partner(base, lambda v: np.abs(v).max() < 3 and np.abs(v).min() > 1e-3)
        if not 1e-3 < np.abs(self.values[exponent].numpy()).min(initial=1) <= np.abs(self.values[exponent].numpy()).max(initial=0) < 3:
            exponent = base
        self.emit("pow", (base, exponent))

    def _rpow(self):
        self.emit("rpow", (self.bounded_node(),))

    def _exp(self):
        self.emit("exp", (self.bounded_node(),))

    def _integer_power(self):
        self.emit("integer_power", (self.bounded_node(),), k=float(self.rng.integers(0, 4)))

    def _cube(self):
        self.emit("cube", (self.bounded_node(),))

    def _square(self):
        self.emit("square", (self.bounded_node(10),))

    def _log(self):
        self.emit("log", (self.positive_node(0.0),))

    def _sqrt(self):
        self.emit("sqrt", (self.positive_node(0.0),))

    def _log1p(self):
        self.emit("log1p", (self.positive_node(-0.5),))

    def _relu(self):
        self.emit("relu", (self.away_from_zero_node(),))

    def _abs(self):
        self.emit("abs", (self.away_from_zero_node(),))

    def _where(self):
        condition = self.away_from_zero_node()
        x = self.broadcast_partner(condition)
        y = self.broadcast_partner(x)
        if not _broadcasts(self.values[condition].shape, self.values[y].shape):
            y = x
        self.emit("where", (condition, x, y))

    def _axis_of(self, index):
        ndim = self.values[index].ndim
        return None if ndim == 0 or self.rng.random() < 0.3 else int(self.rng.integers(-ndim, ndim))

    def _sum(self):
        x = self.node()
        self.emit("sum", (x,), axis=self._axis_of(x), keepdims=bool(self.rng.random() < 0.5))

    def _mean(self):
        x = self.node()
        self.emit("mean", (x,), axis=self._axis_of(x))

    def _max(self):
        x = self.node(lambda v: v.size > 0 and v.ndim > 0)
        if x is not None:
            # the maximum is kinked where entries tie; broadcast copies tie on purpose (shared equally)
            axis = self._axis_of(x)
            axis = -1 if axis is None else axis
            self.emit("max", (x,), axis=axis)

    def _reduction_with_axis(self, name):
        x = self.node(lambda v: v.ndim > 0 and v.size > 0 and np.abs(v).max() < 50)
        if x is not None:
            self.emit(name, (x,), axis=int(self.rng.integers(-self.values[x].ndim, self.values[x].ndim)))

    def _logsumexp(self):
        self._reduction_with_axis("logsumexp")

    def _softmax(self):
        self._reduction_with_axis("softmax")

    def _log_softmax(self):
        self._reduction_with_axis("log_softmax")

    def _reshape(self):
        x = self.node()
        size = self.values[x].size
        options = [(size,), (1, size), (size, 1), (-1,)]
        self.emit("reshape", (x,), shape=options[int(self.rng.integers(len(options)))])

    def _transpose(self):
        x = self.node(lambda v: v.ndim >= 2)
        if x is not None:
            self.emit("transpose", (x,))

    def _swapaxes(self):
        x = self.node(lambda v: v.ndim >= 2)
        if x is not None:
            self.emit("swapaxes", (x,))

    def _broadcast_to(self):
        x = self.node(lambda v: v.ndim <= 2)
        shape = self.values[x].shape
        stretched = tuple(2 if n == 1 else n for n in shape)
        self.emit("broadcast_to", (x,), shape=(2,) + stretched)

    def _slice(self):
        x = self.node(lambda v: v.ndim >= 1)
        if x is not None:
            self.emit("slice", (x,))

    def _pick_rows(self):
        x = self.node(lambda v: v.ndim >= 1 and v.shape[0] > 0)
        if x is not None:
            rows = self.rng.integers(0, self.values[x].shape[0], 4)   # repeats on purpose
            self.emit("pick_rows", (x,), rows=rows)

    def _scatter(self):
        x = self.node(lambda v: v.ndim >= 1)
        if x is not None:
            shape = self.values[x].shape
            rows = self.rng.integers(0, 3, shape[0])                   # rows may collide: they add up
            self.emit("scatter", (x,), shape=(3,) + shape[1:], rows=rows)

    def _same_shape_pair(self, minimum_ndim):
        x = self.node(lambda v: v.ndim >= minimum_ndim)
        if x is None:
            return None
        shape = self.values[x].shape
        return x, self.node(lambda v: v.shape == shape)

    def _concatenate(self):
        pair = self._same_shape_pair(1)
        if pair is not None:
            self.emit("concatenate", pair)

    def _stack(self):
        pair = self._same_shape_pair(0)
        self.emit("stack", pair)

    def _lstm_cell(self):
        x = self.node(lambda v: v.ndim == 2 and v.size > 0)        # the cell takes (N, 4H) and (N, H)
        if x is not None:
            shape = self.values[x].shape
            self.emit("lstm_cell", (x, self.node(lambda v: v.shape == shape)))

    def _window(self, shape):
        """A random (kernel, stride, padding) for an image of ``shape``: padding at most half the kernel."""
        padding = int(self.rng.integers(0, 2))
        kernel = tuple(int(self.rng.integers(max(1, 2 * padding), n + 2 * padding + 1)) for n in shape)
        return kernel, int(self.rng.integers(1, 3)), padding

    def _conv2d(self):
        x = self.node(lambda v: v.ndim == 2 and v.size > 0)
        if x is None:
            return
        padding, stride = int(self.rng.integers(0, 2)), int(self.rng.integers(1, 3))
        limit = tuple(n + 2 * padding for n in self.values[x].shape)
        w = self.node(lambda v: v.ndim == 2 and v.size > 0 and v.shape[0] <= limit[0] and v.shape[1] <= limit[1])
        self.emit("conv2d", (x, x if w is None else w), stride=stride, padding=padding)

    def _windowed(self, name, predicate=lambda v: True):
        x = self.node(lambda v: v.ndim == 2 and v.size > 0 and predicate(v))
        if x is not None:
            kernel, stride, padding = self._window(self.values[x].shape)
            self.emit(name, (x,), kernel=kernel, stride=stride, padding=padding)

    def _im2col(self):
        self._windowed("im2col")

    def _avg_pool2d(self):
        self._windowed("avg_pool2d")

    def _max_pool2d(self):
        # distinct entries: at a tie torch sends the gradient to one of them, ours shares it equally
        self._windowed("max_pool2d", lambda v: np.unique(v).size == v.size)

    def _col2im(self):
        x = self.node(lambda v: v.ndim == 2 and v.size > 0)
        if x is not None:
            self.emit("col2im", (x,))

    def _mse_loss(self):
        self.emit("mse_loss", self._same_shape_pair(0))

    def _matmul(self):
        x = self.node(lambda v: 1 <= v.ndim <= 2 and v.size > 0)
        if x is None:
            return
        k = self.values[x].shape[-1]
        y = self.node(lambda v: 1 <= v.ndim <= 2 and v.shape[0] == k)
        if y is None:
            y = self.emit("transpose", (x,)) if self.values[x].ndim == 2 else x
        self.emit("matmul", (x, y))

    def _cross_entropy(self):
        x = self.node(lambda v: v.ndim == 2 and v.size > 0 and np.abs(v).max() < 50)
        if x is not None:
            rows, classes = self.values[x].shape
            self.emit("cross_entropy", (x,), labels=self.rng.integers(0, classes, rows))


def _broadcasts(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def build(seed: int) -> Builder:
    builder = Builder(np.random.default_rng(seed))
    for _ in range(int(builder.rng.integers(3, 8))):
        builder.step()
    return builder


def program_function(builder: Builder, framework: int):
    """The program as a function of its inputs, in our engine (1) or torch (2)."""
    def f(*xs):
        values = list(xs)
        for name, operands, params in builder.program:
            values.append(OPS[name][framework](*[values[i] for i in operands], **params))
        return values[-1]
    return f


# ------------------------------------------------------------------ the checks
def as_numpy(t):
    return t.detach().numpy(force=True)   # force: torch may answer with a lazy ZeroTensor


def torch_grads(output, inputs, cotangent, **kwargs):
    grads = torch.autograd.grad(output, inputs, cotangent, allow_unused=True, **kwargs)
    return [torch.zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]


def check(seed: int) -> Builder:
    builder = build(seed)
    arrays = builder.inputs
    ours, theirs = program_function(builder, 1), program_function(builder, 2)
    rng = np.random.default_rng(seed + 1)

    out = ours(*[Tensor(x) for x in arrays])
    u = rng.standard_normal(out.shape)
    v = [rng.standard_normal(x.shape) for x in arrays]
    w = [rng.standard_normal(x.shape) for x in arrays]
    where = f"graph {seed}: {builder.program}"
    # a float32 round trip (cast) rounds a cotangent in reverse mode but not the tangent
    # of forward mode: the two then agree to float32 precision only
    rtol = 1e-6 if any(name == "cast" for name, _, _ in builder.program) else RTOL

    xs = [torch.tensor(x, requires_grad=True) for x in arrays]
    out_t = theirs(*xs)
    np.testing.assert_allclose(out.numpy(), as_numpy(out_t), rtol, ATOL, err_msg=f"value, {where}")

    # VJP
    _, pullback = tg.vjp(ours, *[Tensor(x) for x in arrays])
    ours_vjp = pullback(Tensor(u))
    u_t = torch.tensor(u, requires_grad=True)
    theirs_vjp = torch_grads(out_t, xs, u_t, create_graph=True)
    for a, b in zip(ours_vjp, theirs_vjp):
        np.testing.assert_allclose(a.numpy(), as_numpy(b), rtol, ATOL, err_msg=f"VJP, {where}")

    # JVP: ours by forward mode; torch's as ∂/∂u of uᵀ J v
    _, ours_jvp = tg.jvp(ours, [Tensor(x) for x in arrays], [Tensor(t) for t in v])
    dot = sum((g * torch.tensor(t)).sum() for g, t in zip(theirs_vjp, v))
    theirs_jvp = torch_grads(dot, [u_t], None)[0] if dot.requires_grad else torch.zeros_like(u_t)
    np.testing.assert_allclose(ours_jvp.numpy(), as_numpy(theirs_jvp), rtol, ATOL, err_msg=f"JVP, {where}")

    # second order: ∇ₓ ⟨∇ₓ⟨u, f(x)⟩, w⟩
    positions = tuple(range(len(arrays)))

    def inner(*xs):
        return (ours(*xs) * Tensor(u)).sum()

    def gradient_along_w(*xs):
        gradients = tg.grad(inner, positions)(*xs)
        return sum((g * Tensor(t)).sum() for g, t in zip(gradients, w))

    ours_second = tg.grad(gradient_along_w, positions)(*[Tensor(x) for x in arrays])
    first = torch_grads((theirs(*xs) * torch.tensor(u)).sum(), xs, None, create_graph=True)
    along_w = sum((g * torch.tensor(t)).sum() for g, t in zip(first, w))
    theirs_second = torch_grads(along_w, xs, None) if along_w.requires_grad else [torch.zeros_like(x) for x in xs]
    for a, b in zip(ours_second, theirs_second):
        np.testing.assert_allclose(a.numpy(), as_numpy(b), rtol, ATOL, err_msg=f"second order, {where}")
    return builder


def test_a_thousand_random_graphs_agree_with_torch():
    seen_primitives: set[str] = set()
    seen_ops: set[str] = set()

    def note(primitive, *_):
        seen_primitives.add(primitive.name)

    with observe(note):
        for index in range(GRAPHS):
            seen_ops.update(name for name, _, _ in check(SEED + index).program)
    assert set(PRIMITIVES) - NOT_RUN_HERE <= seen_primitives, set(PRIMITIVES) - seen_primitives
    assert set(OPS) == seen_ops, set(OPS) - seen_ops

