"""Figures for DNI runs: loss curves, and how well synthetic gradients point the right way."""

from __future__ import annotations

import pathlib

import numpy as np

from ..train.figures import figure_style, finish

COLOURS = {"no-bprop": "C7", "bprop": "C0", "bptt": "C0", "dni": "C1", "cdni": "C2", "dni-aux": "C2"}


def smooth(values, window: int = 50) -> np.ndarray:
    """Running mean over ``window`` points (shorter at the start)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return values
    cumulative = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    return (cumulative[1:] - cumulative[np.arange(1, len(values) + 1) - counts]) / counts


def plot_feedforward(results, path, title: str = "") -> pathlib.Path:
    """Left: training loss per step; middle: test error; right: cos(ĝᵢ, true ∂L/∂hᵢ) per layer."""
    with figure_style() as figures:
        figure, (loss_axis, error_axis, cosine_axis) = figures.subplots(1, 3, figsize=(15, 4))
        for result in results:
            method = result.config.method
            colour = COLOURS.get(method)
            loss_axis.plot(smooth(result.step_loss), color=colour, label=method)
            error_axis.plot(result.eval_steps, result.test_error, "o-", color=colour, markersize=3, label=method)
            if result.true_cosine:
                cosines = np.array(result.true_cosine)
                for layer in range(cosines.shape[1]):
                    style = "-" if method == "cdni" else "--"
                    cosine_axis.plot(result.probe_steps, cosines[:, layer], style, color=f"C{layer + 3}",
                                     label=f"{method} layer {layer + 1}")
        loss_axis.set(xlabel="step", ylabel="cross-entropy (running mean of 50)", yscale="log",
                      title="학습 손실 / training loss")
        error_axis.set(xlabel="step", ylabel="test error (%)", title="시험 오류 / test error")
        cosine_axis.set(xlabel="step", ylabel="cos(ĝ, ∂L/∂h)", ylim=(-0.2, 1.0),
                        title="합성 기울기 vs 진짜 / synthetic vs true")
        return finish(figure, (loss_axis, error_axis, cosine_axis), path, title)


def plot_recurrent(results, path, title: str = "") -> pathlib.Path:
    """Left: bits per target step; middle: curriculum level; right: cos(ĝ, true future gradient)."""
    with figure_style() as figures:
        figure, (bits_axis, level_axis, cosine_axis) = figures.subplots(1, 3, figsize=(15, 4))
        for result in results:
            label = f"{result.config.method} T={result.config.truncation}"
            colour = COLOURS.get(result.config.method)
            bits_axis.plot(smooth(result.bits), color=colour, label=label)
            level_axis.plot(result.lengths, color=colour, label=label)
            if result.true_cosine:
                cosine_axis.plot(result.probe_episodes, smooth(result.true_cosine, 5), color=colour, label=label)
        bits_axis.set(xlabel="episode", ylabel="bits per target step (running mean)",
                      title="오류 / error (bits)")
        bits_axis.axhline(result.config.threshold if results else 0.15, color="0.5", linewidth=0.8)
        level_axis.set(xlabel="episode", ylabel="sequence length N", title="커리큘럼 / curriculum")
        cosine_axis.set(xlabel="episode", ylabel="cos(ĝ, full-BPTT gradient)", ylim=(-0.5, 1.0),
                        title="합성 기울기 vs 진짜 / synthetic vs true")
        return finish(figure, (bits_axis, level_axis, cosine_axis), path, title)
