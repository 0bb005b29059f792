"""Layers as separate processes that talk through queues: decoupling you can time.

Each module of the FCN (every hidden block, and the output layer with the loss)
runs in its own process with its own copy of the engine. Messages are NumPy
arrays tagged with the step number::

    worker i:  activations in  ──▶  forward  ──▶  activations out (to worker i+1)
               gradients out   ◀──  backward ◀──  gradients in    (from worker i+1)

``mode="bprop"``     — locked: after its forward, worker i *waits* for ∂L/∂hᵢ
                       from worker i+1 before it can run backward and update.
``mode="dni"``       — decoupled: worker i backpropagates ĝᵢ = Mᵢ(hᵢ) and updates
                       at once, sends the gradient for its own input back to
                       worker i−1 (that worker's bootstrapped target), and
                       trains Mᵢ on whatever targets from worker i+1 have
                       arrived so far, without waiting for the rest.

With the locked mode the pipeline is a relay: only one worker computes at a
time. With DNI every worker can be busy with a different step at once, so on a
machine with several free cores the same number of steps takes less wall-clock
time. The gradient model is linear here: its parameter gradient needs only the
saved input h, so a prediction can be trained some steps later even though M
has been updated in between.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

import numpy as np

STOP = None


@dataclass
class PipelineResult:
    mode: str
    steps: int
    wall_seconds: float
    test_error: float
    losses: list


def _block_worker(index, mode, spec, seed, activations_in, activations_out, gradients_in, gradients_out, done):
    """Hidden block ``index``: forward, then backward from ĝ (dni) or from the true gradient (bprop)."""
    from ..nn import BatchNorm1d, Linear, ReLU, Sequential
    from ..optim import Adam
    from ..tensor import Tensor
    from .interface import SyntheticGradient
    from .predictors import LinearPredictor

    rng = np.random.default_rng(seed + 1000 * index)
    n_in, width = spec["in_features"] if index == 0 else spec["width"], spec["width"]
    block = Sequential(Linear(n_in, width, rng=rng), BatchNorm1d(width), ReLU())
    optimizer = Adam(block.parameters(), lr=spec["lr"])
    interface = None
    if mode == "dni":
        model = LinearPredictor(width, spec["num_classes"])
        interface = SyntheticGradient(model, Adam(model.parameters(), lr=spec["predictor_lr"]), name=f"M{index + 1}")

    def train_predictor(block_until_empty: bool):
        while interface.pending and (block_until_empty or not gradients_in.empty()):
            _, target = gradients_in.get()
            interface.update(Tensor(target))

    while True:
        message = activations_in.get()
        if message is STOP:
            break
        step, x_array, labels = message
        x = Tensor(x_array, requires_grad=index > 0)
        h = block(x)
        if mode == "dni":
            out = interface.cut(h, labels)                    # backward with ĝ, no waiting
            activations_out.put((step, out.detach().numpy(), labels))
            optimizer.step()
            optimizer.zero_grad()
            if index > 0:
                gradients_out.put((step, x.grad.numpy()))
            train_predictor(block_until_empty=False)
        else:
            activations_out.put((step, h.detach().numpy(), labels))
            _, true_gradient = gradients_in.get()             # the locks: wait for everything above
            h.backward(seed=Tensor(true_gradient))
            optimizer.step()
            optimizer.zero_grad()
            if index > 0:
                gradients_out.put((step, x.grad.numpy()))
    if interface is not None:
        train_predictor(block_until_empty=True)
    activations_out.put(STOP)
    done.put((index, _state(block)))


def _output_worker(spec, seed, mode, activations_in, gradients_out, done):
    """The output layer: loss, backward, update; the true gradient goes back down."""
    from ..nn import Linear, cross_entropy
    from ..optim import Adam
    from ..tensor import Tensor

    rng = np.random.default_rng(seed + 999)
    head = Linear(spec["width"], spec["num_classes"], rng=rng)
    optimizer = Adam(head.parameters(), lr=spec["lr"])
    losses = []
    while True:
        message = activations_in.get()
        if message is STOP:
            break
        step, x_array, labels = message
        x = Tensor(x_array, requires_grad=True)
        loss = cross_entropy(head(x), labels) * len(labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        gradients_out.put((step, x.grad.numpy()))
        losses.append(loss.item() / len(labels))
    done.put(("output", _state(head), losses))


def run_pipeline(mode: str, data, *, hidden_layers: int = 3, width: int = 256, steps: int = 300,
                 batch_size: int = 64, lr: float = 3e-4, predictor_lr: float = 1e-3, seed: int = 0) -> PipelineResult:
    """Train with one process per module; returns the wall-clock time and the test error."""
    if mode not in ("bprop", "dni"):
        raise ValueError(f"mode must be 'bprop' or 'dni', got {mode!r}")
    X_train, y_train, X_test, y_test = data
    spec = {"in_features": X_train.shape[1], "width": width, "num_classes": int(y_train.max()) + 1,
            "lr": lr, "predictor_lr": predictor_lr}
    context = multiprocessing.get_context("fork")
    forward = [context.Queue() for _ in range(hidden_layers + 1)]    # into block i / into the output
    backward = [context.Queue() for _ in range(hidden_layers)]        # gradients for h_i, from above
    done = context.Queue()
    workers = [context.Process(target=_block_worker,
                               args=(i, mode, spec, seed, forward[i], forward[i + 1], backward[i],
                                     backward[i - 1] if i > 0 else None, done))
               for i in range(hidden_layers)]
    workers.append(context.Process(target=_output_worker,
                                   args=(spec, seed, mode, forward[hidden_layers], backward[hidden_layers - 1], done)))
    for worker in workers:
        worker.start()
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for step in range(steps):
        idx = rng.choice(len(X_train), size=batch_size, replace=False)
        forward[0].put((step, X_train[idx], y_train[idx]))
    forward[0].put(STOP)
    states = {}
    for _ in range(hidden_layers + 1):
        message = done.get()
        states[message[0]] = message[1:]
    wall = time.perf_counter() - start
    for worker in workers:
        worker.join()
    return PipelineResult(mode, steps, wall, _test_error(states, spec, hidden_layers, X_test, y_test),
                          states["output"][1])


def _test_error(states, spec, hidden_layers, X_test, y_test) -> float:
    """Reassemble the trained modules in this process and measure the test error."""
    from ..nn import BatchNorm1d, Linear, ReLU, Sequential
    from ..tensor import Tensor, no_grad

    x = Tensor(X_test)
    with no_grad():
        for i in range(hidden_layers):
            n_in = spec["in_features"] if i == 0 else spec["width"]
            block = Sequential(Linear(n_in, spec["width"]), BatchNorm1d(spec["width"]), ReLU())
            block.eval()
            _load(block, states[i][0])
            x = block(x)
        head = Linear(spec["width"], spec["num_classes"])
        _load(head, states["output"][0])
        logits = head(x).detach().numpy()
    return 100.0 * float((logits.argmax(axis=1) != y_test).mean())


def _state(module) -> dict:
    """Parameters and batch-norm statistics by dotted name (the statistics read as attributes)."""
    state = {name: p.detach().numpy().copy() for name, p in module.named_parameters()}
    for name, sub in module.named_modules():
        for statistic in ("running_mean", "running_var"):
            if hasattr(sub, statistic):
                state[f"{name}.{statistic}" if name else statistic] = getattr(sub, statistic).copy()
    return state


def _load(module, state) -> None:
    """Copy a state dict's parameters (and batch-norm statistics, by attribute) into ``module``."""
    for name, parameter in module.named_parameters():
        np.copyto(parameter.data, state[name])
    for name, sub in module.named_modules():
        for statistic in ("running_mean", "running_var"):
            key = f"{name}.{statistic}" if name else statistic
            if key in state:
                np.copyto(getattr(sub, statistic), state[key])
