"""Feed-forward layers: Linear, the activations, Sequential and MLP."""

from __future__ import annotations

import numpy as np

from ..backend import default_dtype
from ..errors import ShapeError
from ..tensor import Tensor
from ..validate import integer
from .init import check_memory_for, initial_weight
from .module import Module, ModuleError, Parameter


class Linear(Module):
    """y = x W + b, with W of shape (in_features, out_features).

    W is stored input-major so the forward pass is one ``matmul`` and one
    ``add`` — no transpose. (PyTorch stores W as (out, in) and computes x Wᵀ.)
    ``init`` names the initialiser: "he" for ReLU networks (the default),
    "xavier" for tanh/sigmoid; the bias starts at zero.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str = "he", rng=None, dtype=None):
        super().__init__()
        self.in_features = integer("Linear in_features", in_features, minimum=1, error=ShapeError)
        self.out_features = integer("Linear out_features", out_features, minimum=1, error=ShapeError)
        dtype = np.dtype(dtype or default_dtype())
        check_memory_for(f"Linear({self.in_features}, {self.out_features})",
                         (self.in_features, self.out_features), dtype)
        self.weight = Parameter(initial_weight(init, (self.in_features, self.out_features), rng, dtype))
        self.bias = Parameter(np.zeros(self.out_features, dtype=dtype)) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        if x.shape[-1] != self.in_features:
            raise ShapeError(f"Linear({self.in_features}, {self.out_features}) got input of shape "
                             f"{x.shape}; its last axis must be {self.in_features}")
        out = x @ self.weight
        return out if self.bias is None else out + self.bias

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, bias={self.bias is not None}"


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e⁻ˣ), elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


class ModuleList(Module):
    """A list of modules, each registered (under the names "0", "1", …).

    A plain Python list of layers is invisible to ``parameters()``, so an
    optimizer would never see their weights; keep them in a ModuleList."""

    def __init__(self, modules=()):
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> "ModuleList":
        if not isinstance(module, Module):
            raise ModuleError(f"{type(self).__name__} holds modules, not {type(module).__name__}")
        setattr(self, str(len(self._modules)), module)
        return self

    def __getitem__(self, position: int) -> Module:
        return list(self._modules.values())[position]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


class Sequential(ModuleList):
    """Modules applied one after another; the k-th is registered under the name "k"."""

    def __init__(self, *modules: Module):
        super().__init__(modules)

    def forward(self, x):
        for module in self:
            x = module(x)
        return x


class MLP(Sequential):
    """A multilayer perceptron: Linear layers with an activation between them.

    ``MLP([64, 64, 64, 10])`` is 64 → 64 → 64 → 10 with ReLU after each hidden
    layer and none after the last (it returns logits). Weights use He
    initialisation for ReLU and Xavier for tanh/sigmoid.
    """

    def __init__(self, sizes, activation: str = "relu", rng=None, dtype=None):
        sizes = [integer(f"MLP sizes[{position}]", n, minimum=1, error=ShapeError)
                 for position, n in enumerate(sizes)]
        if len(sizes) < 2:
            raise ShapeError(f"MLP needs at least two layer sizes (inputs and outputs), got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        init = "he" if activation == "relu" else "xavier"
        layers = []
        for position, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(n_in, n_out, init=init, rng=rng, dtype=dtype))
            if position < len(sizes) - 2:
                layers.append(ACTIVATIONS[activation]())
        super().__init__(*layers)
        self.sizes = sizes

    def linear_layers(self) -> list[Linear]:
        """The Linear layers, input side first."""
        return [module for module in self if isinstance(module, Linear)]
