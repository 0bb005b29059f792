"""The graph a drawing shows: nodes in a fixed order, with names and edges.

Everything the drawing needs to know about the *structure* is collected here,
once, from the tensors' read-only graph view ``t.node`` (op, inputs, params):

* **Order.** An iterative depth-first walk from the output, parents in their
  recorded order, each tensor listed after its inputs. The same program always
  gives the same order, so node ids (``n0``, ``n1``, …) and the DOT text are
  byte-identical run to run.
* **Kinds.** An *input* is a leaf with ``requires_grad=True`` (a, b);
  a *constant* is any other leaf (data, the ``1`` in ``b + 1``); an *op* node is
  a recorded operation.
* **Folding.** An unnamed one-element constant is written into the formula of
  the node that uses it (``d = b + 1``), as in Olah's figure, instead of being
  drawn as a node: it has no tangent and no adjoint to show, and a node per
  literal ``1`` or ``0.5`` would crowd a drawing of ``sigmoid``. Named or larger
  constants (a data batch, a frozen weight) are drawn, small and grey.
* **Names.** A tensor's ``name`` when it has one; otherwise ``x1, x2, …`` for
  inputs, ``k1, k2, …`` for constants and ``v1, v2, …`` for operations, numbered
  in order (the ``v`` of an evaluation trace, as in Baydin et al.'s survey).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...tensor.chain_rule import topological_order
from ...ops import Kind
from ...tensor import Tensor

INPUT, CONSTANT, OP = "input", "constant", "op"

GENERATED_PREFIX = {INPUT: "x", CONSTANT: "k", OP: "v"}


def is_elementwise(primitive) -> bool:
    """True when output element k depends only on element k of each input (the
    entry's ``kind``): the local derivative is one number per element, not a
    Jacobian matrix."""
    return primitive.kind is Kind.ELEMENTWISE


@dataclass
class Node:
    """One tensor of the drawn graph."""

    index: int            # position in the order (inputs before the ops that use them)
    tensor: Tensor
    kind: str             # INPUT, CONSTANT or OP
    name: str = ""
    folded: bool = False  # an unnamed scalar constant written into its users' formulas

    @property
    def node_id(self) -> str:
        """The DOT id: fixed by the order alone, never by memory addresses."""
        return f"n{self.index}"

    @property
    def is_scalar(self) -> bool:
        return self.tensor.size == 1


@dataclass
class Edge:
    """Input number ``position`` of ``child`` is ``parent`` (an edge parent → child)."""

    parent: Node
    child: Node
    position: int


class DrawnGraph:
    """The nodes (in order, output last) and the edges of the graph below ``output``."""

    def __init__(self, nodes: list[Node], edges: list[Edge]):
        self.nodes = nodes
        self.edges = edges
        self._into: dict[int, list[Edge]] = {node.index: [] for node in nodes}
        self._out_of: dict[int, list[Edge]] = {node.index: [] for node in nodes}
        for edge in edges:
            self._into[edge.child.index].append(edge)
            self._out_of[edge.parent.index].append(edge)

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    def inputs(self) -> list[Node]:
        return [node for node in self.nodes if node.kind == INPUT]

    def visible_nodes(self) -> list[Node]:
        """The nodes drawn as boxes (folded constants are written into formulas)."""
        return [node for node in self.nodes if not node.folded]

    def visible_edges(self) -> list[Edge]:
        return [edge for edge in self.edges if not edge.parent.folded]

    def edges_into(self, node: Node) -> list[Edge]:
        """The edges into ``node``, in the order of its inputs."""
        return self._into[node.index]

    def edges_out_of(self, node: Node) -> list[Edge]:
        """The edges from ``node`` to the operations that use it, in order."""
        return self._out_of[node.index]


def collect(output: Tensor) -> DrawnGraph:
    """The graph that produced ``output``, ordered, named and ready to draw."""
    if not isinstance(output, Tensor):
        raise TypeError(f"draw() needs a Tensor, not {type(output).__name__}")
    tensors = _inputs_first_order(output)
    nodes = [Node(index, tensor, _kind(tensor)) for index, tensor in enumerate(tensors)]
    by_id = {id(node.tensor): node for node in nodes}
    edges = [Edge(by_id[id(parent)], node, position)
             for node in nodes if node.kind == OP
             for position, parent in enumerate(node.tensor.node.inputs)]
    for node in nodes[:-1]:  # the output itself is always drawn
        node.folded = node.kind == CONSTANT and node.tensor.name is None and node.is_scalar
    _give_names(nodes)
    return DrawnGraph(nodes, edges)


def _kind(tensor: Tensor) -> str:
    if tensor.node.op is not None:
        return OP
    return INPUT if tensor.requires_grad else CONSTANT


def _inputs_first_order(output: Tensor) -> list[Tensor]:
    """Every tensor ``output`` was computed from, constants included, each after its
    inputs, ``output`` last (the reverse of the order backward() walks)."""
    return topological_order(output, constants=True)[::-1]


def _give_names(nodes: list[Node]) -> None:
    """User names where set; generated ones (x1, k1, v1, …) that avoid them otherwise."""
    taken = {node.tensor.name for node in nodes if node.tensor.name is not None}
    counters = {INPUT: 0, CONSTANT: 0, OP: 0}
    for node in nodes:
        if node.tensor.name is not None:
            node.name = str(node.tensor.name)
            continue
        if node.folded:
            node.name = scalar_text(node.tensor)
            continue
        while True:
            counters[node.kind] += 1
            candidate = f"{GENERATED_PREFIX[node.kind]}{counters[node.kind]}"
            if candidate not in taken:
                break
        node.name = candidate


def scalar_text(tensor: Tensor) -> str:
    """A one-element tensor's value as a short number: 2, 0.5, -1.25, 0.3333."""
    return number_text(np.asarray(tensor.detach().numpy()).reshape(()).item())


def number_text(value) -> str:
    """A number as a teacher writes it: whole numbers without a point, else 4 digits."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    value = float(value)
    if value == 0:
        return "0"  # also for -0.0
    if value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.4g}"
