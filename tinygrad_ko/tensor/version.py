"""Version counters: how many times a tensor's memory was changed in place.

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
"""

from __future__ import annotations


class Version:
    """The in-place change count of one piece of memory (shared by the tensors viewing it)."""

    __slots__ = ("count",)

    def __init__(self, count: int = 0):
        self.count = count


def count_of(tensor) -> int:
    """``tensor``'s version: how many in-place changes its memory has seen."""
    version = tensor._version
    return 0 if version is None else version.count


def shared_version(tensor) -> Version:
    """``tensor``'s counter, made now if it has none yet: another tensor is about to share the memory."""
    if tensor._version is None:
        tensor._version = Version()
    return tensor._version
