"""Tape memory: the bytes the recorded reverse-mode graph keeps alive.

Reverse mode must keep values from the forward pass until the backward pass
reads them; forward mode carries its tangents along and keeps nothing. The
*tape* of this engine is its recorded graph, and what the graph keeps alive is

* the value of every recorded tensor (a rule may read the output z), and
* the value of every input of a recorded tensor — leaves, constants, and
  tensors computed without recording (a rule may read its inputs x, y).

**Definition.** Tape bytes at a moment = the total size of the distinct memory
buffers behind those values, for the recorded tensors alive at that moment.
Each buffer is counted once: ``x * x`` counts x once; a reshape, transpose or
broadcast view shares its base's buffer and adds nothing; a view counts its
whole base buffer, because it keeps all of it alive. The *peak* is the largest
tape during the computation.

How it is measured: when a recorded tensor is made, its buffers are added (a
buffer already on the tape just gains one more user); when the tensor is freed
(``weakref.finalize``), each buffer loses a user and leaves the tape with its
last user. CPython frees a tensor the moment its last reference goes and our
graph has no reference cycles, so the numbers are the same on every run.

Simplification: ``backward()`` without ``retain_graph`` detaches a tensor from
its inputs; the meter notices that only when the tensor itself is freed. The
peak is not affected: the tape stops growing once the backward pass starts.
"""

from __future__ import annotations

import weakref


def owning_buffer(array):
    """The array that owns the memory behind ``array`` (itself if it is not a view)."""
    while type(getattr(array, "base", None)) is type(array):
        array = array.base
    return array


class TapeMeter:
    """Follow the tape's size, in bytes, as recorded tensors are made and freed."""

    def __init__(self):
        self.current_bytes = 0
        self.peak_bytes = 0
        # id of a buffer -> [the buffer, how many live recorded tensors use it].
        # Holding the buffer keeps its id from being reused while it is counted.
        self._buffers: dict[int, list] = {}
        self._closed = False

    def record(self, tensor) -> None:
        """Put a just-recorded tensor's value and its inputs' values on the tape."""
        buffers = {}
        for value in [tensor.data] + [parent.data for parent in tensor.node.inputs]:
            buffer = owning_buffer(value)
            buffers[id(buffer)] = buffer
        for key, buffer in buffers.items():
            entry = self._buffers.get(key)
            if entry is None:
                self._buffers[key] = [buffer, 1]
                self.current_bytes += int(buffer.nbytes)
            else:
                entry[1] += 1
        self.peak_bytes = max(self.peak_bytes, self.current_bytes)
        weakref.finalize(tensor, self._release, tuple(buffers)).atexit = False

    def _release(self, keys) -> None:
        """A recorded tensor was freed: its buffers lose one user each."""
        if self._closed:
            return
        for key in keys:
            entry = self._buffers[key]
            entry[1] -= 1
            if entry[1] == 0:
                self.current_bytes -= int(entry[0].nbytes)
                del self._buffers[key]

    def close(self) -> None:
        """Stop following: tensors freed from now on no longer change the numbers."""
        self._closed = True
        self._buffers.clear()
