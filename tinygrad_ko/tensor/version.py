"""Version counters, and the engine's clock: when was a tensor's memory last changed in place?

PyTorch's ``_version``: tensors that share memory (``detach()``, a reshape or
transpose view) share one ``Version``, so a write through any of them is seen
by every graph that saved one of them.

Most tensors are never written to and share their memory with no one, so a
tensor starts with no counter object at all (``_version is None`` means
"version 0, nobody shares it"); the counter is made when the memory is first
shared (``shared_version``) or written (``Tensor.writable_data``). Why: a
recorded operation leaves its output tensor alive, and every object it holds
that Python's cyclic garbage collector tracks is walked again at each
collection — on a 100,000-operation chain, one counter per tensor is a fifth
of all the objects the collector walks.

The clock. Backward must refuse a graph whose saved values were changed after
they were saved (``StaleGraphError``). Rather than copying every input's count
into every recorded operation, the engine keeps one clock, ``CLOCK``, that
ticks once for every recorded operation and once for every in-place write:

* a recorded operation notes its tick (``tensor._recorded_at``, in ``apply``);
* a write notes its tick on the memory's counter (``Version.written_at``) and
  in ``STATE.last_write`` (``note_write``).

An operation's saved tensor was changed after it was saved exactly when its
counter's ``written_at`` is later than the operation's tick. And when
``STATE.last_write`` is earlier than the tick, nothing at all has been written
since the operation was recorded, so backward need not look at its inputs:
the common case (no write between a forward pass and its backward) costs one
comparison per operation. The ticks also order the graph: every tensor is
recorded after its inputs, so a larger tick comes later in the computation
(``backpropagate`` walks the graph by them).
"""

from __future__ import annotations

import itertools

from .graph import STATE

CLOCK = itertools.count(1)
"""The engine's clock: ``next(CLOCK)`` is a new tick, larger than every earlier one."""


class Version:
    """The in-place change count of one piece of memory (shared by the tensors viewing it),
    and the clock's tick at its latest change (0: never changed)."""

    __slots__ = ("count", "written_at")

    def __init__(self, count: int = 0, written_at: int = 0):
        self.count = count
        self.written_at = written_at


def count_of(tensor) -> int:
    """``tensor``'s version: how many in-place changes its memory has seen."""
    version = tensor._version
    return 0 if version is None else version.count


def written_after(tensor, tick: int) -> bool:
    """True when ``tensor``'s memory was changed in place after clock tick ``tick``."""
    version = tensor._version
    return version is not None and version.written_at > tick


def shared_version(tensor) -> Version:
    """``tensor``'s counter, made now if it has none yet: another tensor is about to share the memory."""
    if tensor._version is None:
        tensor._version = Version()
    return tensor._version


def note_write(version: Version) -> None:
    """Count one in-place change of the memory ``version`` counts, at a new tick of the clock."""
    version.count += 1
    version.written_at = STATE.last_write = next(CLOCK)
