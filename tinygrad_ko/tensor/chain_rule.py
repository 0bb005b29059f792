"""The chain rule, both ways, on one screen: every operation and every derivative passes here.

For ``z = op(x₀, x₁, …)`` the registry (``ops``) gives each input's local rule;
this module composes them over the graph:

* **Evaluate and record** (``apply``): ``z = op.forward(x₀, x₁, …)`` on the
  arrays; when gradients are recorded and an input needs one, z remembers op,
  its inputs (in order: ``x * x`` keeps both edges) and its parameters.
* **Forward mode** (``push_tangents``, in the same pass): for each open dual
  level in which an input carries a tangent ẋᵢ,

      ż = Σᵢ ∂z/∂xᵢ · ẋᵢ        (``op.jvp[i](ẋᵢ, z, x₀, x₁, …)`` for each input i)

  Tangents travel with the values; nothing is taped.
* **Reverse mode** (``backpropagate``): walk the recorded graph from the
  output, each tensor before its inputs (the one recorded last first: the
  engine's clock numbers the operations, ``version.py``), and hand every
  input its share of the adjoint z̄ = ∂L/∂z,

      x̄ᵢ += z̄ · ∂z/∂xᵢ         (``op.vjp[i](z̄, z, x₀, x₁, …)`` for each input i)

  A plain first-order ``backward()`` (no ``create_graph``, no dual level, no
  observer: ``first_order_only``) runs the same walk on raw arrays
  (``_backpropagate_arrays``: the same registry rules, handed arrays), because
  nothing will differentiate its adjoints; the Tensor loop is the definition.
  The cyclic garbage collector is paused during backward (``collector_paused``),
  and collects only its youngest generation while a large graph is alive
  (``defer_full_collections``: the walks would find no cycle in it).

* **Broadcasting, once for each direction**: a rule may answer in the shape
  broadcasting gave it; ``unbroadcast`` sums a VJP share back down to its
  input's shape, ``fit_tangent_to_output`` broadcasts a JVP share up to the
  output's shape. Rules never deal with it.

Nested forward mode without perturbation confusion: each ``dual_level()`` gets
a number, larger for inner levels. At level L a rule sees the inputs *without*
their tangents at levels ≥ L, and the tangents at L themselves carry only lower
levels, so an inner derivative never mixes with an outer one —
``d/dx [x · d/dy (x + y)]`` is 1, not 2.

Where this module stands. Every Tensor operation calls ``apply``, and
``Tensor.backward`` calls ``backward``: the chain rule sits *below* the Tensor
class, which imports it, and it never imports the Tensor class back. It knows a
tensor only as a graph node (its value, version, op, inputs, parameters and
tangents), and it makes each new tensor with ``x._from_array`` of a tensor it
was given (a plain Tensor, whatever subclass x is). So the dependency runs one
way — ``graph`` (the switches) ← ``chain_rule`` ← ``tensor`` ← ``autodiff`` (the
function transforms ``grad``, ``vjp``, ``jvp``, ``jacfwd``, ``hvp``, which call
down into this module too) — with no import inside a function and none at the
bottom of a file. It lives in the ``tensor`` package, beside the Tensor class it
serves, because ``autodiff`` stands above Tensor: putting it there would tie the
two packages into a circle through ``autodiff/__init__.py``.

The Tensor's private fields (``_op``, ``_parents``, ``_params``,
``_tangents``, ``_recorded_at``) are read here and in ``tensor.py`` only;
everything else reads the public view ``t.node``.
"""

from __future__ import annotations

from heapq import heappop, heappush

import numpy as np

from ..backend import array_module
from ..errors import DeviceError, GradError, GraphFreedError, ShapeError, StaleGraphError, TinygradKoError
from ..ops import PRIMITIVES
from ..ops.either import sum_to_shape
from .graph import LARGE_GRAPH, STATE, collector_paused, defer_full_collections, enable_grad, phase
from .version import CLOCK, count_of, shared_version, written_after


# ------------------------------------------------------------------ evaluate and record
def apply(op, *inputs, **params):
    """Run primitive ``op`` on Tensors ``inputs``; return the output Tensor."""
    arrays = [x._data for x in inputs]
    for array in arrays:
        if array.__class__ is not arrays[0].__class__:  # NumPy and CuPy arrays mixed?
            _check_one_device(op, inputs)
            break
    try:
        data = op.forward(*arrays, **params)
    except TinygradKoError:
        raise
    except (ValueError, IndexError, TypeError) as error:
        shapes = " and ".join(str(x.shape) for x in inputs)
        raise ShapeError(f"{op.name}: cannot apply to shape(s) {shapes}: {error}") from None
    if data.__class__ is not np.ndarray and isinstance(data, np.generic):  # NumPy returns scalars, not 0-d arrays
        data = np.asarray(data)
    version = _version_of_memory(data, inputs)
    out = inputs[0]._from_array(data, version)

    if STATE.grad_enabled:
        for x in inputs:
            if x.requires_grad:
                out.requires_grad = True
                out._op = op
                out._parents = inputs
                out._params = params
                out._recorded_at = next(CLOCK)  # its place in the computation (version.py)
                STATE.recorded += 1
                if STATE.recorded % LARGE_GRAPH == 0:  # a large graph may be growing (graph.py)
                    defer_full_collections(out)
                break

    if STATE.observers:
        for callback in STATE.observers:
            callback(op, out, inputs, params, STATE.phase)

    if STATE.open_levels:
        levels = _levels_carried(inputs)
        if levels:
            push_tangents(op, out, inputs, params, levels)
    return out


# ------------------------------------------------------------------ forward mode
def push_tangents(op, out, inputs, params, levels) -> None:
    """ż = Σᵢ ∂z/∂xᵢ · ẋᵢ at each level, lowest level first.

    The rule sees ``out`` through a view, so the tangent added here is not
    visible to the computation that produces it."""
    for level in levels:
        primals = [without_levels_from(x, level) for x in inputs]
        out_seen = _view_below(out, level)
        tangent = None
        with phase("jvp"):
            for position, x in enumerate(inputs):
                tangent_in = x._tangents.get(level) if x._tangents else None
                if tangent_in is None:
                    continue
                share = op.jvp[position](tangent_in, out_seen, *primals, **params)
                tangent = share if tangent is None else tangent + share
            tangent = fit_tangent_to_output(tangent, out, op)
        if out._tangents is None:
            out._tangents = {}
        out._tangents[level] = tangent


def fit_tangent_to_output(tangent, out, op):
    """Broadcast a JVP share up to ``out``'s shape and dtype (forward mode's unbroadcast)."""
    if tangent.shape != out.shape:
        try:
            tangent = tangent.broadcast_to(out.shape)
        except ShapeError:
            raise ShapeError(
                f"{op.name}: its JVP rule gave a tangent of shape {tangent.shape} "
                f"for an output of shape {out.shape}"
            ) from None
    if tangent.dtype != out.dtype:
        tangent = tangent.cast(out.dtype)
    return tangent


# ------------------------------------------------------------------ reverse mode
def backpropagate(root, seed, *, create_graph: bool, retain_graph: bool, stop_at=()) -> list[tuple]:
    """x̄ᵢ += z̄ · ∂z/∂xᵢ over the graph of ``root``, from ``root̄ = seed``.

    Returns ``(tensor, adjoint)`` for the tensors whose adjoint someone wants:
    leaves, tensors in ``stop_at`` (the pass does not go through them) and
    tensors that called ``retain_grad()``. Other adjoints are dropped as soon
    as they have been passed on.

    The order of the walk: a tensor may pass its adjoint on only once it is
    complete, that is once every tensor computed from it has added its share.
    Every tensor is recorded after its inputs, so its tick of the engine's
    clock (``_recorded_at``, see ``version.py``) is smaller than the tick of
    anything computed from it. So the walk keeps the tensors that have
    received a share in a heap, ``waiting``, and always takes out the one
    recorded last: whatever was computed from it was recorded later, and has
    already been taken out and has passed its share on. A tensor enters the
    heap with its first share, so the walk needs no separate sort of the graph
    and no set of visited tensors. Leaves and ``stop_at`` tensors pass nothing
    on; they are collected in ``ends`` and read when the walk is over."""
    STATE.backward_passes += 1
    with collector_paused():
        if first_order_only(create_graph):
            return _backpropagate_arrays(root, seed, retain_graph, stop_at)
        return _backpropagate_tensors(root, seed, create_graph, retain_graph, stop_at)


def _backpropagate_tensors(root, seed, create_graph: bool, retain_graph: bool, stop_at) -> list[tuple]:
    """The chain rule with Tensor adjoints: each rule is itself recorded when
    ``create_graph`` is on, and pushes tangents in an open dual level."""
    stop_ids = {id(t) for t in stop_at} if stop_at else ()
    adjoints = {id(root): seed}   # id(tensor) -> the sum of the shares it has received so far
    waiting, ends, wanted = [], [], []
    _first_share(root, stop_ids, waiting, ends)
    last_write = STATE.last_write
    with enable_grad(create_graph), phase("vjp"):
        while waiting:
            tensor = heappop(waiting)[1]
            adjoint = adjoints.pop(id(tensor))
            if tensor._retains_grad:
                wanted.append((tensor, adjoint))
            inputs = tensor._parents
            if inputs is None:
                raise _released_graph_error()
            if tensor._recorded_at < last_write:  # something was written in place since it was recorded
                check_unchanged(tensor, inputs)
            for position, parent in enumerate(inputs):
                if not parent.requires_grad:
                    continue
                share = tensor._op.vjp[position](adjoint, tensor, *inputs, **tensor._params)
                share = unbroadcast(share, parent, tensor._op)
                previous = adjoints.get(id(parent))
                if previous is None:
                    adjoints[id(parent)] = share
                    _first_share(parent, stop_ids, waiting, ends)
                else:
                    adjoints[id(parent)] = previous + share
            if not retain_graph:
                tensor._parents = None
    return wanted + [(tensor, adjoints[id(tensor)]) for tensor in ends]


def _first_share(tensor, stop_ids, waiting: list, ends: list) -> None:
    """``tensor`` has received its first share: it waits in the heap, recorded last first
    (``-_recorded_at``), or, a leaf or a ``stop_at`` tensor, joins the ends."""
    if tensor._op is None or id(tensor) in stop_ids:
        ends.append(tensor)
    else:
        heappush(waiting, (-tensor._recorded_at, tensor))


def first_order_only(create_graph: bool) -> bool:
    """True when nothing will differentiate this backward pass's adjoints again.

    That is: no ``create_graph`` (no grad of grad), no open dual level (no
    forward-over-reverse: a tangent would have to flow through the rules) and
    no observer (the cost counter counts the rules' Tensor operations). Only
    then may ``backpropagate`` take its fast path on raw arrays."""
    return not create_graph and not STATE.open_levels and not STATE.observers


def _backpropagate_arrays(root, seed, retain_graph: bool, stop_at) -> list[tuple]:
    """``backpropagate``'s loop on raw arrays: the first-order fast path.

    The same walk and the same checks as the Tensor loop above, but the
    adjoints are plain arrays and each rule of an entry marked ``on_arrays``
    (written with ``ops.either``) is handed arrays, so no wrapper Tensor is
    made and no engine check runs per rule; a rule written with Tensor
    methods (a student's, a convolution's) gets its arrays wrapped. Why it exists: the
    Tensor rules' bookkeeping costs more than their arithmetic on small
    arrays, and only a graph that will be differentiated again needs it.
    The adjoints are wrapped into Tensors once, at the end; one array
    handed to two tensors becomes one Tensor, so ``backward`` still sees it
    as shared. On the way, an adjoint may be a NumPy scalar (NumPy's
    arithmetic on 0-d arrays returns one): the rules take scalars as they
    take 0-d arrays, so only the adjoints handed out are made arrays, at the
    end, rather than every share of a scalar graph."""
    stop_ids = {id(t) for t in stop_at} if stop_at else ()
    adjoints = {id(root): seed._data}
    waiting, ends, wanted = [], [], []
    _first_share(root, stop_ids, waiting, ends)
    last_write = STATE.last_write
    while waiting:
        tensor = heappop(waiting)[1]
        adjoint = adjoints.pop(id(tensor))
        if tensor._retains_grad:
            wanted.append((tensor, adjoint))
        inputs = tensor._parents
        if inputs is None:
            raise _released_graph_error()
        if tensor._recorded_at < last_write:
            check_unchanged(tensor, inputs)
        op, rules, params = tensor._op, tensor._op.vjp, tensor._params
        if op.on_arrays:  # the rule's arguments, once for all its inputs
            arguments = (adjoint, tensor._data, *[x._data for x in inputs])
        for position, parent in enumerate(inputs):
            if not parent.requires_grad:
                continue
            if op.on_arrays:  # arrays in, an array out: nothing to record
                share = rules[position](*arguments, **params)
            else:  # rules written with Tensor methods: run on wrapped arrays, unrecorded
                with _RULES_UNRECORDED:
                    share = rules[position](tensor._from_array(adjoint), tensor, *inputs, **params)._data
            target = parent._data
            if share.shape != target.shape or share.dtype != target.dtype:
                share = _unbroadcast_array(share, parent, op)  # (most shares already fit: no call)
            key = id(parent)
            previous = adjoints.get(key)
            if previous is not None:
                adjoints[key] = previous + share
                continue
            adjoints[key] = share  # its first share: as in _first_share
            if parent._op is None or key in stop_ids:
                ends.append(parent)
            else:
                heappush(waiting, (-parent._recorded_at, parent))
        if not retain_graph:
            tensor._parents = None
    wanted += [(tensor, adjoints[id(tensor)]) for tensor in ends]
    as_tensors = {id(seed._data): seed}
    pairs = []
    for tensor, adjoint in wanted:
        wrapped = as_tensors.get(id(adjoint))
        if wrapped is None:
            array = np.asarray(adjoint) if isinstance(adjoint, np.generic) else adjoint
            wrapped = as_tensors[id(adjoint)] = seed._from_array(array)
        pairs.append((tensor, wrapped))
    return pairs


_RULES_UNRECORDED = enable_grad(False)
"""The switch the array loop runs a rule written with Tensor methods in, so that it records nothing
(one object for every pass: a switch may be re-entered). Rules on arrays need none: they make no Tensors."""


def _unbroadcast_array(share, target, op):
    """``unbroadcast`` on arrays: sum ``share`` down to ``target``'s shape, in its dtype
    (a NumPy scalar may come back: see ``_backpropagate_arrays``)."""
    if share.shape != target._data.shape:
        try:
            share = sum_to_shape(share, target._data.shape)
        except ValueError:
            raise ShapeError(
                f"{op.name}: its VJP rule gave shape {share.shape} for an input of shape {target.shape}") from None
    if share.dtype != target._data.dtype:
        share = share.astype(target._data.dtype)
    return share


def unbroadcast(share, target, op):
    """Sum a VJP share back down to the shape (and dtype) of the input it belongs to."""
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


def topological_order(root, *, constants: bool = False) -> list:
    """Every recorded tensor that ``root`` depends on, ``root`` first, each before its inputs.

    Iterative (a 10,000-step chain needs no recursion) and deterministic
    (parents are visited in their recorded order). Inputs that need no gradient
    are left out unless ``constants=True`` (the drawings show them).

    Backward does not need it (``backpropagate`` walks by the clock's ticks); the
    drawings, the batched Jacobians and the widgets do. A depth-first walk: a
    tensor is finished once all its inputs are. The stack
    holds tensors to visit, and a tensor followed by the marker ``_INPUTS_DONE``
    means "its inputs are finished, finish it" (a marker rather than a
    ``(tensor, flag)`` pair, so the walk allocates nothing per node)."""
    finished = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        tensor = stack.pop()
        if tensor is _INPUTS_DONE:
            finished.append(stack.pop())
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if tensor._op is not None and tensor._parents is None:
            raise _released_graph_error()
        stack.append(tensor)
        stack.append(_INPUTS_DONE)
        for parent in reversed(tensor._parents):
            if (constants or parent.requires_grad) and id(parent) not in seen:
                stack.append(parent)
    finished.reverse()
    return finished


_INPUTS_DONE = object()


def _released_graph_error() -> GraphFreedError:
    """The error for a walk that reaches a tensor whose graph an earlier backward() released."""
    return GraphFreedError(
        "this graph was released by an earlier backward(); call that backward(retain_graph=True) "
        "to go through the graph again (or to draw it afterwards)")


# ------------------------------------------------------------------ backward(): seed in, .grad out
def backward(root, seed=None, *, retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """``root.backward()``: add ∂root/∂leaf · seed to every leaf's ``.grad``.

    ``seed`` is None (1 for a one-element ``root``) or a Tensor of ``root``'s
    shape. ``retain_graph`` defaults to ``create_graph`` (as in PyTorch)."""
    if not root.requires_grad:
        raise GradError(
            "backward() on a tensor that does not depend on anything requiring a gradient; "
            "create the inputs with requires_grad=True (and not inside no_grad())")
    if retain_graph is None:
        retain_graph = create_graph
    seed = make_seed(root, seed)
    wanted = backpropagate(root, seed, create_graph=create_graph, retain_graph=retain_graph)
    handed_out = {}  # id(adjoint) -> how many tensors it goes to
    for _, adjoint in wanted:
        handed_out[id(adjoint)] = handed_out.get(id(adjoint), 0) + 1
    for tensor, adjoint in wanted:
        shared = adjoint is seed or handed_out[id(adjoint)] > 1
        tensor.grad = gradient_buffer(tensor.grad, adjoint, shared=shared, create_graph=create_graph)


def make_seed(root, seed):
    """The starting adjoint: 1 for a one-element output, else ``seed`` (a Tensor) in root's dtype."""
    if seed is None:
        data = root._data
        if data.size != 1:
            raise GradError(
                f"the output has shape {root.shape}, so it has no single gradient; "
                "pass a seed of that shape (a vector-Jacobian product), "
                "or use jacrev / vjp for the whole Jacobian")
        one = array_module(data).array(1, dtype=data.dtype)  # (np.ones(shape) costs 5 times more)
        return root._from_array(one if data.ndim == 0 else one.reshape(data.shape))
    if seed.shape != root.shape:
        raise ShapeError(f"backward: the seed has shape {seed.shape} but the output has shape {root.shape}")
    return seed.cast(root.dtype)


def gradient_buffer(previous, adjoint, *, shared: bool, create_graph: bool):
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
        total = previous._data + adjoint._data
        if isinstance(total, np.generic):  # NumPy arithmetic on 0-d arrays returns scalars
            total = np.asarray(total)
        return adjoint._from_array(total)
    if shared or not owns_writable_memory(adjoint._data):
        return adjoint._from_array(adjoint._data.copy())
    return adjoint


def owns_writable_memory(array) -> bool:
    """True for an array that is not a view of another (and, in NumPy, not read-only)."""
    if array.base is not None:
        return False
    return not isinstance(array, np.ndarray) or array.flags.writeable


# ------------------------------------------------------------------ bookkeeping
def check_unchanged(tensor, inputs) -> None:
    """StaleGraphError if an input of ``tensor``'s operation, or ``tensor`` itself, was
    changed in place after the operation saved it (its memory was written at a later
    tick of the engine's clock than the operation was recorded at: ``version.py``)."""
    for position, x in enumerate((*inputs, tensor)):
        if written_after(x, tensor._recorded_at):
            what = repr(x.name) if x.name else f"a tensor of shape {x.shape}"
            role = "its output" if x is tensor else f"input {position}"
            raise StaleGraphError(
                f"{what} was modified in place after {tensor._op.name} saved it ({role}; now at "
                f"version {count_of(x)}), so this graph would give gradients at the "
                "new values; run the forward pass again after changing a tensor (optimizer.step() "
                "changes the parameters), or call backward before the change")


def _version_of_memory(data, inputs):
    """The version counter ``data`` must share: an input's, when ``data`` is that input's
    array or a view of its memory (``identity``, ``reshape``, ``transpose``,
    ``x[1:]`` return views); None for a new array."""
    base = data.base
    if base is None:  # a new array, or an input's own (identity): the common case, checked first
        for x in inputs:
            if data is x._data:
                return shared_version(x)
        return None
    for x in inputs:
        if base is x._data or base is x._data.base:
            return shared_version(x)
    return None


def _check_one_device(op, inputs) -> None:
    """All inputs of one operation must live on one device."""
    first = type(inputs[0]._data)
    for x in inputs[1:]:
        if type(x._data) is not first and x.device != inputs[0].device:
            devices = ", ".join(f"{x.shape} on {x.device}" for x in inputs)
            raise DeviceError(f"{op.name}: inputs are on different devices ({devices}); "
                              "move them to one device with .to('cpu') or .to('cuda')")


def _levels_carried(inputs) -> list[int]:
    """The open dual levels at which some input has a tangent, lowest first."""
    levels = set()
    for x in inputs:
        if x._tangents:
            levels.update(level for level in x._tangents if level in STATE.open_levels)
    return sorted(levels)


def without_levels_from(x, level: int):
    """``x`` as seen from dual level ``level``: same value, tangents below it only."""
    if not x._tangents or all(carried < level for carried in x._tangents):
        return x
    return _view_below(x, level)


def with_tangent(primal, tangent, level: int):
    """A new tensor with ``primal``'s value, its tangents below ``level``, and ``tangent`` at ``level``
    (``make_dual``'s work; the tangent is already a Tensor of the primal's shape and dtype)."""
    dual = _view_below(primal, level)
    if dual._tangents is None:
        dual._tangents = {}
    dual._tangents[level] = tangent
    return dual


def differentiation_leaf(x):
    """A fresh leaf with ``x``'s value (the same memory and version) and tangents, requiring a
    gradient, that ``numpy()`` refuses: a function being differentiated must not leave the graph."""
    leaf = x._from_array(x._data, shared_version(x))
    leaf._tangents = dict(x._tangents) if x._tangents else None
    leaf.requires_grad = True
    leaf._differentiated = True
    leaf.name = x.name
    return leaf


def _view_below(x, level: int):
    """A new tensor with ``x``'s value and its tangents below ``level``.

    The view takes part in reverse mode like ``x`` itself (through an
    ``identity`` node when ``x`` is recorded), so a rule evaluated on it can
    still be differentiated by an outer ``backward``.
    """
    view = x._from_array(x._data, shared_version(x))
    if x._tangents:
        view._tangents = {lv: t for lv, t in x._tangents.items() if lv < level} or None
    if x.requires_grad and STATE.grad_enabled:
        view.requires_grad = True
        view._op = PRIMITIVES["identity"]
        view._parents = (x,)
        view._params = {}
        view._recorded_at = next(CLOCK)
    return view
