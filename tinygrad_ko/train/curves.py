"""Loss and accuracy curves of a training run."""

from __future__ import annotations

import pathlib

import numpy as np

from ..tools.figures import figure_style, save
from .loop import History


def plot_history(history: History, path, title: str = "") -> pathlib.Path:
    """Two panels: loss per step and per epoch (left), accuracy per epoch (right)."""
    with figure_style() as figures:
        figure, (left, right) = figures.subplots(1, 2, figsize=(10, 3.8))
        steps = np.arange(1, len(history.step_loss) + 1)
        left.plot(steps, history.step_loss, color="0.75", linewidth=0.6, label="batch loss (train)")
        epochs = np.arange(1, len(history.train_loss) + 1)
        steps_per_epoch = len(history.step_loss) / max(len(history.train_loss), 1)
        epoch_ends = epochs * steps_per_epoch
        left.plot(epoch_ends, history.train_loss, "o-", label="train loss", markersize=3)
        if history.test_loss:
            left.plot(epoch_ends, history.test_loss, "s-", label="test loss", markersize=3)
        left.set(xlabel="step", ylabel="cross-entropy", title="손실 / loss", yscale="log")
        left.legend()
        right.plot(epochs, 100 * np.array(history.train_accuracy), "o-", label="train", markersize=3)
        if history.test_accuracy:
            right.plot(epochs, 100 * np.array(history.test_accuracy), "s-", label="test", markersize=3)
        right.set(xlabel="epoch", ylabel="accuracy (%)", title="정확도 / accuracy", ylim=(0, 100))
        right.grid(alpha=0.3)
        right.legend(loc="lower right")
        if title:
            figure.suptitle(title)
        return save(figure, path)
