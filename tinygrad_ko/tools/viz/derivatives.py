"""The numbers on a drawing, all computed by the engine itself.

Nothing here knows a derivative rule. Each quantity comes from the registry or
from running the engine on a *copy* of the drawn graph, so the user's tensors,
their ``.grad`` and their graph are never touched:

* **Replay.** Walk the drawn nodes in order; a leaf becomes a detached copy of
  itself, an operation becomes ``apply(op, *copied inputs, **params)`` — the
  very primitive that produced it, run again by the engine.
* **Local derivative** on the edge xᵢ → z: the primitive's own JVP rule for
  input i with tangent 1, ``op.jvp[i](1, z, x₀, x₁, …)`` = ∂z/∂xᵢ. For
  elementwise primitives on tensors this is the elementwise derivative; other
  primitives have a whole Jacobian per edge, which the drawing only names.
* **Forward mode.** Replay inside a ``dual_level()`` with the chosen input made
  dual (tangent 1, or a direction v for a tensor input): every replayed node
  then carries ∂node/∂input (J·v), pushed by the registry's JVP rules.
* **Reverse mode.** Replay with recording on, ask every replayed node to keep
  its adjoint (``retain_grad``), then one ``backward(seed)`` from the output:
  every node's ``.grad`` is ∂output/∂node (uᵀJ for a seed u).
"""

from __future__ import annotations

from ...autodiff import dual_level, make_dual, unpack_dual
from ...backend import array_module
from ...errors import ShapeError
from ...tensor import Tensor, apply, enable_grad, no_grad
from ...tensor.chain_rule import fit_tangent_to_output
from .graph import DrawnGraph, Edge, Node


def replay(graph: DrawnGraph, dual_input: Node | None = None, direction=None) -> list[Tensor]:
    """Run the drawn graph again on detached copies; one copy per node, in order.

    With ``dual_input`` the copy of that input carries ``direction`` as its
    tangent at the innermost open dual level (the caller opens it)."""
    copies: list[Tensor] = []
    for node in graph.nodes:
        tensor = node.tensor
        if tensor.node.op is None:
            copy = tensor.detach()
            copy.requires_grad = tensor.requires_grad
            if node is dual_input:
                copy = make_dual(copy, direction)
        else:
            inputs = [copies[edge.parent.index] for edge in graph.edges_into(node)]
            copy = apply(tensor.node.op, *inputs, **tensor.node.params)
        copies.append(copy)
    return copies


def local_derivatives(graph: DrawnGraph) -> dict[int, Tensor | None]:
    """``{id(edge): ∂child/∂parent}`` for every edge, from the JVP rules with tangent 1.

    None where the primitive marks that input as not differentiable (the
    condition of ``where``)."""
    with no_grad():
        copies = replay(graph)
        derivatives = {}
        for edge in graph.edges:
            derivatives[id(edge)] = _local_derivative(graph, edge, copies)
    return derivatives


def _local_derivative(graph: DrawnGraph, edge: Edge, copies: list[Tensor]) -> Tensor | None:
    child = edge.child
    op = child.tensor.node.op
    rule = op.jvp[edge.position]
    if rule is None:
        return None
    inputs = [copies[e.parent.index] for e in graph.edges_into(child)]
    parent = inputs[edge.position]
    ones = Tensor(array_module(parent.data).ones_like(parent.data), dtype=parent.dtype)
    share = rule(ones, copies[child.index], *inputs, **child.tensor.node.params)
    return fit_tangent_to_output(share, copies[child.index], op)


def direction_for(wrt: Node, direction=None) -> Tensor:
    """The starting tangent of ``wrt``: ``direction`` as a Tensor of its dtype, or ones.

    For a one-element input, 1 gives the derivative itself; for a tensor input
    ones gives the sum of the Jacobian's columns, J·1."""
    like = wrt.tensor
    if direction is None:
        return Tensor(array_module(like.data).ones_like(like.data), dtype=like.dtype)
    direction = direction if isinstance(direction, Tensor) else Tensor(direction, dtype=like.dtype)
    if direction.shape != like.shape:
        raise ShapeError(f"direction has shape {direction.shape} but the input {wrt.name} has shape {like.shape}")
    return direction


def forward_tangents(graph: DrawnGraph, wrt: Node, direction: Tensor) -> list[Tensor]:
    """∂node/∂wrt (J·v for a tensor input with direction v) for every node, in order."""
    with no_grad(), dual_level() as level:
        copies = replay(graph, dual_input=wrt, direction=direction)
        return [unpack_dual(copy, level)[1] for copy in copies]


def reverse_adjoints(graph: DrawnGraph, seed=None) -> list[Tensor | None]:
    """∂output/∂node (uᵀJ for a seed u) for every node, in order; None where no
    gradient flows (constants). One backward pass on a replayed copy."""
    with enable_grad():
        copies = replay(graph)
        for copy in copies:
            if copy.requires_grad:
                copy.retain_grad()
        copies[-1].backward(seed)
    return [copy.grad if copy.requires_grad else None for copy in copies]
