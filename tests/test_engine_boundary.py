"""The graph's private fields belong to the engine: everything else reads ``t.node``.

The engine is the ``tinygrad_ko/tensor/`` package (the Tensor, its graph
state and the chain rule). A drawing, the cost counter, gradcheck or the
function transforms that reached into ``_op`` or ``_parents`` would break the
day the engine stores its graph differently; this test fails at the first such
read, naming the file and the line. The classroom notebooks are held to the
same rule: their sources (``notebooks/sources/``) show students the public
view, not the engine's storage.
"""

import pathlib
import re

import numpy as np
import pytest

from tinygrad_ko import Tensor, dual_level, make_dual
from tinygrad_ko.errors import GraphFreedError

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "tinygrad_ko"
ENGINE = PACKAGE / "tensor"
NOTEBOOK_SOURCES = PACKAGE.parent / "notebooks" / "sources"
PRIVATE_GRAPH_FIELD = re.compile(
    r"\.(_op|_parents|_params|_tangents|_recorded_at|_retains_grad|_differentiated|_version)\b")


def private_reads(paths) -> list[str]:
    """'file:line: text' for each line of ``paths`` that reads a private graph field (comments aside)."""
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PRIVATE_GRAPH_FIELD.search(line.split("#")[0]):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_no_private_graph_field_is_read_outside_the_engine():
    found = private_reads(path for path in sorted(PACKAGE.rglob("*.py")) if ENGINE not in path.parents)
    assert found == [], "private graph fields used outside tinygrad_ko/tensor/ (use t.node):\n" + "\n".join(found)


def test_no_notebook_reads_a_private_graph_field():
    sources = sorted(NOTEBOOK_SOURCES.glob("*.py"))
    assert sources, f"no notebook sources in {NOTEBOOK_SOURCES}"
    found = private_reads(sources)
    assert found == [], "private graph fields used in a notebook (use t.node):\n" + "\n".join(found)


def test_the_pattern_catches_a_private_read():
    assert PRIVATE_GRAPH_FIELD.search("parents = e._parents")
    assert PRIVATE_GRAPH_FIELD.search("op = child.tensor._op.name")
    assert not PRIVATE_GRAPH_FIELD.search("op = child.tensor.node.op.name")
    assert not PRIVATE_GRAPH_FIELD.search("self._options = {}")


def test_the_node_view_of_an_operation():
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(1.0, requires_grad=True, name="b")
    c = a + b
    e = c * c
    assert e.node.op.name == "mul"
    assert e.node.inputs == (c, c)   # x * x keeps both edges
    assert dict(e.node.params) == {}
    assert e.node.value.item() == 9.0
    assert e.node.grad is None and e.node.tangent is None and dict(e.node.tangents) == {}
    s = e.sum(axis=0) if e.ndim else e.reshape(1).sum(axis=0)
    assert dict(s.node.params) == {"axis": (0,), "keepdims": False}


def test_the_node_view_of_a_leaf_after_backward():
    a = Tensor([1.0, 2.0], requires_grad=True)
    (a * a).sum().backward()
    assert a.node.op is None and a.node.is_leaf and a.node.inputs == ()
    assert dict(a.node.params) == {}
    np.testing.assert_array_equal(a.node.grad.numpy(), [2.0, 4.0])


def test_the_node_view_is_read_only():
    a = Tensor([1.0, 2.0], requires_grad=True)
    y = a.sum(axis=0)
    with pytest.raises(AttributeError):
        y.node.op = None
    with pytest.raises(TypeError):
        y.node.params["axis"] = (1,)
    with pytest.raises(ValueError):
        y.node.value[...] = 0.0
    with pytest.raises(ValueError):
        a.node.value[0] = 5.0
    assert a.data[0] == 1.0


def test_the_node_view_of_a_released_graph_says_so():
    a = Tensor(3.0, requires_grad=True)
    y = a * a
    y.backward()
    assert y.node.op.name == "mul"
    with pytest.raises(GraphFreedError):
        y.node.inputs


def test_the_node_view_shows_the_tangent_of_the_innermost_level():
    x = Tensor(2.0)
    with dual_level() as outer:
        x_outer = make_dual(x, 1.0)
        y = x_outer * 3.0
        assert y.node.tangent.item() == 3.0
        with dual_level() as inner:
            z = make_dual(y, 10.0) * 2.0   # carries a tangent in both levels
            assert z.node.tangent.item() == 20.0             # the inner one
            assert sorted(z.node.tangents) == [outer, inner]
            assert z.node.tangents[outer].item() == 6.0
        assert z.node.tangent.item() == 6.0   # the inner level is closed: the outer one shows
