"""The GO-UP post's figure, redrawn on our own network, with a number beside it.

The post looks at αθ − α·∂L/∂θ for a layer, sees a bell shape, and concludes
that the update "is" a Gaussian process. This module collects that quantity at
a chosen step, fits a Gaussian (its mean and std), and measures how Gaussian it
is: skewness, excess kurtosis (0 for a Gaussian, > 0 for heavy tails) and the
Kolmogorov–Smirnov distance D between the samples and the fitted Gaussian,
with Lilliefors' 5 % critical value 0.886/√n (parameters estimated from the
same samples). It also reports the *gradient share*, std(αg) / std(αθ − αg):
how much of the spread comes from the gradient at all. When it is small the
histogram mostly shows the weights' own distribution — uniform right after
initialisation, whatever SGD makes of it, and Gaussian after GO-UP has been
adding Gaussian noise to the weights for a while.
"""

from __future__ import annotations

import math
import pathlib

import numpy as np

from ..tools.figures import figure_style, save

LILLIEFORS_5_PERCENT = 0.886


def update_parts(param, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """(α·θ, α·∂L/∂θ) for one parameter tensor whose ``.grad`` is filled, flattened."""
    if param.grad is None:
        raise ValueError("update_parts: the parameter has no gradient yet; run backward() first")
    return lr * param.detach().numpy().ravel().astype(np.float64), lr * param.grad.numpy().ravel().astype(np.float64)


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def normality(samples) -> dict:
    """How Gaussian ``samples`` are: fitted mean and std, skewness, excess kurtosis, KS distance."""
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    n = x.size
    mean, std = x.mean(), x.std()
    if n < 8 or std == 0:
        raise ValueError(f"normality needs at least 8 samples that are not all equal, got {n}")
    z = (x - mean) / std
    cdf = _normal_cdf(z)
    ranks = np.arange(1, n + 1)
    ks_distance = max(np.max(ranks / n - cdf), np.max(cdf - (ranks - 1) / n))
    return {
        "n": int(n),
        "mean": float(mean),
        "std": float(std),
        "skewness": float(np.mean(z ** 3)),
        "excess_kurtosis": float(np.mean(z ** 4) - 3.0),
        "ks_distance": float(ks_distance),
        "ks_critical_5pct": LILLIEFORS_5_PERCENT / math.sqrt(n),
    }


def update_statistics(scaled_theta: np.ndarray, scaled_grad: np.ndarray) -> dict:
    """``normality`` of αθ − αg, plus the gradient share std(αg) / std(αθ − αg)."""
    stats = normality(scaled_theta - scaled_grad)
    stats["gradient_share"] = float(scaled_grad.std() / stats["std"])
    return stats


def describe(stats: dict) -> str:
    """The statistics as a few lines of text (used in the figure and on the console)."""
    verdict = "Gaussian-like" if stats["ks_distance"] < stats["ks_critical_5pct"] else "not Gaussian"
    lines = [f"KS D = {stats['ks_distance']:.3f} (5% crit. {stats['ks_critical_5pct']:.3f}): {verdict}",
             f"skew = {stats['skewness']:+.2f}, excess kurtosis = {stats['excess_kurtosis']:+.2f}"]
    if "gradient_share" in stats:
        lines.append(f"std(αg) / std(αθ−αg) = {stats['gradient_share']:.1%}")
    return "\n".join(lines)


def plot_gaussian_check(panels, path, title: str = "") -> pathlib.Path:
    """Histograms of αθ − αg with the fitted Gaussian, one panel per ``(label, αθ, αg)``."""
    panels = list(panels)
    with figure_style() as figures:
        figure, axes = figures.subplots(1, len(panels), figsize=(4.6 * len(panels), 4.4), squeeze=False)
        for axis, (label, scaled_theta, scaled_grad) in zip(axes[0], panels):
            samples = scaled_theta - scaled_grad
            stats = update_statistics(scaled_theta, scaled_grad)
            axis.hist(samples, bins=60, density=True, color="#7aa6d6", edgecolor="white", linewidth=0.3)
            grid = np.linspace(samples.min(), samples.max(), 300)
            density = np.exp(-0.5 * ((grid - stats["mean"]) / stats["std"]) ** 2) / (
                stats["std"] * math.sqrt(2 * math.pi))
            axis.plot(grid, density, color="#c0392b", linewidth=1.5,
                      label=f"N({stats['mean']:.2g}, {stats['std']:.2g}²)")
            axis.set(title=label, xlabel="αθ − α·∂L/∂θ", ylabel="density")
            axis.legend(loc="upper right", fontsize=8)
            axis.text(0.5, -0.2, describe(stats), transform=axis.transAxes, ha="center", va="top",
                      fontsize=8)
        if title:
            figure.suptitle(title)
        return save(figure, path)
