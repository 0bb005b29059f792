"""The training loop: mini-batches, a gradient, an optimizer step, an evaluation per epoch.

One step, the way every framework does it::

    optimizer.zero_grad()
    loss = cross_entropy(model(xb), yb)     # forward pass (records the graph)
    loss.backward()                         # reverse pass: every ∂L/∂θ into .grad
    optimizer.step()                        # θ ← update(θ, ∂L/∂θ)

With ``gradient=ForwardGradient(K)`` the middle two lines become K forward-mode
passes that estimate ∂L/∂θ with no graph and no reverse pass at all; the loop
counts the passes of each kind in ``History.passes``.

``fit(..., checkpoint=path)`` saves the whole run after every epoch, and
``fit(..., resume=tinygrad_ko.load(path))`` continues it to the same final
weights, bit for bit, as if it had never stopped (see ``resume``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..checkpoint import save
from ..data import DataLoader
from ..nn import Module, cross_entropy, functional_call
from ..tensor import Tensor, no_grad
from ..validate import integer
from .resume import TrainingError, restore_run, run_state


@dataclass
class History:
    """What a run measured: per-epoch losses and accuracies, per-step losses, time, passes."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    seconds: float = 0.0
    diverged_at_step: int | None = None
    passes: dict = field(default_factory=lambda: {"forward": 0, "backward": 0, "jvp": 0})

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def evaluate(model: Module, X: np.ndarray, y: np.ndarray, batch_size: int = 1024) -> tuple[float, float]:
    """Mean cross-entropy and accuracy (fraction correct) of ``model`` on ``(X, y)``."""
    was_training = model.training
    model.eval()
    total_loss, correct = 0.0, 0
    with no_grad():
        for start in range(0, len(X), batch_size):
            xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            logits = model(Tensor(xb).to(model.device))
            total_loss += cross_entropy(logits, yb).item() * len(xb)
            correct += int((logits.numpy().argmax(axis=1) == yb).sum())
    model.train(was_training)
    return total_loss / len(X), correct / len(X)


def loss_of_parameters(model: Module, xb: Tensor, yb: np.ndarray):
    """The batch loss as a function of tensors standing for the model's parameters."""
    names = [name for name, _ in model.named_parameters()]

    def loss(*tensors):
        return cross_entropy(functional_call(model, dict(zip(names, tensors)), xb), yb)
    return loss


def compute_gradient(model: Module, xb: np.ndarray, yb: np.ndarray, gradient, passes: dict) -> float:
    """Fill every parameter's ``.grad`` for one batch; return the batch loss.

    ``gradient`` is None for backpropagation, or a ``ForwardGradient``."""
    xb = Tensor(xb).to(model.device)
    if gradient is None:
        loss = cross_entropy(model(xb), yb)
        passes["forward"] += 1
        loss.backward()
        passes["backward"] += 1
    else:
        before = gradient.jvp_passes
        loss = gradient(loss_of_parameters(model, xb, yb), model.parameters())
        passes["jvp"] += gradient.jvp_passes - before
    return loss.item()


def fit(model: Module, optimizer, train_data, test_data=None, *, epochs: int, batch_size: int = 32,
        seed: int | None = None, gradient=None, progress: bool = True, before_update=None,
        checkpoint=None, resume=None, notes=None) -> History:
    """Train ``model`` on ``train_data = (X, y)`` for ``epochs`` epochs; return its History.

    ``seed`` fixes the batch order. ``gradient`` chooses how ∂L/∂θ is obtained
    (None: backpropagation; a ``ForwardGradient``: forward mode only).
    ``before_update(step, model)`` is called once per step after the gradient is
    in ``.grad`` and before the optimizer changes the weights. Training stops at
    the first step whose loss is not finite (``History.diverged_at_step``). A
progress bar goes to stderr unless ``progress=False`` (``tools.progress``: a bar
    on a terminal, one line in a log).

    ``checkpoint`` (a path) saves the run after every epoch, atomically, with
    ``notes`` (anything JSON-able) beside it. ``resume`` (what
    ``tinygrad_ko.load`` read from such a file) continues that run: the model,
    optimizer and ``gradient`` must be built as before (their state is then
    loaded into them), and ``epochs`` counts from the run's start.
    """
    from ..tools.progress import progress_bar

    X, y = train_data
    epochs = integer("epochs", epochs, minimum=1, error=TrainingError)
    loader = DataLoader(X, y, batch_size, shuffle=True, seed=seed)
    history, first_epoch, step = History(), 0, 0
    if resume is not None:
        history, first_epoch, step = restore_run(resume, model, optimizer, loader, gradient, History)
        if first_epoch > epochs:
            raise TrainingError(f"resume: the run has already trained {first_epoch} epochs; "
                                f"epochs={epochs} asks for fewer")
    model.train()
    start = time.perf_counter() - history.seconds
    with progress_bar((epochs - first_epoch) * len(loader), type(optimizer).__name__, enabled=progress) as bar:
        for epoch in range(first_epoch, epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                history.step_loss.append(compute_gradient(model, xb, yb, gradient, history.passes))
                if not np.isfinite(history.step_loss[-1]):
                    history.diverged_at_step = step
                    break
                if before_update is not None:
                    before_update(step, model)
                optimizer.step()
                step += 1
                bar.update()
            if history.diverged_at_step is not None:
                break
            _record_epoch(history, model, train_data, test_data)
            bar.set_postfix(loss=f"{history.train_loss[-1]:.3f}",
                            test_acc=f"{history.test_accuracy[-1]:.3f}" if test_data else "-")
            history.seconds = time.perf_counter() - start
            if checkpoint is not None:
                save(run_state(model, optimizer, loader, gradient, history, epoch + 1, step, notes), checkpoint)
    history.seconds = time.perf_counter() - start
    return history


def _record_epoch(history: History, model: Module, train_data, test_data) -> None:
    loss, accuracy = evaluate(model, *train_data)
    history.train_loss.append(loss)
    history.train_accuracy.append(accuracy)
    if test_data is not None:
        loss, accuracy = evaluate(model, *test_data)
        history.test_loss.append(loss)
        history.test_accuracy.append(accuracy)
