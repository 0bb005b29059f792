"""An LSTM trained by truncated BPTT, with a synthetic gradient at the truncation boundary.

Truncated BPTT cuts an episode into chunks of T steps. The state s = [h, c]
is carried forward from chunk to chunk, but the gradient is not carried back:
chunk k is trained on its own losses only, so nothing that happens more than T
steps later can teach it. That caps what it can learn (Copy of length N needs
a gradient to travel N + 1 steps back).

With a synthetic gradient (Jaderberg et al. 2016, §3.1) the chunk's last state
s_end also receives ĝ = scale · M(s_end), a prediction of the gradient that all
future chunks would send back::

    objective_k = Σ_{t in chunk k} CE_t  +  ⟨s_end, ĝ⟩        (⟨·,·⟩: sum of products)

so ∂objective/∂s_end = ∂CE_last/∂s_end + ĝ (the chunk's last loss is read from
s_end too, when that step has a target; ĝ alone stands for all later chunks), and
backward in chunk k carries that gradient through all T steps.
The gradient that reaches the chunk's *first* state is exactly the target
for the prediction made at the previous boundary — the losses of this chunk
plus the prediction at its end: a bootstrapped target, like a TD(0) return.
With ``scale`` = 0.1 (as in the paper) each chunk further away counts ten times
less: a discount factor.

``method``:
* ``"bptt"``     — plain truncated BPTT;
* ``"dni"``      — with the synthetic gradient at every boundary;
* ``"dni-aux"``  — also the auxiliary task: from each state inside a chunk a
  linear head predicts the synthetic gradient that will be produced at the end of
  the chunk, and its squared error is added to the objective, so the core is
  pushed to carry information about its future gradients (our reading of the
  paper's "Aux": predicting the synthetic gradient further ahead).

The losses (binary cross-entropy of every output bit) are summed over the
batch, so the gradients M predicts are O(1), not O(1/B).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..nn import Linear, LSTMCell, Module
from ..optim import Adam
from ..tensor import Tensor, no_grad
from .interface import SyntheticGradient, cosine, handoff
from .predictors import LinearPredictor
from ..validate import integer, real
from .tasks import Curriculum, Episode, TaskError, make_task

RECURRENT_METHODS = ("bptt", "dni", "dni-aux")


@dataclass
class RecurrentConfig:
    """A Copy / Repeat Copy run (defaults sized for a laptop CPU: a 256-unit step costs about 6× a 64-unit one)."""

    task: str = "copy"
    method: str = "dni"
    truncation: int = 3          # T
    hidden: int = 64
    batch_size: int = 16
    bits: int = 8                # width of the random binary vectors
    max_repeats: int = 3         # Repeat Copy: R is drawn from 1 … max_repeats
    lr: float = 1e-3
    predictor_lr: float = 1e-3
    sg_scale: float = 0.1
    aux_weight: float = 1.0
    clip: float = 10.0           # clip the core's gradient to this global norm (0: never)
    episodes: int = 2000         # stop after this many episodes …
    cpu_seconds: float = 0.0     # … or after this much CPU time (0: no time limit)
    threshold: float = 0.15      # bits per target step to pass a level
    window: int = 10             # episodes averaged for the curriculum
    max_length: int = 60
    probe_every: int = 0         # every k episodes, cos(ĝ, true future gradient) by full BPTT
    seed: int = 0

    def __post_init__(self):
        if self.method not in RECURRENT_METHODS:
            raise TaskError(f"unknown method {self.method!r}; choose one of {', '.join(RECURRENT_METHODS)}")
        for name in ("truncation", "hidden", "batch_size", "bits", "max_repeats", "episodes", "window",
                     "max_length"):
            integer(name, getattr(self, name), minimum=1, error=TaskError)
        for name in ("probe_every", "seed"):
            integer(name, getattr(self, name), minimum=0, error=TaskError)
        for name in ("lr", "predictor_lr", "sg_scale"):
            real(name, getattr(self, name), above=0, error=TaskError)
        for name in ("aux_weight", "clip", "cpu_seconds"):
            real(name, getattr(self, name), minimum=0, error=TaskError)
        real("threshold", self.threshold, above=0, error=TaskError)

    def task_options(self) -> dict:
        """The settings ``make_task`` takes for this task."""
        return {"bits": self.bits, **({"max_repeats": self.max_repeats} if self.task == "repeat-copy" else {})}


@dataclass
class RecurrentResult:
    config: RecurrentConfig
    bits: list[float] = field(default_factory=list)      # per episode, bits per target step
    lengths: list[int] = field(default_factory=list)     # curriculum level of each episode
    solved: int = 0                                      # longest length passed
    passed: list[tuple[int, int]] = field(default_factory=list)   # (level, episode it was passed at)
    predictor_loss: list[float] = field(default_factory=list)
    target_cosine: list[float] = field(default_factory=list)
    probe_episodes: list[int] = field(default_factory=list)
    true_cosine: list[float] = field(default_factory=list)
    episodes_run: int = 0
    cpu_seconds: float = 0.0


class SequenceModel(Module):
    """LSTM core, a linear read-out, and (for Aux) a head that predicts future synthetic gradients."""

    def __init__(self, input_size: int, hidden: int, output_size: int, aux: bool, rng=None):
        super().__init__()
        self.hidden_size = hidden
        self.cell = LSTMCell(input_size, hidden, rng=rng)
        self.readout = Linear(hidden, output_size, init="xavier", rng=rng)
        if aux:
            self.aux_head = Linear(2 * hidden, 2 * hidden, init="xavier", rng=rng)

    def step(self, x: Tensor, state: Tensor) -> Tensor:
        """One time step on the packed state s = [h, c] (batch, 2H); returns the new s."""
        return self.cell.step(x, state)

    def logits(self, state: Tensor) -> Tensor:
        """One logit per output bit (a Bernoulli prediction each)."""
        return self.readout(state[:, :self.hidden_size])


class RecurrentTrainer:
    def __init__(self, config: RecurrentConfig):
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.task = make_task(config.task, **config.task_options())
        self.model = SequenceModel(self.task.input_size, config.hidden, self.task.output_size,
                                   aux=config.method == "dni-aux", rng=self.rng)
        self.optimizer = Adam(self.model.parameters(), lr=config.lr)
        self.interface = None
        if config.method != "bptt":
            predictor = LinearPredictor(2 * config.hidden)
            self.interface = SyntheticGradient(predictor, Adam(predictor.parameters(), lr=config.predictor_lr),
                                               scale=config.sg_scale, name="M")

    def zero_state(self, batch: int) -> Tensor:
        return Tensor(np.zeros((batch, 2 * self.config.hidden), dtype=np.float32))

    def train_episode(self, episode: Episode) -> float:
        """Truncated BPTT over one episode; returns its bits per target step."""
        T, B = self.config.truncation, episode.inputs.shape[1]
        state = self.zero_state(B)
        total_nats, targets_seen = 0.0, 0
        for start in range(0, episode.steps, T):
            end = min(start + T, episode.steps)
            last_chunk = end == episode.steps
            state_in = handoff(state) if self.interface is not None and start > 0 else state
            state, loss, inside, nats, count = self._run_chunk(episode, start, end, state_in)
            total_nats += nats
            targets_seen += count
            objective = loss
            if self.interface is not None and not last_chunk:
                synthetic = self.interface.predict(state)
                objective = _plus(objective, (state * synthetic).sum())
                if self.config.method == "dni-aux" and inside:
                    objective = _plus(objective, self._aux_loss(inside, synthetic))
            if objective is not None:
                objective.backward()
                if self.config.clip:
                    clip_grad_norm(self.model.parameters(), self.config.clip)
                self.optimizer.step()
                self.optimizer.zero_grad()
            if self.interface is not None and start > 0:
                self.interface.update(state_in.grad)      # bootstrapped target for the last boundary
            state = state.detach()
        return total_nats / max(targets_seen, 1) / math.log(2)

    def _run_chunk(self, episode: Episode, start: int, end: int, state: Tensor):
        """Steps start … end−1 from ``state``; returns (state, summed loss or None, states inside, nats, targets)."""
        loss, inside, nats, count = None, [], 0.0, 0
        B = episode.inputs.shape[1]
        for t in range(start, end):
            state = self.model.step(Tensor(episode.inputs[t]), state)
            if t < end - 1:
                inside.append(state)
            if episode.mask[t]:
                step_loss = bernoulli_cross_entropy(self.model.logits(state), episode.targets[t])
                loss = _plus(loss, step_loss)
                nats += step_loss.item()
                count += B
        return state, loss, inside, nats, count

    def _aux_loss(self, inside: list[Tensor], synthetic: Tensor) -> Tensor:
        """Mean over the chunk's inner states of ‖A(s_τ) − ĝ_end‖² / B, times the Aux weight."""
        total = None
        for s in inside:
            error = self.model.aux_head(s) - synthetic
            total = _plus(total, (error * error).sum())
        return total * (self.config.aux_weight / (len(inside) * synthetic.shape[0]))

    def probe(self, episode: Episode) -> float:
        """Mean cos(M(s_k), ∂L/∂s_k) over the boundaries, with ∂L/∂s_k from full BPTT.

        ∂L/∂s_k is the gradient of every later loss in the episode, the thing the
        synthetic gradient stands in for. Nothing is updated."""
        if self.interface is None:
            return float("nan")
        T, B = self.config.truncation, episode.inputs.shape[1]
        state, loss, boundaries = self.zero_state(B), None, []
        for t in range(episode.steps):
            state = self.model.step(Tensor(episode.inputs[t]), state)
            if episode.mask[t]:
                loss = _plus(loss, bernoulli_cross_entropy(self.model.logits(state), episode.targets[t]))
            if (t + 1) % T == 0 and t + 1 < episode.steps:
                state.retain_grad()
                boundaries.append(state)
        if not boundaries:
            return float("nan")
        loss.backward()
        with no_grad():
            cosines = [cosine(self.interface.model(s.detach()).data, s.grad.data) for s in boundaries]
        self.optimizer.zero_grad()
        return float(np.mean(cosines))


def train_recurrent(config: RecurrentConfig, progress=None) -> RecurrentResult:
    """Train with the curriculum until ``episodes`` or ``cpu_seconds`` runs out.

    ``progress(episode, length, bits)`` is called after every episode if given."""
    trainer = RecurrentTrainer(config)
    curriculum = Curriculum(1, config.threshold, config.window, config.max_length)
    result = RecurrentResult(config)
    start = time.process_time()
    for number in range(1, config.episodes + 1):
        episode = trainer.task.episode(curriculum.length, config.batch_size, trainer.rng)
        bits = trainer.train_episode(episode)
        result.bits.append(bits)
        result.lengths.append(episode.length)
        curriculum.record(bits)
        if config.probe_every and number % config.probe_every == 0:
            result.probe_episodes.append(number)
            result.true_cosine.append(trainer.probe(episode))
        result.episodes_run = number
        if progress is not None:
            progress(number, curriculum.length, bits)
        if config.cpu_seconds and time.process_time() - start > config.cpu_seconds:
            break
    result.cpu_seconds = time.process_time() - start
    result.solved = curriculum.solved
    result.passed = list(curriculum.passed)
    if trainer.interface is not None:
        result.predictor_loss = list(trainer.interface.losses)
        result.target_cosine = list(trainer.interface.cosines)
    return result


def bernoulli_cross_entropy(logits: Tensor, targets) -> Tensor:
    """Σ over the batch and the bits of −[y log σ(x) + (1 − y) log(1 − σ(x))], in nats.

    Written as softplus(x) − x·y with softplus(x) = max(x, 0) + log(1 + e^−|x|),
    which never overflows (|x| = max(x, 0) + max(−x, 0))."""
    targets = Tensor(targets)
    magnitude = logits.relu() + (-logits).relu()
    softplus = logits.relu() + ((-magnitude).exp() + 1).log()
    return (softplus - logits * targets).sum()


def clip_grad_norm(parameters, max_norm: float) -> float:
    """Scale the .grad of every parameter so that their joint norm is at most ``max_norm``.

    Returns the norm before clipping. New arrays are made (never scaled in
    place): one adjoint array may be shared by several tensors."""
    with_grad = [p for p in parameters if p.grad is not None]
    norm = math.sqrt(sum(float((p.grad.data.astype(np.float64) ** 2).sum()) for p in with_grad))
    if norm > max_norm:
        for p in with_grad:
            p.grad = Tensor(p.grad.data * (max_norm / norm))
    return norm


def _plus(total, term):
    """``total + term`` where ``total`` may still be None (nothing summed yet)."""
    return term if total is None else total + term
