"""The engine's switches: what every operation reads before it records or pushes anything.

* ``no_grad()`` / ``enable_grad()`` — record the reverse-mode graph or not;
* ``dual_level()`` — open a forward-mode level (numbered, larger for inner ones);
* ``phase(name)`` and ``observe(callback)`` — for the cost counter: whose work
  runs ("primal", "jvp", "vjp") and a callback after every operation;
* the engine's policy for Python's cyclic garbage collector: paused during
  backward (``collector_paused``), only its youngest generation collected while
  a large graph is alive (``defer_full_collections``).

The chain rule that reads them is ``chain_rule.py``; this module imports
nothing of the engine, so every floor above may use the switches.
"""

from __future__ import annotations

import contextlib
import gc
import weakref
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
    recorded = 0                 # operations recorded so far (read by the collector policy)
    last_write = 0               # the clock's tick at the latest in-place write (version.py)


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


LARGE_GRAPH = 2_000
"""Every this many recorded operations, ``apply`` calls ``defer_full_collections``."""

_NEVER = 1 << 30  # a collector threshold that is never reached


class _DeferredFullCollections:
    """The state of ``defer_full_collections``: the tensors it waits for, and the
    collector's second and third thresholds to put back when they are all gone."""

    anchors: set = set()   # weak references to the tensors it waits for
    saved_second = None
    saved_threshold = None


def defer_full_collections(anchor) -> None:
    """No collections of the two older generations of Python's cyclic garbage collector
    while ``anchor`` is alive (only the youngest one is collected meanwhile).

    ``apply`` calls this with the tensor it has just recorded, every
    ``LARGE_GRAPH`` recorded operations; ``anchor`` stays alive as long as the
    graph above it does. Why: a recorded operation leaves about three objects
    alive that the collector tracks (its output tensor, the tuple of its inputs,
    a constant's tensor), and about every 70,000 new survivors Python makes a
    *full* collection, which walks every tracked object of the process — the
    whole graph so far, and torch's 170,000 objects once torch is imported. A
    100,000-operation chain was walked some ten times while it was recorded:
    nearly half its time, and the cost per operation grew with the graph. The
    graph holds no reference cycles (a tensor refers only to its inputs), so
    those walks find nothing in it; reference counting frees it when it is
    dropped.

    Why the middle generation too: Python counts every object that a
    middle-generation collection moves into the oldest generation towards the
    next full collection, and keeps counting it after reference counting has
    freed it. So graphs that lived just long enough to be moved there (chains of
    1,000 to 10,000 operations, one after another) still brought a full
    collection every few graphs — with torch imported, some 60 ms each, more
    than the chains themselves. While the middle generation is not collected,
    a graph's tensors stay in it, are freed there by reference counting, and
    count towards nothing. The youngest generation is still collected as usual,
    so a cycle a program drops meanwhile is found as before if it is young;
    one that has lived through a collection of the youngest generation waits
    until the graph is gone (or for ``gc.collect()``).

    How: the collector's second and third thresholds (``gc.set_threshold``) are
    set out of reach, and put back when the last such anchor is freed (a weak
    reference's callback: after ``backward`` has released the graph, or when
    the program drops it)."""
    deferred = _DeferredFullCollections
    if not deferred.anchors:
        first, deferred.saved_second, deferred.saved_threshold = gc.get_threshold()
        gc.set_threshold(first, _NEVER, _NEVER)
    deferred.anchors.add(weakref.ref(anchor, _anchor_freed))


def _anchor_freed(reference) -> None:
    """An anchor of ``defer_full_collections`` is gone; the last one puts the thresholds back."""
    deferred = _DeferredFullCollections
    deferred.anchors.discard(reference)
    if not deferred.anchors:
        first, second, third = gc.get_threshold()
        if second == _NEVER and third == _NEVER:  # (unless the program has set thresholds of its own since)
            gc.set_threshold(first, deferred.saved_second, deferred.saved_threshold)


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
