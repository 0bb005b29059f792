"""The engine's policy for Python's cyclic garbage collector (``tensor/graph.py``):
paused during backward, no full collections while a large graph is alive."""

import gc
import weakref

import pytest

from tinygrad_ko import Tensor
from tinygrad_ko.tensor import chain_rule, graph
from tinygrad_ko.tensor.graph import LARGE_GRAPH


@pytest.fixture
def default_thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    graph.STATE.recorded = 1   # so that no chain's last operation falls on a multiple of LARGE_GRAPH
    yield (700, 10, 10)
    gc.set_threshold(*saved)


def chain(length):
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(length // 2):
        y = y * 0.999 + 0.001
    return x, y


def full_collections_during(function):
    """How many generation-2 collections the collector started while ``function`` ran."""
    started = []

    def callback(phase, info):
        if phase == "start" and info["generation"] == 2:
            started.append(info)

    gc.callbacks.append(callback)
    try:
        result = function()
    finally:
        gc.callbacks.remove(callback)
    return len(started), result


def test_no_full_collection_while_a_large_graph_is_recorded(default_thresholds):
    gc.collect()
    count, (x, y) = full_collections_during(lambda: chain(60_000))   # 180,000 tracked survivors
    assert count == 0
    assert gc.get_threshold()[2] > 10**6   # deferred while the graph is alive
    y.backward()
    assert x.grad.item() == pytest.approx(0.999 ** 30_000)
    assert gc.get_threshold() == default_thresholds   # backward released the graph: back to normal


def test_the_deferral_lasts_while_its_anchor_is_alive(default_thresholds):
    graph.STATE.recorded = 0
    x, y = chain(LARGE_GRAPH)   # y is the anchor
    y.backward()
    assert gc.get_threshold()[2] > 10**6
    del y
    assert gc.get_threshold() == default_thresholds


def test_without_the_policy_the_same_chain_gets_full_collections(default_thresholds, monkeypatch):
    """The test above can fail: with the policy switched off, full collections do happen."""
    monkeypatch.setattr(chain_rule, "defer_full_collections", lambda anchor: None)
    gc.collect()
    count, _ = full_collections_during(lambda: chain(60_000))
    assert count > 0


def test_a_dropped_graph_is_freed_by_reference_counting_and_the_threshold_comes_back(default_thresholds):
    gc.disable()   # nothing but reference counting may free the graph
    try:
        x, y = chain(2 * LARGE_GRAPH + 10)
        assert gc.get_threshold()[2] > 10**6
        watchers = [weakref.ref(y), weakref.ref(y.node.inputs[0]), weakref.ref(y.node.inputs[0].node.inputs[0])]
        assert all(w() is not None for w in watchers)
        del y
        assert all(w() is None for w in watchers)
        assert gc.get_threshold() == default_thresholds
        assert not graph._DeferredFullCollections.anchors
    finally:
        gc.enable()


def test_a_small_graph_leaves_the_collector_alone(default_thresholds):
    x, y = chain(LARGE_GRAPH - 2)
    assert gc.get_threshold() == default_thresholds
    y.backward()


def test_thresholds_the_program_sets_meanwhile_are_kept(default_thresholds):
    x, y = chain(2 * LARGE_GRAPH + 10)
    gc.set_threshold(500, 5, 7)
    del x, y
    assert gc.get_threshold() == (500, 5, 7)


def test_cycles_dropped_meanwhile_are_still_collected(default_thresholds):
    class Node:
        pass

    x, y = chain(2 * LARGE_GRAPH + 10)
    a, b = Node(), Node()
    a.other, b.other = b, a
    watcher = weakref.ref(a)
    del a, b
    gc.collect()
    assert watcher() is None
    y.backward()


def test_the_middle_generation_waits_too_and_comes_back(default_thresholds):
    x, y = chain(2 * LARGE_GRAPH + 10)
    assert gc.get_threshold()[1] > 10**6 and gc.get_threshold()[2] > 10**6
    y.backward()
    del y
    assert gc.get_threshold() == default_thresholds


def medium_chains_one_after_another(count=60, length=3_000):
    """Chains that each live through many young collections, one after another (as a benchmark runs them)."""
    for _ in range(count):
        x, y = chain(length)
        y.backward()
    return x


@pytest.fixture
def long_lived_objects():
    """200,000 tracked objects that live on (as torch's do once it is imported), all in the oldest generation."""
    ballast = [[] for _ in range(200_000)]
    gc.collect()
    yield ballast


def test_graphs_one_after_another_bring_no_full_collection(default_thresholds, long_lived_objects):
    """Objects moved into the oldest generation count towards the next full collection even once
    freed; graphs whose tensors stay in the middle generation count towards nothing."""
    gc.collect()
    count, x = full_collections_during(medium_chains_one_after_another)
    assert count == 0
    assert x.grad.item() == pytest.approx(0.999 ** 1_500, rel=1e-4)


def test_holding_only_the_oldest_generation_the_same_graphs_bring_full_collections(default_thresholds, long_lived_objects,
                                                                                    monkeypatch):
    """The test above can fail: deferring the third threshold alone still lets them come."""
    def third_threshold_only(anchor):
        deferred = graph._DeferredFullCollections
        if not deferred.anchors:
            first, second, deferred.saved_threshold = gc.get_threshold()
            deferred.saved_second = second
            gc.set_threshold(first, second, graph._NEVER)
        deferred.anchors.add(weakref.ref(anchor, third_threshold_freed))

    def third_threshold_freed(reference):
        deferred = graph._DeferredFullCollections
        deferred.anchors.discard(reference)
        if not deferred.anchors:
            first, second, _ = gc.get_threshold()
            gc.set_threshold(first, second, deferred.saved_threshold)

    monkeypatch.setattr(chain_rule, "defer_full_collections", third_threshold_only)
    gc.collect()
    count, _ = full_collections_during(medium_chains_one_after_another)
    assert count > 0
