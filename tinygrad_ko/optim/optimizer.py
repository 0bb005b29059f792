"""The base class of the optimizers: a list of parameters and a learning rate.

Use it the PyTorch way::

    optimizer = SGD(model.parameters(), lr=0.1)
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = cross_entropy(model(Tensor(xb)), yb)
        loss.backward()            # fills every parameter's .grad
        optimizer.step()           # θ ← θ − lr · ∂L/∂θ (or another rule)

``step()`` writes the new values into each parameter's array in place (through
``param.writable_data()``, which raises the parameter's version, so a graph
recorded before the step refuses a second backward), with NumPy
operations on the arrays, under ``no_grad()``: an update is not part of any
graph, and no Tensor bookkeeping is spent on it.

On the GPU (parameters moved with ``.to("cuda")``) SGD, Adam and GO-UP update
each parameter with one fused kernel from ``kernels/optim.cu``, which reads θ,
g and the optimizer's state once and writes θ and the state once, where the
array expressions would launch a kernel (and make a temporary) per operation.
``Optimizer.fused_kernels_for(theta)`` picks the kernels; every kernel has a
NumPy twin in ``backend/kernel_reference.py`` that the tests check it against.

``state_dict()`` / ``load_state_dict()`` save and restore everything an
optimizer has learned (momentum buffers, Adam's moments and step count, the
noise generator of GO-UP) and its settings, as PyTorch's do, so a resumed run
continues bit for bit (``tinygrad_ko.save`` writes it to a file).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..backend import move
from ..errors import TinygradKoError
from ..nn.module import checked_array
from ..tensor import Tensor, no_grad
from ..validate import integer, real
from .inplace import Scratch


class OptimizerError(TinygradKoError, ValueError):
    """An optimizer was given a bad setting (a negative learning rate, no parameters)."""


class Optimizer:
    """Holds the parameters to update; subclasses define ``update(param, grad, state)``.

    A subclass also lists what its per-parameter ``state`` dicts may hold in
    ``STATE_ENTRIES`` (entry name → "array" of the parameter's shape, "count"
    or "number"), returns its constructor's keywords from ``settings()``, and
    adds any state of its own (a random generator) in ``extra_state()`` /
    ``load_extra_state()``.
    """

    STATE_ENTRIES: dict[str, str] = {}

    def __init__(self, params, lr: float):
        self.params = list(params)
        if not self.params:
            raise OptimizerError("the optimizer got no parameters; pass model.parameters()")
        for param in self.params:
            if not isinstance(param, Tensor) or not param.requires_grad:
                raise OptimizerError("every parameter must be a Tensor with requires_grad=True")
        # lr = 0 is allowed, as in PyTorch: a warm-up schedule starts there.
        self.lr = real("lr (the learning rate)", lr, minimum=0, error=OptimizerError)
        self.state: list[dict] = [{} for _ in self.params]
        self.steps = 0
        self.scratch = Scratch()   # block buffers for the in-place NumPy updates (optim/inplace.py)

    def zero_grad(self) -> None:
        """Forget the gradients (``backward`` adds to ``.grad``)."""
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        with no_grad():
            for param, state in zip(self.params, self.state):
                if param.grad is not None:
                    self.update(param.writable_data(), param.grad.data, state)
        self.steps += 1

    def update(self, theta: np.ndarray, grad: np.ndarray, state: dict) -> None:
        """Change the array ``theta`` in place, given its gradient ``grad``."""
        raise NotImplementedError

    # ------------------------------------------------------------ saving state
    def settings(self) -> dict:
        """The constructor's keywords (besides the parameters) that give this update rule."""
        return {"lr": self.lr}

    def extra_state(self) -> dict:
        """State that is not per parameter (a random generator), as plain data; none here."""
        return {}

    def load_extra_state(self, state: dict) -> None:
        """Take over what ``extra_state()`` saved, checked (OptimizerError if damaged); none here."""

    def state_dict(self) -> dict:
        """Everything needed to continue later, as plain data on the host (CPU).

        ``{"optimizer": class name, "settings": settings(), "steps": n,
        "state": [one dict per parameter], **extra_state()}``; arrays are NumPy
        copies even when the parameters live on the GPU."""
        per_parameter = [{key: _host_value(self.STATE_ENTRIES[key], value) for key, value in state.items()}
                         for state in self.state]
        return {"optimizer": type(self).__name__, "settings": self.settings(), "steps": self.steps,
                "state": per_parameter, **self.extra_state()}

    def load_state_dict(self, state) -> None:
        """Continue from ``state`` (from ``state_dict()`` of the same kind of optimizer).

        All or nothing: an optimizer is first built from the saved settings (its
        constructor checks them) over this one's parameters and given the saved
        state, each entry checked against its parameter (shape, dtype, finite);
        only when all of that worked does this optimizer take it over. The
        saved settings replace the current ones, as in PyTorch."""
        name = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping):
            raise OptimizerError(f"{name} needs the dict of state_dict(), got {type(state).__name__}")
        missing = [key for key in ("optimizer", "settings", "steps", "state") if key not in state]
        if missing:
            raise OptimizerError(f"{name}: the state has missing entries {missing}; pass what state_dict() gave")
        if state["optimizer"] != type(self).__name__:
            raise OptimizerError(f"{name}: the state was saved by {state['optimizer']}; "
                                 f"this optimizer is {type(self).__name__}")
        replacement = self._rebuilt(name, state["settings"])
        replacement.state = self._checked_parameter_states(name, state["state"])
        replacement.steps = integer(f"{name}: steps", state["steps"], minimum=0, error=OptimizerError)
        replacement.load_extra_state(state)
        self.__dict__.update(vars(replacement))

    def _rebuilt(self, name: str, settings):
        """A new optimizer of this kind over the same parameters, with ``settings``."""
        if not isinstance(settings, Mapping):
            raise OptimizerError(f"{name}: settings must be a dict, got {type(settings).__name__}")
        try:
            return type(self)(self.params, **settings)
        except TypeError as problem:              # a keyword this optimizer does not take
            raise OptimizerError(f"{name}: settings {dict(settings)} do not fit {type(self).__name__} "
                                 f"({problem})") from None

    def _checked_parameter_states(self, name: str, states) -> list[dict]:
        """The saved per-parameter states, checked and moved to each parameter's device."""
        if not isinstance(states, (list, tuple)) or len(states) != len(self.params):
            count = len(states) if isinstance(states, (list, tuple)) else type(states).__name__
            raise OptimizerError(f"{name}: the state holds {count} parameters' state; "
                                 f"this optimizer has {len(self.params)} parameters")
        checked = []
        for position, (param, saved) in enumerate(zip(self.params, states)):
            where = f"{name}: state[{position}]"
            if not isinstance(saved, Mapping):
                raise OptimizerError(f"{where} must be a dict, got {type(saved).__name__}")
            unknown = [key for key in saved if key not in self.STATE_ENTRIES]
            if unknown:
                raise OptimizerError(f"{where} has unknown entries {unknown}; "
                                     f"{type(self).__name__} keeps {list(self.STATE_ENTRIES) or 'none'}")
            checked.append({key: _checked_value(f"{where}[{key!r}]", self.STATE_ENTRIES[key], value, param)
                            for key, value in saved.items()})
        return checked

    @staticmethod
    def fused_kernels_for(theta):
        """The fused GPU update kernels (``backend.kernels``) for a CuPy array ``theta``;
        None for a NumPy array, which the plain array code updates."""
        if isinstance(theta, np.ndarray):
            return None
        from ..backend import kernels

        return kernels

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"


def _host_value(kind: str, value):
    """A saved copy of one state entry: a NumPy array, an int or a float."""
    if kind == "array":
        return np.array(move(value, "cpu"), copy=True)
    return int(value) if kind == "count" else float(value)


def _checked_value(name: str, kind: str, value, param: Tensor):
    """One saved state entry, checked, in the form ``update`` uses (arrays on the parameter's device)."""
    if kind == "array":
        array = checked_array(name, value, param.data, error=OptimizerError, shape_error=OptimizerError)
        return move(array.copy(), param.device)
    if kind == "count":
        return integer(name, value, minimum=0, error=OptimizerError)
    return real(name, value, minimum=0, error=OptimizerError)
