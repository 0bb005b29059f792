"""Module: a piece of a network that owns parameters and sub-modules.

Write a layer the way PyTorch users expect::

    class TwoLayer(Module):
        def __init__(self):
            super().__init__()
            self.hidden = Linear(64, 32)      # a sub-module: registered by assignment
            self.scale = Parameter(1.0)       # a parameter: registered by assignment

        def forward(self, x):
            return self.hidden(x).relu() * self.scale

Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, in
assignment order, so ``parameters()`` always lists them in the same order.
Buffers (``register_buffer``) are arrays the module keeps and saves but never
trains, such as batch norm's running mean.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from ..backend import array_module, move
from ..errors import ShapeError, TinygradKoError
from ..tensor import Tensor


class ModuleError(TinygradKoError, ValueError):
    """A module was built or used wrongly (a missing super().__init__(), a bad state_dict)."""


class Parameter(Tensor):
    """A Tensor that a Module learns. It requires a gradient unless told otherwise."""

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, name: str | None = None, dtype=None):
        super().__init__(data, requires_grad=requires_grad, name=name, dtype=dtype)


class Module:
    """Base class of every layer and network. Subclasses define ``forward``."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------ registration
    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            raise ModuleError(
                f"{type(self).__name__}: assign attributes after calling super().__init__() "
                "in your __init__")
        if name in self._buffers and not isinstance(value, (Tensor, Module)):
            self._buffers[name] = value          # `self.running_mean *= m` lands here
            return
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        # Called only when normal lookup fails: parameters, buffers and
        # sub-modules live in their registries, not in __dict__.
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    def register_buffer(self, name: str, array) -> None:
        """Keep ``array`` (a NumPy array) as saved, untrained state of this module."""
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers[name] = np.asarray(array)

    # ----------------------------------------------------------------- walking
    def named_modules(self, prefix: str = ""):
        """Yield ``(dotted name, module)`` for this module and every module inside it."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def children(self) -> list["Module"]:
        """The directly registered sub-modules, in assignment order."""
        return list(self._modules.values())

    def named_parameters(self):
        """Yield ``(dotted name, parameter)`` for every parameter, each once, in a fixed order."""
        seen = set()
        for module_name, module in self.named_modules():
            for name, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{module_name}.{name}" if module_name else name), parameter

    def parameters(self) -> list[Tensor]:
        """Every parameter, in the order of ``named_parameters()`` (give these to an optimizer)."""
        return [parameter for _, parameter in self.named_parameters()]

    def named_buffers(self):
        """Yield ``(dotted name, array)`` for every buffer."""
        for module_name, module in self.named_modules():
            for name, buffer in module._buffers.items():
                yield (f"{module_name}.{name}" if module_name else name), buffer

    def num_parameters(self) -> int:
        """How many numbers training adjusts."""
        return sum(parameter.size for parameter in self.parameters())

    # ------------------------------------------------------------------- modes
    def zero_grad(self) -> None:
        """Forget every parameter's accumulated gradient (``backward`` adds to ``.grad``)."""
        for parameter in self.parameters():
            parameter.grad = None

    def train(self, mode: bool = True) -> "Module":
        """Switch this module and all inside it to training mode (or evaluation with False)."""
        for _, module in self.named_modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> "Module":
        """Switch to evaluation mode: layers such as batch norm use their saved statistics."""
        return self.train(False)

    # ----------------------------------------------------------------- devices
    def to(self, device: str) -> "Module":
        """Move every parameter and buffer to ``device`` ("cpu" or "cuda"), in place; return self.

        The parameters stay the same Tensor objects, so an optimizer made before
        still holds them; only their arrays move (and old gradients are dropped)."""
        for parameter in self.parameters():
            parameter.data = move(parameter.data, device)
            parameter.grad = None
        for _, module in self.named_modules():
            buffers = module._buffers
            for name in buffers:
                buffers[name] = move(buffers[name], device)
        return self

    @property
    def device(self) -> str:
        """The device of the parameters ("cpu" when there are none)."""
        parameters = self.parameters()
        return parameters[0].device if parameters else "cpu"

    # ------------------------------------------------------------ saving state
    def state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """A copy of every parameter and buffer as NumPy arrays, by dotted name."""
        state = OrderedDict()
        for name, parameter in self.named_parameters():
            state[name] = np.array(parameter.detach().numpy(), copy=True)
        for name, buffer in self.named_buffers():
            state[name] = np.array(move(buffer, "cpu"), copy=True)
        return state

    def load_state_dict(self, state) -> None:
        """Copy the arrays of ``state`` into this module's parameters and buffers, in place.

        All or nothing: every entry is checked before anything is copied. The
        names must be exactly those of ``state_dict()``; each value (a NumPy or
        CuPy array, a Tensor, a list) must hold finite real numbers of the
        target's shape whose dtype can become the target's (float64 → float32
        yes, complex or text no). Otherwise ``ModuleError`` (``ShapeError`` for
        a shape) names the entry, and the module is exactly as it was. Loading
        counts as an in-place change of every parameter: backward through a graph
        recorded before it raises ``StaleGraphError``."""
        if not isinstance(state, Mapping):
            raise ModuleError(f"load_state_dict needs a dict of arrays by name (from state_dict()), "
                              f"got {type(state).__name__}")
        targets = OrderedDict((name, parameter.data) for name, parameter in self.named_parameters())
        targets.update(self.named_buffers())
        missing = [name for name in targets if name not in state]
        unexpected = [name for name in state if name not in targets]
        if missing or unexpected:
            raise ModuleError(
                f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}; "
                "the state must come from a module of the same architecture")
        checked = {name: checked_array(f"load_state_dict: {name}", state[name], target)
                   for name, target in targets.items()}
        parameters = dict(self.named_parameters())
        for name, target in targets.items():
            if name in parameters:
                # An in-place change like an optimizer step: the version counter goes up, so a
                # graph recorded with the old weights refuses to backpropagate (StaleGraphError).
                target = parameters[name].writable_data()
            xp = array_module(target)
            xp.copyto(target, xp.asarray(checked[name]))

    # ----------------------------------------------------------------- calling
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def extra_repr(self) -> str:
        """The part of ``repr`` inside the parentheses (sizes, options)."""
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in self._modules.items():
            child_lines = repr(child).split("\n")
            lines.append(f"  ({name}): " + "\n  ".join(child_lines))
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"


def checked_array(name: str, value, target, error=ModuleError, shape_error=ShapeError) -> np.ndarray:
    """``value`` as a NumPy array ready to copy into the array ``target``, or ``error`` saying why not.

    ``value`` (a NumPy or CuPy array, a Tensor, a list) must hold finite real
    numbers of ``target``'s shape (else ``shape_error``), of a dtype that can
    become ``target``'s without changing kind (float64 → float32 yes, complex
    or text no). ``name`` starts every message."""
    if isinstance(value, Tensor):
        value = value.numpy()
    try:
        array = np.asarray(move(value, "cpu"))
    except (TypeError, ValueError) as problem:
        raise error(f"{name}: expected an array of real numbers ({problem})") from None
    if array.dtype.kind not in "biufc":
        raise error(f"{name}: expected an array of real numbers, got values of dtype {array.dtype}")
    if not np.can_cast(array.dtype, target.dtype, casting="same_kind"):
        raise error(f"{name}: the state's {array.dtype} values cannot become {target.dtype} "
                    "without losing their kind")
    if array.shape != target.shape:
        raise shape_error(f"{name} has shape {array.shape} in the state but must have shape {target.shape}")
    not_finite = array.size - int(np.count_nonzero(np.isfinite(array)))
    if not_finite:
        raise error(f"{name}: {not_finite} of its {array.size} numbers are not finite (NaN or ±inf); "
                    "refusing to load a diverged state")
    return array.astype(target.dtype, copy=False)


@contextlib.contextmanager
def substituted_parameters(module: Module, tensors: dict):
    """Run a block with some parameters replaced by other tensors, then put them back.

    ``tensors`` maps dotted parameter names to Tensors of the same shapes. This
    is how a function of the parameters is made from a module (``functional_call``),
    which forward mode needs: it differentiates with respect to tensors that
    carry tangents, not the module's own parameters."""
    modules = dict(module.named_modules())
    owners = {}
    for dotted, tensor in tensors.items():
        owner_name, _, leaf = dotted.rpartition(".")
        owner = modules.get(owner_name)
        if owner is None or leaf not in owner._parameters:
            raise ModuleError(f"{type(module).__name__} has no parameter {dotted!r}")
        if tuple(tensor.shape) != owner._parameters[leaf].shape:
            raise ShapeError(f"{dotted}: the replacement has shape {tuple(tensor.shape)} but the "
                             f"parameter has shape {owner._parameters[leaf].shape}")
        owners[dotted] = (owner, leaf, owner._parameters[leaf])
    try:
        for dotted, (owner, leaf, _) in owners.items():
            owner._parameters[leaf] = tensors[dotted]
        yield module
    finally:
        for owner, leaf, original in owners.values():
            owner._parameters[leaf] = original


def functional_call(module: Module, tensors: dict, *args, **kwargs):
    """``module(*args)`` computed with the tensors of ``tensors`` in place of its parameters.

    As in ``torch.func.functional_call``: the module becomes a pure function of
    its parameters, which ``jvp``/``grad`` can differentiate."""
    with substituted_parameters(module, tensors):
        return module(*args, **kwargs)
