"""Applying a primitive: compute the value, record the graph, push tangents.

This is the one place every operation passes through. For ``out = op(x, y)``:

1. **Evaluate** — ``out.data = op.forward(x.data, y.data)``.
2. **Record** (reverse mode) — if gradients are enabled and an input requires a
   gradient, ``out`` remembers ``op``, its parameters and its inputs, and the
   version of each (and of itself), which backward checks: a value changed in
   place since would give gradients at the wrong point. Parents are
   held in order, in a tuple, so ``x * x`` keeps both edges. Outputs point to
   inputs and never back, so the graph has no reference cycles and is freed as
   soon as the last tensor using it goes away.
3. **Push tangents** (forward mode) — for every open dual level that an input
   carries a tangent at, ``out``'s tangent is the sum of ``op.jvp[i]`` over the
   inputs. Tangents travel with the values in this same pass; nothing is taped.

Nested forward mode without perturbation confusion. Each ``dual_level()`` gets a
number, larger for inner levels. A tensor may carry tangents at several levels.
At level L the rule sees the inputs *without* their tangents at levels ≥ L and
the tangents at L themselves carry only lower levels, so an inner derivative
never mixes with an outer one — ``d/dx [x · d/dy (x + y)]`` is 1, not 2.
"""

from __future__ import annotations

import contextlib
from typing import Callable

import numpy as np

from ..errors import DeviceError, ShapeError, TinygradKoError


class _EngineState:
    """Global switches read on every operation (one thread, like NumPy code)."""

    grad_enabled = True          # record the reverse-mode graph?
    open_levels: list[int] = []  # dual levels of the enclosing dual_level() blocks
    levels_made = 0              # counter that numbers new levels
    backward_passes = 0          # backpropagate() runs so far (read by the cost counter)
    phase = "primal"             # "primal", "jvp" or "vjp": whose work is running
    observers: list[Callable] = []


STATE = _EngineState()


class _Switch(contextlib.ContextDecorator):
    """Set one attribute of ``STATE`` inside a ``with`` block; restore it afterwards.

    A small class rather than a ``@contextmanager`` generator: these blocks open
    on every backward pass and optimizer step, and a generator costs several
    times more to enter and leave. Saved values are stacked, so one instance
    may be re-entered (as a decorator on a recursive function, say)."""

    def __init__(self, attribute: str, value):
        self.attribute = attribute
        self.value = value
        self.saved = []

    def __enter__(self) -> None:
        self.saved.append(getattr(STATE, self.attribute))
        setattr(STATE, self.attribute, self.value)

    def __exit__(self, *exc_info) -> bool:
        setattr(STATE, self.attribute, self.saved.pop())
        return False


def no_grad() -> _Switch:
    """Run a block without recording the graph (evaluation, optimizer updates)."""
    return _Switch("grad_enabled", False)


def enable_grad(enabled: bool = True) -> _Switch:
    """Record the graph inside the block (or not, with ``enabled=False``)."""
    return _Switch("grad_enabled", enabled)


def is_grad_enabled() -> bool:
    """True when operations are being recorded for reverse mode."""
    return STATE.grad_enabled


def phase(name: str) -> _Switch:
    """Mark whose work the enclosed operations are: "primal", "jvp" or "vjp".

    Only the cost counter reads this, to split FLOPs between the passes."""
    return _Switch("phase", name)


@contextlib.contextmanager
def observe(callback: Callable):
    """Call ``callback(primitive, out, inputs, params, phase)`` after every operation."""
    STATE.observers.append(callback)
    try:
        yield
    finally:
        STATE.observers.remove(callback)


@contextlib.contextmanager
def dual_level():
    """Open a forward-mode level; yields its number (see ``autodiff.forward``)."""
    STATE.levels_made += 1
    level = STATE.levels_made
    STATE.open_levels.append(level)
    try:
        yield level
    finally:
        STATE.open_levels.remove(level)


def apply(op, *inputs, **params):
    """Run primitive ``op`` on Tensors ``inputs``; return the output Tensor."""
    if len(inputs) > 1:
        _check_one_device(op, inputs)
    try:
        data = op.forward(*[x._data for x in inputs], **params)
    except TinygradKoError:
        raise
    except (ValueError, IndexError, TypeError) as error:
        shapes = " and ".join(str(x.shape) for x in inputs)
        raise ShapeError(f"{op.name}: cannot apply to shape(s) {shapes}: {error}") from None
    if isinstance(data, np.generic):  # NumPy reductions return scalars, not 0-d arrays
        data = np.asarray(data)
    out = Tensor._from_array(data, _version_of_memory(data, inputs))

    if STATE.grad_enabled:
        for x in inputs:
            if x.requires_grad:
                out.requires_grad = True
                out._op = op
                out._parents = inputs
                out._params = params
                out._saved_versions = [x._version.count for x in inputs] + [out._version.count]
                break

    if STATE.observers:
        for callback in STATE.observers:
            callback(op, out, inputs, params, STATE.phase)

    if STATE.open_levels:
        levels = _levels_carried(inputs)
        if levels:
            _push_tangents(op, out, inputs, params, levels)
    return out


def _version_of_memory(data, inputs):
    """The version counter ``data`` must share: an input's, when ``data`` is that input's
    array or a view of its memory (``identity``, ``reshape``, ``transpose``,
    ``x[1:]`` return views); None for a new array."""
    base = data.base
    for x in inputs:
        if data is x._data or (base is not None and (base is x._data or base is x._data.base)):
            return x._version
    return None


def _check_one_device(op, inputs) -> None:
    """All inputs of one operation must live on one device."""
    first = type(inputs[0]._data)
    for x in inputs[1:]:
        if type(x._data) is not first and x.device != inputs[0].device:
            devices = ", ".join(f"{x.shape} on {x.device}" for x in inputs)
            raise DeviceError(f"{op.name}: inputs are on different devices ({devices}); "
                              "move them to one device with .to('cpu') or .to('cuda')")


def _levels_carried(inputs) -> list[int]:
    """The open dual levels at which some input has a tangent, lowest first."""
    levels = set()
    for x in inputs:
        if x._tangents:
            levels.update(level for level in x._tangents if level in STATE.open_levels)
    return sorted(levels)


def without_levels_from(x, level: int):
    """``x`` as seen from dual level ``level``: same value, tangents below it only."""
    if not x._tangents or all(carried < level for carried in x._tangents):
        return x
    return _view_below(x, level)


def _view_below(x, level: int):
    """A new tensor with ``x``'s value and its tangents below ``level``.

    The view takes part in reverse mode like ``x`` itself (through an
    ``identity`` node when ``x`` is recorded), so a rule evaluated on it can
    still be differentiated by an outer ``backward``.
    """
    from ..ops.elementwise import identity

    view = Tensor._from_array(x._data, x._version)
    if x._tangents:
        view._tangents = {lv: t for lv, t in x._tangents.items() if lv < level} or None
    if x.requires_grad and STATE.grad_enabled:
        view.requires_grad = True
        view._op = identity
        view._parents = (x,)
        view._params = {}
        view._saved_versions = [x._version.count, x._version.count]
    return view


def _push_tangents(op, out, inputs, params, levels) -> None:
    """Give ``out`` its tangent at each level, lowest level first.

    The rule sees ``out`` through a view, so the tangent added here is not
    visible to the computation that produces it."""
    for level in levels:
        primals = [without_levels_from(x, level) for x in inputs]
        out_seen = _view_below(out, level)
        tangent = None
        with phase("jvp"):
            for position, x in enumerate(inputs):
                tangent_in = x._tangents.get(level) if x._tangents else None
                if tangent_in is None:
                    continue
                share = op.jvp[position](tangent_in, out_seen, *primals, **params)
                tangent = share if tangent is None else tangent + share
            tangent = fit_tangent_to_output(tangent, out, op)
        if out._tangents is None:
            out._tangents = {}
        out._tangents[level] = tangent


def fit_tangent_to_output(tangent, out, op):
    """Broadcast a tangent share to ``out``'s shape and dtype (forward mode's unbroadcast)."""
    if tangent.shape != out.shape:
        try:
            tangent = tangent.broadcast_to(out.shape)
        except ShapeError:
            raise ShapeError(
                f"{op.name}: its JVP rule gave a tangent of shape {tangent.shape} "
                f"for an output of shape {out.shape}"
            ) from None
    if tangent.dtype != out.dtype:
        tangent = tangent.cast(out.dtype)
    return tangent


# Imported last: tensor.py imports ``apply`` from this module, which must exist
# by then. (Importing inside ``apply`` instead would cost a lookup per operation.)
from .tensor import Tensor  # noqa: E402
