"""A traced training step: record a step's array operations once, replay them without Tensors.

An eager engine pays its bookkeeping on every operation of every step: a
Tensor per result, a graph node, the chain rule's walk. ``jax.jit`` and
``torch.compile`` pay it once: they run the step one time to *trace* it —
write down every array operation it performs, the forward pass and the
backward pass alike — and from then on run only that list. This module is
that idea in its smallest form::

    step = trace_gradient(loss, params, example_inputs)   # runs loss once, records
    value, grads = step(*input_arrays)                     # replays: arrays in, arrays out

``trace_gradient`` runs ``loss(*inputs)`` and its backward pass once, with two
listeners: ``observe`` sees every primitive applied, with its inputs and
parameters (the rules of backward included: with an observer the engine
applies them as Tensor operations), and ``trace_values`` sees the array
computations that are not primitives (comparisons such as relu's mask
``x > 0``, ``~``, ``detach``). The tape is both, in the order they ran.
Replaying it evaluates each step's array function, reading the parameters'
current values and the new inputs; every other array the trace met (a Python
number lifted to a tensor, an index array, a constant tensor) is fixed at its
traced value.

What a trace cannot see, it freezes — the same rules as ``jax.jit``:

* Python control flow and shapes: the replay takes the branch the traced run
  took (also inside rules: relu's check for an infinite adjoint, pow's guard at
  0, logsumexp's check for an infinite maximum), and it needs inputs of the
  traced shapes and dtypes (checked);
* anything not passed as an input: a label array used as an index is part of
  the trace, so give labels as a one-hot input tensor instead.

``tests/test_jit.py`` checks replayed steps against eager ones.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import ShapeError
from .tensor import Tensor, enable_grad
from .tensor.chain_rule import backpropagate, make_seed
from .tensor.graph import observe, trace_values


class TracedGradient:
    """The tape of one ``loss`` evaluation and its backward pass; call it to replay."""

    def __init__(self, tape, inputs, params, loss, gradients):
        self.tape = tape            # [(array function, output, inputs, params)] in the order they ran
        self.inputs = inputs        # the traced input tensors (replaced at each call)
        self.params = params        # the parameters (read at each call: their current values)
        self.loss = loss            # the tensor holding the loss
        self.gradients = gradients  # for each parameter, the tensor its gradient ended in (or None)

    def __call__(self, *arrays):
        """Replay: (the loss value, [∂loss/∂param as an array for each parameter]) at these inputs."""
        if len(arrays) != len(self.inputs):
            raise ShapeError(f"traced step: {len(self.inputs)} input(s) traced, {len(arrays)} given")
        values = {}
        for traced, array in zip(self.inputs, arrays):
            if array.shape != traced.shape or array.dtype != traced.dtype:
                raise ShapeError(f"traced step: an input was traced as {traced.shape} {traced.dtype}, "
                                 f"not {array.shape} {array.dtype}")
            values[id(traced)] = array
        for param in self.params:
            values[id(param)] = param.data

        def value(x):   # a tensor computed in this replay, or a constant of the trace
            if not isinstance(x, Tensor):
                return x
            return values[id(x)] if id(x) in values else x.data

        for function, out, inputs, params in self.tape:
            result = function(*[value(x) for x in inputs], **params)
            values[id(out)] = np.asarray(result) if isinstance(result, np.generic) else result
        gradients = [None if g is None else value(g) for g in self.gradients]
        return value(self.loss), gradients


def trace_gradient(loss: Callable, params, example_inputs) -> TracedGradient:
    """Run ``loss(*example_inputs)`` (a scalar Tensor) and its gradient with respect to
    ``params`` once, recording every array operation; return the replayable tape."""
    params = list(params)
    inputs = [x if isinstance(x, Tensor) else Tensor(x) for x in example_inputs]
    tape = []

    def primitive_applied(op, out, op_inputs, op_params, phase):
        tape.append((op.forward, out, op_inputs, op_params))

    def value_computed(function, out, op_inputs):
        tape.append((function, out, op_inputs, {}))

    with observe(primitive_applied), trace_values(value_computed), enable_grad():
        value = loss(*inputs)
        pairs = backpropagate(value, make_seed(value, None), create_graph=False, retain_graph=True,
                              stop_at=params)
    found = {id(tensor): adjoint for tensor, adjoint in pairs}
    gradients = [found.get(id(param)) for param in params]
    return TracedGradient(tape, inputs, params, value, gradients)
