"""The engine's switches: what every operation reads before it records or pushes anything.

* ``no_grad()`` / ``enable_grad()`` — record the reverse-mode graph or not;
* ``dual_level()`` — open a forward-mode level (numbered, larger for inner ones);
* ``phase(name)`` and ``observe(callback)`` — for the cost counter: whose work
  runs ("primal", "jvp", "vjp") and a callback after every operation.

The chain rule that reads them is ``chain_rule.py``; this module imports
nothing of the engine, so every floor above may use the switches.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Callable


class _EngineState:
    """Global switches read on every operation (one thread, like NumPy code)."""

    grad_enabled = True          # record the reverse-mode graph?
    open_levels: list[int] = []  # dual levels of the enclosing dual_level() blocks
    levels_made = 0              # counter that numbers new levels
    backward_passes = 0          # backpropagate() runs so far (read by the cost counter)
    phase = "primal"             # "primal", "jvp" or "vjp": whose work is running
    observers: list[Callable] = []
    value_tracers: list[Callable] = []  # see trace_values


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


class collector_paused:
    """Pause Python's cyclic garbage collector inside the block (``backward`` runs in one).

    The collector's policy during backward, and why: a backward pass makes and
    drops many short-lived objects while the whole recorded graph is alive, and
    every so many allocations the collector walks the live objects looking for
    reference cycles. The graph has none (a tensor refers only to its inputs,
    never back), so reference counting already frees every adjoint and every
    released node on time, and the walks find nothing: on a 100,000-operation
    chain they were a third of backward's time. The collector is switched back
    on (if it was on) when the block ends, also after an error."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info) -> bool:
        if self.was_enabled:
            gc.enable()
        return False


@contextlib.contextmanager
def observe(callback: Callable):
    """Call ``callback(primitive, out, inputs, params, phase)`` after every operation."""
    STATE.observers.append(callback)
    try:
        yield
    finally:
        STATE.observers.remove(callback)


@contextlib.contextmanager
def trace_values(callback: Callable):
    """Call ``callback(function, out, inputs)`` after each array computation that is not a
    primitive: comparisons, logical not and ``detach`` (``function`` recomputes ``out``'s
    array from the inputs' arrays; an input may be a plain number or array).

    They carry no derivative, so ``observe`` does not report them (the cost counter counts
    primitives); a traced step (``tinygrad_ko/jit.py``) must still recompute them."""
    STATE.value_tracers.append(callback)
    try:
        yield
    finally:
        STATE.value_tracers.remove(callback)


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
