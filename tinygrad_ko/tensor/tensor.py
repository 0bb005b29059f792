"""Tensor: an array, its place in the graph, and its forward-mode tangents.

A Tensor made by an operation remembers the primitive, the inputs (in order)
and the parameters that produced it, when gradients are being recorded;
``t.node`` shows them, read-only (``t.node.op``, ``.inputs``, ``.params``,
``.value``, ``.grad``, ``.tangent``: see ``node.py``). A Tensor you create
yourself is a *leaf*; give it ``requires_grad=True`` and ``backward()`` will
store ∂L/∂leaf in its ``grad``.

Values and in-place changes (PyTorch's conventions): ``Tensor(array)`` copies
the array, so later writes to it change nothing here. ``numpy()`` gives a
read-only view of the value. A tensor has a version counter (``version``) that
every in-place change raises: assigning ``t.data = ...`` (``t.data -= ...``
included), or writing into ``t.writable_data()`` as the optimizers do. Each
recorded operation notes the versions of the tensors it saved, and backward
refuses, with ``StaleGraphError``, to use a graph whose saved values changed
since. (Writing into ``t.data[...]`` directly is not tracked, as in PyTorch.)

Gradient accumulation: ``backward()`` *adds* to ``.grad`` (as in PyTorch), so two
calls give the sum of both gradients; clear them with ``zero_grad()``. Only leaves
(and tensors you called ``retain_grad()`` on) keep a ``.grad``; the adjoints of
intermediate tensors are dropped as soon as backward has used them.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import ops, validate
from ..backend import (array_module, check_device, default_device, default_dtype, device_of,
                       move, to_float_array)
from ..errors import DTypeError, GradError, ShapeError
from . import chain_rule
from .chain_rule import apply
from .graph import STATE
from .node import GraphNode
from .version import Version, count_of, note_write, shared_version

P = ops.PRIMITIVES


class Tensor:
    """An n-dimensional array that records how it was computed.

    >>> a = Tensor(2.0, requires_grad=True, name="a")
    >>> e = (a + 1) * a
    >>> e.backward()
    >>> a.grad.item()
    5.0
    """

    __slots__ = ("_data", "_version", "requires_grad", "grad", "name", "_op", "_parents", "_params",
                 "_recorded_at", "_tangents", "_retains_grad", "_differentiated", "__weakref__")
    __array_ufunc__ = None  # NumPy defers to our operators: np.float64(2) * t is a Tensor

    def __init__(self, data, requires_grad: bool = False, name: str | None = None, dtype=None):
        source = data.data if isinstance(data, Tensor) else data
        array = to_float_array(source, dtype)
        if default_device() != "cpu":
            array = move(array, default_device())
        if array is source:  # still the caller's memory: copy, so their later writes change nothing here
            array = array.copy()
        if requires_grad and array.dtype.kind != "f":
            raise DTypeError(f"only floating tensors can require gradients, not {array.dtype}")
        self._data = array
        self._version = None   # version 0, shared with no one (see version.py)
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.name = name
        self._op = None
        self._parents = ()
        self._params = None
        self._recorded_at = 0   # the clock's tick when an operation recorded it (version.py)
        self._tangents = None
        self._retains_grad = False
        self._differentiated = False

    @staticmethod
    def _from_array(data, version: "Version | None" = None) -> "Tensor":
        """Wrap an array the engine computed (no copy, no dtype conversion, no checks).

        ``version``: the counter of the tensor whose memory ``data`` shares, if any
        (None: a new array, version 0).
        Always a plain Tensor, also when called on a Parameter: the chain rule
        makes new tensors as ``x._from_array(...)`` of a tensor it was given, so
        it never has to import this class (which imports it)."""
        tensor = object.__new__(Tensor)
        tensor._data = data
        tensor._version = version
        tensor.requires_grad = False
        tensor.grad = None
        tensor.name = None
        tensor._op = None
        tensor._parents = ()
        tensor._params = None
        tensor._recorded_at = 0
        tensor._tangents = None
        tensor._retains_grad = False
        tensor._differentiated = False
        return tensor

    # ---------------------------------------------------- value and version
    @property
    def data(self):
        """The value: a NumPy array (a CuPy array on the GPU), without a copy.

        Assigning to it (``t.data = new``, ``t.data -= step``) replaces the value
        and counts as an in-place change: the version goes up."""
        return self._data

    @data.setter
    def data(self, array) -> None:
        self._data = array
        # A counter of its own: tensors that shared the old memory keep the old one.
        self._version = Version(count_of(self))
        note_write(self._version)

    def writable_data(self):
        """The value's array itself, to change in place (an optimizer's update).

        Counts as a change: the version goes up now, so a graph that saved this
        tensor (or a view of its memory) refuses to backpropagate afterwards."""
        if isinstance(self._data, np.ndarray) and not self._data.flags.writeable:
            self._data = self._data.copy()  # a read-only view (of a broadcast, say): take a copy to write into
        note_write(shared_version(self))
        return self._data

    @property
    def version(self) -> int:
        """How many in-place changes this tensor's memory has seen (PyTorch's ``_version``)."""
        return count_of(self)

    # ----------------------------------------------------------- properties
    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return int(self._data.size)

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def device(self) -> str:
        """"cpu" (a NumPy array) or "cuda" (a CuPy array)."""
        return device_of(self._data)

    def to(self, device: str) -> "Tensor":
        """This tensor on ``device`` ("cpu" or "cuda"); differentiable, like any op."""
        device = check_device(device)
        if device == self.device:
            return self
        return apply(P["to_device"], self, device=device)

    def cpu(self) -> "Tensor":
        return self.to("cpu")

    def cuda(self) -> "Tensor":
        return self.to("cuda")

    @property
    def node(self) -> GraphNode:
        """This tensor's place in the graph, read-only: op, inputs, params, value, grad, tangent."""
        return GraphNode(self)

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded operation."""
        return self._op is None

    @property
    def op_name(self) -> str | None:
        """The name of the primitive that produced this tensor, if recorded."""
        return None if self._op is None else self._op.name

    @property
    def T(self) -> "Tensor":
        return self.transpose()

    @property
    def mT(self) -> "Tensor":
        """The matrix transpose: swap the last two axes."""
        if self.ndim < 2:
            raise ShapeError(f"mT needs a tensor with at least two axes, not shape {self.shape}")
        last_two_swapped = (*range(self.ndim - 2), self.ndim - 1, self.ndim - 2)
        return apply(P["transpose"], self, axes=last_two_swapped)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        """The tensor's entries along the first axis, each a Tensor (recorded like ``x[i]``),
        so ``list(x)``, ``for v in x``, ``zip`` and ``sum(x)`` work as on a NumPy array."""
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __hash__(self) -> int:
        return id(self)

    # ------------------------------------------------------------ conversion
    def numpy(self) -> np.ndarray:
        """The value as a NumPy array: a read-only view (a copy from the GPU).

        Refused (GradError) where a derivative is flowing through the tensor: a
        tensor computed from one that requires a gradient, the argument of a
        function that ``grad``/``vjp`` is differentiating, or one carrying a
        forward-mode tangent. An array has no graph, so whatever is computed
        from it would silently get a zero derivative. Use ``t.detach().numpy()``
        to take the value on purpose. A leaf you made yourself (a parameter)
        may be read: its value is what it is, and a path through NumPy leaves
        its ``.grad`` None, which shows.

        Read-only because a write into it would change the tensor behind the
        graph's back; to change a tensor, assign ``t.data`` or use
        ``writable_data()``; for an array of your own, ``t.numpy().copy()``."""
        if self.requires_grad and (self._op is not None or self._differentiated):
            raise GradError(
                "numpy() on a tensor that requires a gradient: the array leaves the graph, so "
                "nothing computed from it would get a gradient (it would silently be 0); "
                "use t.detach().numpy() to take the value")
        if self._tangents and any(level in STATE.open_levels for level in self._tangents):
            raise GradError(
                "numpy() on a tensor that carries a forward-mode tangent: the array drops it, so "
                "the derivative would silently be 0; use unpack_dual(t) or t.detach().numpy()")
        return self._host_array()

    def _host_array(self) -> np.ndarray:
        """The value as a read-only NumPy array, with no questions asked (printing, tolist)."""
        if array_module(self._data) is not np:
            return self._data.get()
        view = self._data.view()
        view.flags.writeable = False
        return view

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        """``np.array(x)``: the value as a NumPy array (the same checks as ``numpy()``)."""
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def item(self) -> float:
        """The value of a one-element tensor as a Python number."""
        if self.size != 1:
            raise ShapeError(f"item() needs a tensor with one element, not shape {self.shape}")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._host_array().tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ShapeError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                "use (t > 0).numpy().all() or .any()")
        return bool(self._data.reshape(()).item())

    def detach(self) -> "Tensor":
        """The same value, cut from the graph and from any forward-mode tangent."""
        out = Tensor._from_array(self._data, shared_version(self))  # shares the memory, so the counter too
        out.name = self.name
        if STATE.value_tracers:
            _tell_value_tracers(_same_array, out, (self,))
        return out

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Mark a leaf as needing a gradient (in place); returns the tensor."""
        if not self.is_leaf:
            raise GradError("requires_grad_ can only be set on a leaf; use detach() first")
        if requires_grad and self.dtype.kind != "f":
            raise DTypeError(f"only floating tensors can require gradients, not {self.dtype}")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> "Tensor":
        """Keep this intermediate tensor's adjoint in ``.grad`` after backward()."""
        if not self.requires_grad:
            raise GradError("retain_grad() on a tensor that does not require a gradient")
        self._retains_grad = True
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    def backward(self, seed=None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
        """Reverse mode: add ∂self/∂leaf (times ``seed``) to every leaf's ``.grad``.

        ``seed`` defaults to 1 for a one-element tensor; a larger output needs a
        seed of its shape (that computes a vector-Jacobian product). With
        ``create_graph=True`` the gradients are themselves recorded, so they can
        be differentiated again. The graph's saved values are released afterwards
        unless ``retain_graph=True`` (which defaults to ``create_graph``); a second
        backward through a released graph raises ``GraphFreedError``.
        """
        if seed is not None and not isinstance(seed, Tensor):
            seed = Tensor(seed, dtype=self.dtype)
        chain_rule.backward(self, seed, retain_graph=retain_graph, create_graph=create_graph)

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        if self._data.ndim == 0:
            body = f"{self._data.item():.6g}"
        else:
            body = np.array2string(self._host_array(), precision=4, separator=", ", threshold=20,
                                   prefix="Tensor(")
        extras = []
        if self._data.dtype != default_dtype():
            extras.append(f"dtype={self._data.dtype}")
        if self.name is not None:
            extras.append(f"name={self.name!r}")
        if self._op is not None:
            extras.append(f"op={self._op.name}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        if self.device != "cpu":
            extras.append(f"device={self.device!r}")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    # --------------------------------------------------------- construction
    def _lift(self, value) -> "Tensor":
        """A Python number or array as a constant Tensor of this tensor's dtype."""
        if isinstance(value, Tensor):
            return value
        if isinstance(value, (int, float, bool, np.number)):
            if type(self._data) is np.ndarray:  # the common case, without asking which module owns the array
                return Tensor._from_array(np.array(value, dtype=self._data.dtype))
            xp = array_module(self._data)
            return Tensor._from_array(xp.asarray(value, dtype=self.dtype))
        return Tensor(value)

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other):
        return apply(P["add"], self, self._lift(other))

    def __radd__(self, other):
        return apply(P["add"], self._lift(other), self)

    def __sub__(self, other):
        return apply(P["sub"], self, self._lift(other))

    def __rsub__(self, other):
        return apply(P["sub"], self._lift(other), self)

    def __mul__(self, other):
        return apply(P["mul"], self, self._lift(other))

    def __rmul__(self, other):
        return apply(P["mul"], self._lift(other), self)

    def __truediv__(self, other):
        return apply(P["div"], self, self._lift(other))

    def __rtruediv__(self, other):
        return apply(P["div"], self._lift(other), self)

    def __pow__(self, other):
        return apply(P["pow"], self, self._lift(other))

    def __rpow__(self, other):
        return apply(P["pow"], self._lift(other), self)

    def __neg__(self):
        return apply(P["neg"], self)

    def __pos__(self):
        return self

    def __matmul__(self, other):
        return self.matmul(self._lift(other))

    def __rmatmul__(self, other):
        return self._lift(other).matmul(self)

    # ---------------------------------------------- comparisons (no gradient)
    def _compare(self, other, compare) -> "Tensor":
        other_array = other.data if isinstance(other, Tensor) else other
        # asarray: on 0-d inputs NumPy returns a scalar, not an array
        out = Tensor._from_array(array_module(self._data).asarray(compare(self._data, other_array)))
        if STATE.value_tracers:
            _tell_value_tracers(compare, out, (self, other))
        return out

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def __invert__(self):
        if self.dtype != bool:
            raise DTypeError(f"~ (logical not) needs a bool tensor, not {self.dtype}")
        out = Tensor._from_array(array_module(self._data).asarray(~self._data))
        if STATE.value_tracers:
            _tell_value_tracers(np.invert, out, (self,))
        return out

    # ------------------------------------------------------ elementwise math
    def exp(self):
        return apply(P["exp"], self)

    def log(self):
        return apply(P["log"], self)

    def log1p(self):
        return apply(P["log1p"], self)

    def sin(self):
        return apply(P["sin"], self)

    def cos(self):
        return apply(P["cos"], self)

    def sqrt(self):
        return apply(P["sqrt"], self)

    def tanh(self):
        return apply(P["tanh"], self)

    def relu(self):
        return apply(P["relu"], self)

    def where(self, condition, other) -> "Tensor":
        """``self`` where ``condition`` holds, else ``other`` (PyTorch's argument order)."""
        condition = condition if isinstance(condition, Tensor) else Tensor._from_array(np.asarray(condition))
        if condition.dtype != bool:
            raise DTypeError(f"where: the condition must be a bool tensor, not {condition.dtype}")
        return apply(P["where"], condition, self, self._lift(other))

    def cast(self, dtype) -> "Tensor":
        """This tensor converted to another floating dtype."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise DTypeError(f"cast: tensors hold floating values; cannot cast to {dtype}")
        if dtype == self.dtype:
            return self
        return apply(P["cast"], self, dtype=dtype)

    # ----------------------------------------------------------- reductions
    def _axes(self, axis, op_name) -> tuple:
        """``axis`` as a sorted tuple of non-negative axes, checked against ndim."""
        if axis is not None and type(axis) is not int:
            given = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
            axis = whole_numbers(given, f"{op_name}: axis")
        return normalised_axes(axis, self.shape, op_name)

    def sum(self, axis=None, keepdims: bool = False) -> "Tensor":
        return apply(P["sum"], self, axis=self._axes(axis, "sum"), keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False) -> "Tensor":
        if self.size == 0:
            raise ShapeError("max: the tensor is empty")
        return apply(P["max"], self, axis=self._axes(axis, "max"), keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False) -> "Tensor":
        axes = self._axes(axis, "mean")
        count = 1
        for a in axes:
            count *= self.shape[a]
        return self.sum(axes, keepdims=keepdims) / count

    def sum_to(self, shape) -> "Tensor":
        """Sum broadcast axes away so the result has ``shape`` (undoes broadcast_to).

        Broadcasting adds leading axes and stretches axes of length 1, so the
        leading axes are summed away and the stretched ones summed to length 1.
        """
        shape = tuple(shape)
        if self.shape == shape:
            return self
        leading, stretched = broadcast_axes(shape, self.shape)
        # The axes are already normalised, so the primitive is applied directly.
        if not stretched:
            return apply(P["sum"], self, axis=leading, keepdims=False)
        summed = apply(P["sum"], self, axis=leading + stretched, keepdims=True)
        return summed.reshape(shape)

    # ---------------------------------------------------------------- shape
    def reshape(self, *shape) -> "Tensor":
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        shape = whole_numbers(shape, "reshape: each length")
        if shape == self.shape:
            return self
        if min(shape, default=0) < 0 or math.prod(shape) != self.size:
            shape = self._inferred_shape(shape)  # a -1 to fill in, or an error to explain
        return apply(P["reshape"], self, shape=shape)

    def _inferred_shape(self, shape) -> tuple:
        """``shape`` with its -1 replaced by the length that keeps the size, as NumPy does."""
        try:
            return np.empty(self.shape, dtype=np.bool_).reshape(shape).shape
        except ValueError:
            raise ShapeError(f"reshape: cannot reshape {self.shape} ({self.size} elements) to {shape}") from None

    def flatten(self) -> "Tensor":
        return self.reshape(-1)

    def transpose(self, *axes) -> "Tensor":
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = axes[0]
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        given = whole_numbers(axes, "transpose: each axis")
        if any(not -self.ndim <= a < self.ndim for a in given):
            raise ShapeError(f"transpose: axes {given} are out of range for a tensor of shape {self.shape}")
        axes = tuple(a % self.ndim for a in given)
        if sorted(axes) != list(range(self.ndim)):
            raise ShapeError(f"transpose: axes {given} are not a permutation for shape {self.shape}")
        if axes == tuple(range(self.ndim)):
            return self
        return apply(P["transpose"], self, axes=axes)

    def swapaxes(self, first: int, second: int) -> "Tensor":
        first, second = whole_numbers((first, second), "swapaxes: each axis")
        if not (-self.ndim <= first < self.ndim and -self.ndim <= second < self.ndim):
            raise ShapeError(f"swapaxes: axes {first}, {second} are out of range for shape {self.shape}")
        axes = list(range(self.ndim))
        axes[first], axes[second] = axes[second], axes[first]
        return self.transpose(tuple(axes))

    def broadcast_to(self, shape) -> "Tensor":
        shape = whole_numbers(shape, "broadcast_to: each length")
        if shape == self.shape:
            return self
        if not broadcasts_to(self.shape, shape):
            raise ShapeError(f"broadcast_to: cannot broadcast shape {self.shape} to {shape}")
        return apply(P["broadcast_to"], self, shape=shape)

    def __getitem__(self, index) -> "Tensor":
        return apply(P["getitem"], self, index=_plain_index(index, self.device))

    def scatter(self, shape, index) -> "Tensor":
        """A zero tensor of ``shape`` with this tensor added in at ``index``."""
        return apply(P["scatter"], self, shape=whole_numbers(shape, "scatter: each length"), index=_plain_index(index, self.device))

    # --------------------------------------------------------------- linalg
    def matmul(self, other: "Tensor") -> "Tensor":
        """Matrix product with NumPy's rules: vectors are promoted, batches broadcast."""
        left_shape, right_shape = self._data.shape, other._data.shape
        if len(left_shape) >= 2 and len(right_shape) >= 2 and left_shape[-1] == right_shape[-2]:
            return apply(P["matmul"], self, other)  # two matrices (or stacks) that fit: the common case
        if self.ndim == 0 or other.ndim == 0:
            raise ShapeError(f"matmul: both operands need at least one axis, got {self.shape} @ {other.shape}")
        left = self.reshape(1, -1) if self.ndim == 1 else self
        right = other.reshape(-1, 1) if other.ndim == 1 else other
        if left.shape[-1] != right.shape[-2]:
            raise ShapeError(
                f"matmul: inner dimensions differ: {self.shape} @ {other.shape} "
                f"({left.shape[-1]} != {right.shape[-2]})")
        out = apply(P["matmul"], left, right)
        if self.ndim == 1:
            out = out.reshape(out.shape[:-2] + out.shape[-1:])
        if other.ndim == 1:
            out = out.reshape(out.shape[:-1])
        return out


def _same_array(array):
    """``detach``'s array function: the value itself."""
    return array


def _tell_value_tracers(function, out: Tensor, inputs: tuple) -> None:
    """Report a computation that is not a primitive to ``graph.trace_values`` callbacks."""
    for callback in STATE.value_tracers:
        callback(function, out, inputs)


def whole_numbers(numbers, what: str) -> tuple:
    """``numbers`` as a tuple of Python ints; a float such as 3.9 (or 3.0), a string or
    a bool is refused with ShapeError (``what`` names it) rather than rounded."""
    return tuple(n if type(n) is int else validate.integer(what, n, error=ShapeError) for n in numbers)


@functools.lru_cache(maxsize=1024)
def normalised_axes(axis, shape: tuple, op_name: str) -> tuple:
    """``axis`` (None, an int or a tuple of ints) as a sorted tuple of non-negative axes of ``shape``.

    Cached: a training loop reduces the same shapes along the same axes every step."""
    ndim = len(shape)
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalised = []
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ShapeError(f"{op_name}: axis {a} is out of range for a tensor of shape {shape}")
        normalised.append(int(a) % max(ndim, 1))
    if len(set(normalised)) != len(normalised):
        raise ShapeError(f"{op_name}: axis {axis} repeats an axis")
    return tuple(sorted(normalised))


@functools.lru_cache(maxsize=1024)
def broadcast_axes(shape: tuple, target: tuple) -> tuple[tuple, tuple]:
    """The axes along which broadcasting ``shape`` to ``target`` copies values:
    (the leading axes it adds, the axes of length 1 it stretches), as target axes.

    ``sum_to`` sums along them; cached, since backward asks about the same
    shapes every step."""
    extra = len(target) - len(shape)
    if extra < 0:
        raise ShapeError(f"sum_to: cannot sum shape {target} to the larger shape {shape}")
    if not broadcasts_to(shape, target):
        raise ShapeError(f"sum_to: shape {target} does not broadcast from {shape}")
    leading = tuple(range(extra))
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and target[extra + i] != 1)
    return leading, stretched


def broadcasts_to(shape: tuple, target: tuple) -> bool:
    """True when an array of ``shape`` broadcasts to ``target`` (NumPy's rule, one way):
    ``target`` may add axes in front and stretch axes of length 1, nothing else."""
    extra = len(target) - len(shape)
    return extra >= 0 and all(n == 1 or n == target[extra + i] for i, n in enumerate(shape))


def _plain_index(index, device: str) -> tuple:
    """An index as a tuple of ints, slices, None, Ellipsis and arrays (Tensors unwrapped),
    its arrays on ``device`` (labels held in NumPy can index logits on the GPU)."""
    if not isinstance(index, tuple):
        index = (index,)
    plain = []
    for part in index:
        if isinstance(part, Tensor):
            part = part.data
        if isinstance(part, (list, np.ndarray)) or type(part).__module__.startswith("cupy"):
            part = np.asarray(part) if isinstance(part, list) else part
            if part.dtype.kind not in "biu":
                raise ShapeError(f"getitem: index arrays must hold integers or bools, not {part.dtype}")
            if not (device == "cpu" and type(part) is np.ndarray):  # (already there: the common case)
                part = move(part, device)
        elif isinstance(part, np.integer):
            part = int(part)
        plain.append(part)
    return tuple(plain)
