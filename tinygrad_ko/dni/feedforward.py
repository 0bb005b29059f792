"""Fully connected networks trained by No Bprop, Bprop, DNI or cDNI, layer by layer.

Depth is counted the paper's way: an FCN of ``layers = n`` has n − 1 hidden
blocks (Linear → BatchNorm1d → ReLU, ``width`` units) and a Linear output layer,
n layers of weights in all (Jaderberg et al. 2016, Fig. 5: "four layer FCNs",
drawn f₁ … f₄ with f₄ the output). Below, L = n − 1 is the number of hidden blocks.

The methods:

* ``"no-bprop"``: only the output layer learns; the hidden blocks keep their
  initial weights (the paper's baseline: what random features alone reach);
* ``"bprop"``: ordinary backpropagation through the whole network;
* ``"dni-synthetic-input"`` / ``"cdni-synthetic-input"``: the same, and every
  module above the first trains on an input predicted from the data
  (synthetic_inputs.py: forward unlocking too, the paper's Fig. 5 right);
* ``"dni"`` / ``"cdni"``: a ``SyntheticGradient`` after every hidden block
  (cDNI: its model also sees the one-hot label), so one training step is::

    x₁ = input
    for i = 1 … L:
        hᵢ = blockᵢ(xᵢ)                          forward through block i only
        xᵢ₊₁ = cutᵢ(hᵢ)                          block i backpropagates ĝᵢ = Mᵢ(hᵢ[, y]) now …
        stepᵢ()                                   … and updates now: nothing after it ran yet
        Mᵢ₋₁ learns from xᵢ.grad = ∂(ĝᵢ·hᵢ)/∂xᵢ   its bootstrapped target has just arrived
    loss = CE(output(x_{L+1}), y);  backward;  output layer updates
    M_L learns from x_{L+1}.grad = ∂loss/∂h_L     the one true gradient

Each block, the output layer and each Mᵢ has its own Adam. The loss is the
cross-entropy *summed* over the batch, so the gradients M predicts are
O(10⁻²), not O(10⁻⁴) (Adam does not care about the scale of the rest).

The trainer is built from two parts a subclass may replace, ``build_network``
and ``gradient_model``: convnet.py trains CNNs with these very steps.

Decoupling made concrete:

* ``update_probability`` p < 1: each block (with its M) takes part in a step
  only with probability p, independently — the paper's asynchronous updates;
* ``random_order``: all forwards first, then the blocks' backward+update in a
  random order. With synthetic gradients the result is *identical* to the
  in-order schedule (no block needs another's update); backprop cannot do it.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidValueError
from ..nn import BatchNorm1d, Linear, Module, ReLU, Sequential, cross_entropy
from ..optim import Adam
from ..tensor import Tensor, no_grad
from .interface import SyntheticGradient, cosine, handoff
from .locks import Timeline
from .predictors import make_predictor
from .synthetic_inputs import InputModel, SyntheticInput

METHODS = ("no-bprop", "bprop", "dni", "cdni", "dni-synthetic-input", "cdni-synthetic-input")
SYNTHETIC_INPUT_METHODS = ("dni-synthetic-input", "cdni-synthetic-input")


@dataclass
class FeedForwardConfig:
    """Everything a run depends on (the defaults follow RESEARCH.md §4)."""

    method: str = "cdni"
    layers: int = 4             # the paper's count: layers − 1 hidden blocks + the output layer
    width: int = 256
    predictor: str = "linear"
    steps: int = 3000
    batch_size: int = 64
    lr: float = 3e-4
    predictor_lr: float = 1e-3
    update_probability: float = 1.0
    random_order: bool = False
    eval_every: int = 250
    train_error_examples: int = 0   # the train error on the first k training images (0: all of them)
    probe_every: int = 0        # every k steps, cos(ĝ, true ∂L/∂h) on 256 test images (0: never)
    seed: int = 0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")
        if not 0 < self.update_probability <= 1:
            raise ValueError(f"update_probability must be in (0, 1], got {self.update_probability}")
        if self.method in SYNTHETIC_INPUT_METHODS and (self.random_order or self.update_probability < 1):
            raise InvalidValueError(f"{self.method} runs every module at every step, in order: "
                                    "leave random_order off and update_probability at 1")
        if self.layers < 2:
            raise InvalidValueError(f"layers counts the output layer too and must be an integer ≥ 2 "
                                    f"(one hidden layer + the output), got {self.layers!r}")

    @property
    def hidden_layers(self) -> int:
        """The hidden blocks: every layer but the output layer (read-only)."""
        return self.layers - 1

    @property
    def uses_label(self) -> bool:
        """cDNI and its synthetic-input variant: the gradient models see the one-hot label."""
        return self.method.startswith("cdni")


@dataclass
class FeedForwardResult:
    config: FeedForwardConfig
    step_loss: list[float] = field(default_factory=list)          # training loss per step (mean CE)
    eval_steps: list[int] = field(default_factory=list)
    test_error: list[float] = field(default_factory=list)         # % at each evaluation
    train_error: list[float] = field(default_factory=list)
    predictor_loss: list[list[float]] = field(default_factory=list)   # per interface, per update
    target_cosine: list[list[float]] = field(default_factory=list)    # cos(ĝ, the target it learnt from)
    probe_steps: list[int] = field(default_factory=list)
    true_cosine: list[list[float]] = field(default_factory=list)      # per probe: cos(ĝᵢ, true ∂L/∂hᵢ)
    # (probed on held-out images: on training batches the loss, and with it ∂L/∂h, soon all but vanishes)
    cpu_seconds: float = 0.0

    @property
    def final_test_error(self) -> float:
        return self.test_error[-1]


class FCN(Module):
    """L blocks Linear → BatchNorm1d → ReLU, then a Linear output layer."""

    def __init__(self, in_features: int, num_classes: int, hidden_layers: int, width: int, rng=None):
        super().__init__()
        blocks, n_in = [], in_features
        for _ in range(hidden_layers):
            blocks.append(Sequential(Linear(n_in, width, rng=rng), BatchNorm1d(width), ReLU()))
            n_in = width
        self.blocks = Sequential(*blocks)
        self.head = Linear(n_in, num_classes, rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.blocks(x))


class FeedForwardTrainer:
    """Owns the network, one optimizer per module, and the interfaces between them."""

    evaluation_batch: int | None = None     # images per forward pass in ``error`` (None: all at once)

    def __init__(self, config: FeedForwardConfig, in_features: int, num_classes: int):
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.num_classes = num_classes
        self.network = self.build_network(in_features, num_classes)
        self.blocks = list(self.network.blocks)
        self.optimizers = [Adam(block.parameters(), lr=config.lr) for block in self.blocks]
        self.head_optimizer = Adam(self.network.head.parameters(), lr=config.lr)
        self.interfaces: list[SyntheticGradient] = []
        if config.method not in ("no-bprop", "bprop"):
            classes = num_classes if config.uses_label else 0
            for i in range(config.hidden_layers):
                model = self.gradient_model(classes, block=i)
                optimizer = Adam(model.parameters(), lr=config.predictor_lr)
                self.interfaces.append(SyntheticGradient(model, optimizer, name=f"M{i + 1}"))
        self.synthetic_inputs: list[SyntheticInput] = []       # I₂ … I_L and the output layer's
        if config.method in SYNTHETIC_INPUT_METHODS:
            for i in range(2, config.layers + 1):
                model = InputModel(in_features, config.width, config.width, rng=self.rng)
                optimizer = Adam(model.parameters(), lr=config.predictor_lr)
                self.synthetic_inputs.append(SyntheticInput(model, optimizer, name=f"I{i}"))

    def build_network(self, in_features: int, num_classes: int) -> Module:
        """The network: ``.blocks`` (the hidden layers, a synthetic gradient after each) and ``.head``."""
        return FCN(in_features, num_classes, self.config.hidden_layers, self.config.width, rng=self.rng)

    def gradient_model(self, num_classes: int, block: int) -> Module:
        """A fresh M for the activation of hidden block ``block`` (0, 1, …; label-conditioned if
        ``num_classes`` > 0). An FCN's blocks all give ``width`` features, so ``block`` is not needed here."""
        return make_predictor(self.config.predictor, self.config.width, num_classes, rng=self.rng)

    # ------------------------------------------------------------- one step
    def step(self, xb: np.ndarray, yb: np.ndarray, timeline: Timeline | None = None) -> float:
        """One training step on a batch; returns the batch's mean cross-entropy."""
        active = self.rng.random(len(self.blocks)) < self.config.update_probability
        if self.config.method == "no-bprop":
            return self._no_bprop_step(xb, yb, timeline)
        if self.config.method == "bprop":
            return self._bprop_step(xb, yb, active, timeline)
        if self.config.method in SYNTHETIC_INPUT_METHODS:
            return self._synthetic_input_step(xb, yb, timeline)
        if self.config.random_order:
            return self._decoupled_step_any_order(xb, yb, active, timeline)
        return self._decoupled_step(xb, yb, active, timeline)

    def _no_bprop_step(self, xb, yb, timeline) -> float:
        """The hidden blocks only run forwards (no graph, no update); the output layer learns.

        Batch norm still tracks its running statistics, so that evaluation sees
        the same features as training."""
        note = timeline.record if timeline else _ignore
        x = Tensor(xb)
        with no_grad():
            for i, block in enumerate(self.blocks):
                x = block(x)
                note(i + 1, "forward")
        return self._head_step(handoff(x), yb, note).item() / len(yb)

    def _bprop_step(self, xb, yb, active, timeline) -> float:
        note = timeline.record if timeline else _ignore
        L = len(self.blocks)
        x = Tensor(xb)
        for i, block in enumerate(self.blocks):
            x = block(x)
            note(i + 1, "forward")
        loss = self._summed_loss(self.network.head(x), yb)
        note(L + 1, "forward")
        loss.backward()
        for module in range(L + 1, 0, -1):          # one backward pass, output layer first
            note(module, "backward")
        self.head_optimizer.step()
        note(L + 1, "update")
        for i in range(L - 1, -1, -1):
            if active[i]:
                self.optimizers[i].step()
                note(i + 1, "update")
        self._zero_grads()
        return loss.item() / len(yb)

    def _decoupled_step(self, xb, yb, active, timeline) -> float:
        note = timeline.record if timeline else _ignore
        context = yb if self.config.uses_label else None
        L = len(self.blocks)
        x = Tensor(xb)
        for i, block in enumerate(self.blocks):
            h = block(x)
            note(i + 1, "forward")
            if active[i]:
                x_next = self.interfaces[i].cut(h, context)      # backward with ĝᵢ, right now
                note(i + 1, "backward")
                self.optimizers[i].step()
                note(i + 1, "update")
                self.optimizers[i].zero_grad()
            else:
                x_next = handoff(h)
            if i > 0 and active[i - 1] and active[i]:
                self.interfaces[i - 1].update(x.grad)           # bootstrapped target for M_{i-1}
            x = x_next
        loss = self._head_step(x, yb, note)
        if active[L - 1]:
            self.interfaces[L - 1].update(x.grad)               # the true gradient at the top
        self._forget_unanswered()
        return loss.item() / len(yb)

    def _decoupled_step_any_order(self, xb, yb, active, timeline) -> float:
        """All forwards, then the blocks' backward+update in a random order, then the Ms."""
        note = timeline.record if timeline else _ignore
        context = yb if self.config.uses_label else None
        L = len(self.blocks)
        x = Tensor(xb)
        inputs, outputs, synthetic = [], [], []
        for i, block in enumerate(self.blocks):
            h = block(x)
            note(i + 1, "forward")
            synthetic.append(self.interfaces[i].predict(h, context) if active[i] else None)
            inputs.append(x)
            outputs.append(h)
            x = handoff(h)
        loss = self._head_step(x, yb, note)
        for i in self.rng.permutation(L):
            if active[i]:
                outputs[i].backward(seed=synthetic[i])
                note(i + 1, "backward")
                self.optimizers[i].step()
                note(i + 1, "update")
                self.optimizers[i].zero_grad()
        targets = [inputs[i + 1].grad for i in range(L - 1)] + [x.grad]
        for i in range(L):
            if active[i] and (i == L - 1 or active[i + 1]):
                self.interfaces[i].update(targets[i])
        self._forget_unanswered()
        return loss.item() / len(yb)

    def _synthetic_input_step(self, xb, yb, timeline) -> float:
        """Every module above the first trains on ĥ = Iᵢ(x): no module waits for any other.

            real = [x, h₁, …, h_L]               the real forward (no graph): the targets of the Iᵢ
            for i = 1 … L:
                inᵢ = x (i = 1) or Iᵢ(x)          a predicted input, not hᵢ₋₁
                cutᵢ(blockᵢ(inᵢ)); stepᵢ()         backward with ĝᵢ = Mᵢ(·[, y]), update
                Mᵢ₋₁ learns from inᵢ.grad         the gradient module i sends back at its input
                Iᵢ learns from real[i − 1]
            the output layer likewise on I_{L+1}(x), with the true loss; M_L learns from ∂loss/∂ĥ_L

        The real forward also moves the blocks' batch-norm running statistics
        (used at test time, where the network runs on real inputs only)."""
        note = timeline.record if timeline else _ignore
        context = yb if self.config.uses_label else None
        x = Tensor(xb)
        with no_grad():
            real = [x]
            for block in self.blocks:
                real.append(block(real[-1]))
        for i, block in enumerate(self.blocks):
            given = x if i == 0 else self.synthetic_inputs[i - 1].predict(x)
            self.interfaces[i].cut(block(given), context)
            note(i + 1, "forward")
            note(i + 1, "backward")
            self.optimizers[i].step()
            note(i + 1, "update")
            self.optimizers[i].zero_grad()
            if i > 0:
                self.interfaces[i - 1].update(given.grad)
                self.synthetic_inputs[i - 1].update(real[i])
        given = self.synthetic_inputs[-1].predict(x)
        loss = self._head_step(given, yb, note)
        self.interfaces[-1].update(given.grad)
        self.synthetic_inputs[-1].update(real[-1])
        return loss.item() / len(yb)

    def _head_step(self, x: Tensor, yb: np.ndarray, note) -> Tensor:
        """The output layer's forward, backward and update: it needs no synthetic gradient."""
        top = len(self.blocks) + 1
        loss = self._summed_loss(self.network.head(x), yb)
        note(top, "forward")
        loss.backward()
        note(top, "backward")
        self.head_optimizer.step()
        note(top, "update")
        self.head_optimizer.zero_grad()
        return loss

    def _forget_unanswered(self) -> None:
        """Drop predictions whose target never came (the layer above sat this step out).

        Left in the queue, they would be paired with a later step's target."""
        for interface in self.interfaces:
            interface.drop_pending()

    def _summed_loss(self, logits: Tensor, yb: np.ndarray) -> Tensor:
        return cross_entropy(logits, yb) * len(yb)

    def _zero_grads(self) -> None:
        for optimizer in self.optimizers + [self.head_optimizer]:
            optimizer.zero_grad()

    # ---------------------------------------------------------- measuring
    def error(self, X: np.ndarray, y: np.ndarray) -> float:
        """Classification error in % (batch norm in evaluation mode)."""
        size = self.evaluation_batch or max(len(X), 1)
        self.network.eval()
        with no_grad():
            logits = np.concatenate([self.network(Tensor(X[i:i + size])).numpy()
                                     for i in range(0, max(len(X), 1), size)])
        self.network.train()
        return 100.0 * float((logits.argmax(axis=1) != y).mean())

    def probe(self, xb: np.ndarray, yb: np.ndarray) -> list[float]:
        """cos(ĝᵢ, ∂L/∂hᵢ) for every interface, with ∂L/∂hᵢ from a full backprop on the batch.

        Nothing is updated: running statistics and gradients are put back."""
        if not self.interfaces:
            return []
        modules = [self.network] + [interface.model for interface in self.interfaces]
        with _preserved_state(modules):
            x, hidden = Tensor(xb), []
            for block in self.blocks:
                x = block(x)
                x.retain_grad()
                hidden.append(x)
            self._summed_loss(self.network.head(x), yb).backward()
            context = yb if self.config.uses_label else None
            with no_grad():
                predictions = [i.model(h.detach(), context) for i, h in zip(self.interfaces, hidden)]
            cosines = [cosine(p.data, h.grad.data) for p, h in zip(predictions, hidden)]
        self._zero_grads()
        return cosines


def train_feedforward(config: FeedForwardConfig, data, progress=None) -> FeedForwardResult:
    """Train on ``data = (X_train, y_train, X_test, y_test)``; return the measurements.

    ``progress``, if given, is called as ``progress(step, loss)`` after every step."""
    X_train, y_train, X_test, y_test = data
    trainer = FeedForwardTrainer(config, X_train.shape[1], number_of_classes(data))
    return run_training(trainer, data, progress)


def number_of_classes(data) -> int:
    """One more than the largest label in the training or the test set."""
    return int(max(data[1].max(), data[3].max())) + 1


def run_training(trainer: FeedForwardTrainer, data, progress=None) -> FeedForwardResult:
    """``trainer.config.steps`` steps on shuffled batches of ``data``, evaluated every ``eval_every``."""
    config = trainer.config
    X_train, y_train, X_test, y_test = data
    result = FeedForwardResult(config)
    batches = _batches(len(X_train), config.batch_size, trainer.rng)
    k = config.train_error_examples or len(X_train)
    X_seen, y_seen = X_train[:k], y_train[:k]
    start = time.process_time()
    for step in range(1, config.steps + 1):
        idx = next(batches)
        result.step_loss.append(trainer.step(X_train[idx], y_train[idx]))
        if config.probe_every and step % config.probe_every == 0:
            result.probe_steps.append(step)
            result.true_cosine.append(trainer.probe(X_test[:256], y_test[:256]))
        if step % config.eval_every == 0 or step == config.steps:
            result.eval_steps.append(step)
            result.test_error.append(trainer.error(X_test, y_test))
            result.train_error.append(trainer.error(X_seen, y_seen))
        if progress is not None:
            progress(step, result.step_loss[-1])
    result.cpu_seconds = time.process_time() - start
    result.predictor_loss = [list(i.losses) for i in trainer.interfaces]
    result.target_cosine = [list(i.cosines) for i in trainer.interfaces]
    return result


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    """Endless shuffled mini-batch indices, a new permutation every epoch, full batches only."""
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} is larger than the {n} training examples")
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start:start + batch_size]


@contextlib.contextmanager
def _preserved_state(modules):
    """Run a block, then put back every parameter and batch-norm statistic of ``modules``.

    The arrays are copied back in place, so every reference to them stays valid."""
    saved = []
    for module in modules:
        for _, sub in module.named_modules():
            if isinstance(sub, BatchNorm1d):
                saved.append((sub.running_mean, sub.running_mean.copy()))
                saved.append((sub.running_var, sub.running_var.copy()))
        saved += [(p.data, p.data.copy()) for p in module.parameters()]
    try:
        yield
    finally:
        for array, copy in saved:
            np.copyto(array, copy)


def _ignore(*_args) -> None:
    """A stand-in for ``Timeline.record`` when nothing is being recorded."""
