"""``t.node``: a tensor's place in the graph, read-only — what the interpreters read.

The drawing, the cost counter, gradcheck and the forward-mode helpers look at
a recorded graph through this view and never through the tensor's private
fields, so the engine may store the graph as it likes. For ``e = c * d``::

    e.node.op          # <primitive mul>   (None for a leaf)
    e.node.inputs      # (c, d): the Tensors it was computed from, in order
    e.node.params      # {}: the primitive's keyword parameters (axis=..., shape=...)
    e.node.value       # e's value as a read-only array
    e.node.grad        # e.grad: the adjoint ∂L/∂e after backward (leaves, retain_grad)
    e.node.tangent     # ė = ∂e/∂s in the innermost open dual level that e carries one in

Forward-mode tangents: a tensor may carry one tangent per open ``dual_level()``
(levels nest, see ``autodiff.forward``). ``tangent`` is the one in the
innermost open level that has one — what ``unpack_dual(e)`` gives when e
carries a tangent there — and None when e carries none in an open level;
``tangents`` maps each level the tensor carries one in to it, for nested levels. Nothing here can
change the graph: the view has no setters and ``params`` and ``tangents``
are read-only mappings.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from ..errors import GraphFreedError
from .graph import STATE

_EMPTY = MappingProxyType({})


class GraphNode:
    """The read-only graph view of one tensor (``tensor.node``)."""

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    @property
    def op(self):
        """The ``Primitive`` that produced the tensor, or None for a leaf."""
        return self._tensor._op

    @property
    def is_leaf(self) -> bool:
        """True when no recorded operation produced the tensor."""
        return self._tensor._op is None

    @property
    def inputs(self) -> tuple:
        """The tensors the operation was applied to, in order (``x * x`` lists x twice); () for a leaf."""
        inputs = self._tensor._parents
        if inputs is None:
            raise GraphFreedError(
                "this graph was released by an earlier backward(); call that backward(retain_graph=True) "
                "to go through the graph again (or to draw it afterwards)")
        return inputs

    @property
    def params(self):
        """The primitive's keyword parameters, read-only (empty for a leaf)."""
        params = self._tensor._params
        return MappingProxyType(params) if params else _EMPTY

    @property
    def value(self):
        """The tensor's value without a copy: read-only for a NumPy array (a CuPy array as it is)."""
        data = self._tensor._data
        if not isinstance(data, np.ndarray):
            return data
        view = data.view()
        view.flags.writeable = False
        return view

    @property
    def grad(self):
        """The accumulated adjoint ``.grad`` (None before backward)."""
        return self._tensor.grad

    @property
    def tangents(self):
        """Dual level → the tangent the tensor carries in it (read-only; empty for none)."""
        carried = self._tensor._tangents
        return MappingProxyType(carried) if carried else _EMPTY

    @property
    def tangent(self):
        """The tangent in the innermost open dual level that has one, or None."""
        carried = self._tensor._tangents
        if carried:
            for level in reversed(STATE.open_levels):
                if level in carried:
                    return carried[level]
        return None

    def __repr__(self) -> str:
        op = "leaf" if self.op is None else self.op.name
        return f"<graph node {op} of {len(self._tensor._parents or ())} input(s)>"
