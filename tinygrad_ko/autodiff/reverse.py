"""Reverse mode (backpropagation): one backward pass gives ∂L/∂x for every input.

The algorithm, for an output ``root``:

1. Order the recorded graph so that every tensor comes before its inputs
   (an iterative depth-first search: no recursion limit, deterministic because
   parents are kept in order).
2. Seed ``adjoint[root] = seed`` (1 for a scalar) and walk that order. For a
   tensor z = op(x₀, x₁, …) whose adjoint g is complete, add
   ``op.vjp[i](g, z, x₀, x₁, …)`` to the adjoint of each input xᵢ that needs one.
   Every share is first summed back to xᵢ's shape if broadcasting enlarged it
   (``unbroadcast``) — the one place broadcasting is handled.
3. Leaves receive their adjoint in ``.grad`` (added to what is there), each in
   a buffer of its own: for L = Σ (a + b)·c the adjoints of a and b are one
   array, but ``a.grad`` and ``b.grad`` are separate, writable copies, never
   the caller's seed, so clipping one in place touches nothing else.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..backend import array_module
from ..errors import GradError, GraphFreedError, ShapeError, StaleGraphError
from ..ops import PRIMITIVES
from ..tensor.graph import STATE, apply, enable_grad, phase
from ..tensor.tensor import Tensor


def topological_order(root: Tensor, *, constants: bool = False) -> list[Tensor]:
    """Every recorded tensor that ``root`` depends on, ``root`` first, each before its inputs.

    Iterative (a 10,000-step chain needs no recursion) and deterministic
    (parents are visited in their recorded order). Inputs that need no gradient
    are left out unless ``constants=True`` (the drawings show them)."""
    finished: list[Tensor] = []
    seen: set[int] = set()
    stack = [(root, False)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            finished.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if tensor._op is not None and tensor._parents is None:
            raise GraphFreedError(
                "this graph was released by an earlier backward(); call that backward(retain_graph=True) "
                "to go through the graph again (or to draw it afterwards)")
        stack.append((tensor, True))
        for parent in reversed(tensor._parents):
            if (constants or parent.requires_grad) and id(parent) not in seen:
                stack.append((parent, False))
    finished.reverse()
    return finished


def unbroadcast(share: Tensor, target: Tensor, op) -> Tensor:
    """Sum a VJP share back to the shape (and dtype) of the input it belongs to."""
    if share.shape != target.shape:
        try:
            share = share.sum_to(target.shape)
        except ShapeError:
            raise ShapeError(
                f"{op.name}: its VJP rule gave shape {share.shape} for an input of shape {target.shape}"
            ) from None
    if share.dtype != target.dtype:
        share = share.cast(target.dtype)
    return share


def backpropagate(root: Tensor, seed: Tensor, *, create_graph: bool, retain_graph: bool,
                  stop_at=()) -> list[tuple[Tensor, Tensor]]:
    """Run the backward pass from ``root``.

    Returns ``(tensor, adjoint)`` for the tensors whose adjoint someone wants:
    leaves, tensors in ``stop_at`` (the pass does not go through them) and
    tensors that called ``retain_grad()``. Other adjoints are dropped as soon
    as they have been passed on."""
    STATE.backward_passes += 1
    order = topological_order(root)
    stop_ids = {id(t) for t in stop_at}
    adjoints: dict[int, Tensor] = {id(root): seed}
    wanted: list[tuple[Tensor, Tensor]] = []
    with enable_grad(create_graph), phase("vjp"):
        for tensor in order:
            adjoint = adjoints.pop(id(tensor), None)
            if adjoint is None:
                continue
            is_end = tensor._op is None or id(tensor) in stop_ids
            if is_end or tensor._retains_grad:
                wanted.append((tensor, adjoint))
            if is_end:
                continue
            inputs = tensor._parents
            check_unchanged(tensor, inputs)
            for position, parent in enumerate(inputs):
                if not parent.requires_grad:
                    continue
                share = tensor._op.vjp[position](adjoint, tensor, *inputs, **tensor._params)
                share = unbroadcast(share, parent, tensor._op)
                previous = adjoints.get(id(parent))
                adjoints[id(parent)] = share if previous is None else previous + share
            if not retain_graph:
                tensor._parents = None
    return wanted


def check_unchanged(tensor: Tensor, inputs) -> None:
    """StaleGraphError if an input of ``tensor``'s operation, or ``tensor`` itself, was
    changed in place after the operation saved it (its version has moved on)."""
    saved = tensor._saved_versions
    for position, x in enumerate((*inputs, tensor)):
        if x._version.count != saved[position]:
            what = repr(x.name) if x.name else f"a tensor of shape {x.shape}"
            role = "its output" if x is tensor else f"input {position}"
            raise StaleGraphError(
                f"{what} was modified in place after {tensor._op.name} saved it ({role}; version "
                f"{saved[position]}, now {x._version.count}), so this graph would give gradients at the "
                "new values; run the forward pass again after changing a tensor (optimizer.step() "
                "changes the parameters), or call backward before the change")


def make_seed(root: Tensor, seed) -> Tensor:
    """The starting adjoint: 1 for a one-element output, else the given seed."""
    if seed is None:
        if root.size != 1:
            raise GradError(
                f"the output has shape {root.shape}, so it has no single gradient; "
                "pass a seed of that shape (a vector-Jacobian product), "
                "or use jacrev / vjp for the whole Jacobian")
        one = array_module(root.data).asarray(1, dtype=root.dtype)
        return Tensor._from_array(one.reshape(root.shape))  # root has one element
    seed = seed if isinstance(seed, Tensor) else Tensor(seed, dtype=root.dtype)
    if seed.shape != root.shape:
        raise ShapeError(f"backward: the seed has shape {seed.shape} but the output has shape {root.shape}")
    return seed.cast(root.dtype)


def backward(root: Tensor, seed=None, *, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """``root.backward()``: add ∂root/∂leaf · seed to every leaf's ``.grad``.

    ``retain_graph`` defaults to ``create_graph`` (as in PyTorch)."""
    if not root.requires_grad:
        raise GradError(
            "backward() on a tensor that does not depend on anything requiring a gradient; "
            "create the inputs with requires_grad=True (and not inside no_grad())")
    if retain_graph is None:
        retain_graph = create_graph
    seed = make_seed(root, seed)
    wanted = backpropagate(root, seed, create_graph=create_graph, retain_graph=retain_graph)
    handed_out = Counter(id(adjoint) for _, adjoint in wanted)
    for tensor, adjoint in wanted:
        shared = adjoint is seed or handed_out[id(adjoint)] > 1
        tensor.grad = gradient_buffer(tensor.grad, adjoint, shared=shared, create_graph=create_graph)


def gradient_buffer(previous: Tensor | None, adjoint: Tensor, *, shared: bool,
                    create_graph: bool) -> Tensor:
    """A leaf's new ``.grad``: ``previous + adjoint`` in a tensor no other leaf holds.

    An adjoint can be ``shared`` (``add`` hands one g to both inputs, or it is
    the caller's seed) or a read-only view (``sum``'s rule broadcasts g): then
    it is copied. An array a rule has just made for this leaf alone (``xᵀ @ g``
    for a weight) is handed over as it is. With ``create_graph`` the gradient
    is part of a graph and stays differentiable: a shared one becomes a new
    ``identity`` node of its own instead of a copy."""
    if create_graph:
        own = apply(PRIMITIVES["identity"], adjoint) if shared else adjoint
        return own if previous is None else previous + own
    if previous is not None:
        return Tensor._from_array(previous.data + adjoint.data)
    if shared or not owns_writable_memory(adjoint.data):
        return Tensor._from_array(adjoint.data.copy())
    return adjoint


def owns_writable_memory(array) -> bool:
    """True for an array that is not a view of another (and, in NumPy, not read-only)."""
    if array.base is not None:
        return False
    return not isinstance(array, np.ndarray) or array.flags.writeable
