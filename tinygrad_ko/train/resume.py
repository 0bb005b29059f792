"""What ``fit`` saves after each epoch, and how it continues from it, bit for bit.

A run is fully described, between two epochs, by five things: the weights
(and buffers), the optimizer's state (momentum, Adam's moments and step,
GO-UP's noise generator), the forward gradient's direction generator, the
DataLoader's generator (the order of every later batch) and the History so
far. The weights' initial generator is not needed: it is used once, when the
model is built, and the saved weights replace what it drew. Restoring all
five and running the remaining epochs computes exactly the numbers the
uninterrupted run computes (the same arrays through the same operations in
the same order), so its final weights are equal bit for bit.
"""

from __future__ import annotations

from ..errors import TinygradKoError
from ..validate import integer

KIND = "tinygrad_ko fit"


class TrainingError(TinygradKoError, ValueError):
    """A run cannot be resumed from the state given (another kind of state, another setup)."""


def run_state(model, optimizer, loader, gradient, history, epoch: int, step: int, notes=None) -> dict:
    """Everything needed to continue after ``epoch`` epochs (``step`` steps), as checkpoint data.

    ``notes`` is anything JSON-able the caller wants kept beside it (the CLI's settings)."""
    return {"kind": KIND, "epoch": epoch, "step": step, "model": model.state_dict(),
            "optimizer": optimizer.state_dict(), "loader": loader.state_dict(),
            "gradient": None if gradient is None else gradient.state_dict(),
            "history": history.as_dict(), "notes": notes}


def restore_run(state, model, optimizer, loader, gradient, history_type) -> tuple:
    """Load ``state`` (from ``run_state``) into the run's objects; return ``(history, epoch, step)``.

    All or nothing: each part checks its own state before it changes; if a
    later part refuses, the parts already loaded are put back as they were."""
    if not isinstance(state, dict) or state.get("kind") != KIND:
        raise TrainingError("resume: not the state of a fit() run (saved by fit(checkpoint=...))")
    missing = [key for key in ("model", "optimizer", "loader", "gradient", "history") if key not in state]
    if missing:
        raise TrainingError(f"resume: the state has missing entries {missing}")
    if (state["gradient"] is None) != (gradient is None):
        raise TrainingError("resume: the run was saved " + ("without" if state["gradient"] is None else "with")
                            + " a forward-gradient estimator; build this run the same way")
    try:
        history = history_type(**state["history"])
    except TypeError as problem:
        raise TrainingError(f"resume: damaged history in the state ({problem})") from None
    epoch = integer("resume: epoch", state.get("epoch"), minimum=0, error=TrainingError)
    step = integer("resume: step", state.get("step"), minimum=0, error=TrainingError)
    parts = [(model, state["model"]), (optimizer, state["optimizer"]), (loader, state["loader"])]
    if gradient is not None:
        parts.append((gradient, state["gradient"]))
    before = [part.state_dict() for part, _ in parts]
    try:
        for part, saved in parts:
            part.load_state_dict(saved)
    except BaseException:
        for (part, _), previous in zip(parts, before):
            part.load_state_dict(previous)
        raise
    return history, epoch, step
